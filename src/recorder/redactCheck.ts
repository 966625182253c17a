import { compileRedactor } from '../redact'
import { toJsonForm } from '../internal/toJsonForm'

/**
 * Development only: a `redact.state` path that no key of the store's state can start (a misspelt
 * slice, a `state.` or `$.` prefix, another case) redacts nothing, silently: said once, with the
 * state's keys. The keys are those of the state as redaction sees it: what `serializeState`
 * returns, then what a `toJSON` of it returns (an Immutable.js root).
 *
 * A path whose first key the state does not hold yet may be an optional key the state gains later
 * (`session` set at login), which cannot be told from a misspelt one by its name alone. So a path is
 * named at once (`screen`) only where it looks mistaken: a space at either end of a key, a first key
 * that is `state` or `$`, another case or a near spelling of one of the state's keys, or a key one
 * level down. The others are returned, to be checked again (with this function, screening) as the
 * state changes, which may add the key or one the path misspells; one that starts no key of the
 * state up to `@@end` (`end`) is named then. Returns the paths still to check, `undefined` when
 * none is left.
 *
 * With a store that can add slices later (Redux Toolkit's `combineSlices(…).inject`) the first
 * check does not `screen`: it waits for the first flush tick or full state written after an action.
 */
export function warnUnmatchedRedactPaths(paths: readonly string[], state: unknown, serialize: ((state: unknown) => unknown) | undefined, screen: boolean, end = false): readonly string[] | undefined {
  let root: Record<string, unknown>
  try {
    state = toJsonForm(serialize ? serialize(state) : state, '')
    if (typeof console === 'undefined' || typeof state !== 'object' || state === null || Array.isArray(state)) return
    root = state as Record<string, unknown>
  } catch {
    return undefined // (a serializeState, toJSON or proxy that throws: the writers report it; store creation goes on)
  }
  const keys = Object.keys(root)
  const now: string[] = []
  const wait: string[] = []
  for (const path of paths) {
    const one = compileRedactor([path])
    if (/(^|\.)\s|\s($|\.)/.test(path)) now.push(path)
    else if (one !== null && !one.root.terminal && !keys.some((k) => one.step(one.root, k) !== null)) (end || (screen && looksMistaken(path, keys, root)) ? now : wait).push(path)
  }
  if (now.length > 0) warnPaths(now, keys, end)
  return wait.length > 0 ? wait : undefined
}

/** A path whose first key is `state` or `$`, another case or a near spelling of a key of `root`, or a key one level down. */
function looksMistaken(path: string, keys: string[], root: Record<string, unknown>): boolean {
  const first = /^[^.[]*/.exec(path)![0]
  const lower = first.toLowerCase()
  return (
    lower === 'state' ||
    lower === '$' ||
    keys.some((k) => near(k.toLowerCase(), lower) || (typeof root[k] === 'object' && root[k] !== null && Object.prototype.hasOwnProperty.call(root[k], first)))
  )
}

/** At most one edit apart (two for words of 6 letters or more, none under 3): insert, delete or replace a letter. */
function near(a: string, b: string): boolean {
  const shorter = Math.min(a.length, b.length)
  const most = shorter >= 6 ? 2 : shorter >= 3 ? 1 : 0
  if (Math.abs(a.length - b.length) > most) return false
  let row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    row = next
  }
  return row[b.length] <= most
}

function warnPaths(unmatched: string[], keys: string[], end: boolean): void {
  const list = (xs: string[]) => xs.map((x) => `'${x}'`).join(', ')
  const one = unmatched.length === 1
  console.warn(
    `[redux-flight-recorder] \`redact.state\` ${one ? 'path' : 'paths'} ${list(unmatched)} ${one ? 'starts' : 'start'} with no key of the store's state (${list(keys.slice(0, 10))}${keys.length > 10 ? ', …' : ''}), or ${one ? 'has' : 'have'} a space at the end of a key: as written, ${one ? 'it redacts' : 'they redact'} nothing${
      end ? ` (checked as the state changed, up to the end of the recording)` : ''
    }. Paths start at the state's root (no \`state.\` prefix).${end ? '' : ' If that key is added to the state later (an optional key, a slice injected later), ignore this.'}`,
  )
}
