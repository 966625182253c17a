import { compileRedactor } from '../redact'
import { toJsonForm } from '../internal/toJsonForm'

/**
 * Development only: a `redact.state` path that no key of the store's first state can start (a
 * misspelt slice, a `state.` or `$.` prefix, another case) redacts nothing, silently: said once,
 * with the state's keys. A path with a space at either end of a key is named too. The keys are
 * those of the state as redaction sees it: what `serializeState` returns, then what a `toJSON` of
 * it returns (an Immutable.js root).
 *
 * `later`: the store's reducer can add slices later (Redux Toolkit's `combineSlices(…).inject`): a
 * path under one is not named at store creation; the paths that match nothing yet are returned,
 * to be checked again (with this function) against a later state, at the first flush tick or full state written
 * after an action. Otherwise paths under a slice added later are named: the message says so.
 */
export function warnUnmatchedRedactPaths(paths: readonly string[], state: unknown, serialize?: (state: unknown) => unknown, later?: boolean): readonly string[] | undefined {
  let keys: string[]
  try {
    state = toJsonForm(serialize ? serialize(state) : state, '')
    if (typeof console === 'undefined' || typeof state !== 'object' || state === null || Array.isArray(state)) return
    keys = Object.keys(state)
  } catch {
    return undefined // (a serializeState, toJSON or proxy that throws: the writers report it; store creation goes on)
  }
  if (keys.length === 0 && !later) return undefined
  const unmatched: string[] = []
  const wait: string[] = []
  for (const path of paths) {
    const one = compileRedactor([path])
    if (/(^|\.)\s|\s($|\.)/.test(path)) unmatched.push(path)
    else if (one !== null && !one.root.terminal && !keys.some((k) => one.step(one.root, k) !== null)) (later ? wait : unmatched).push(path)
  }
  if (unmatched.length > 0) warnPaths(unmatched, keys)
  return wait.length > 0 ? wait : undefined
}

function warnPaths(unmatched: string[], keys: string[]): void {
  const list = (xs: string[]) => xs.map((x) => `'${x}'`).join(', ')
  console.warn(
    `[redux-flight-recorder] \`redact.state\` ${unmatched.length === 1 ? 'path' : 'paths'} ${list(unmatched)} ${unmatched.length === 1 ? 'starts' : 'start'} with no key of the store's state (${list(keys.slice(0, 10))}${keys.length > 10 ? ', …' : ''}), or ${unmatched.length === 1 ? 'has' : 'have'} a space at the end of a key: as written, ${unmatched.length === 1 ? 'it redacts' : 'they redact'} nothing. Paths start at the state's root (no \`state.\` prefix). If that key is added to the state later (an optional key, a slice injected later), ignore this.`,
  )
}
