import type { Action, Reducer } from 'redux'
import type { Redactor } from '../redact'
import { stringifyState } from '../serialize'
import { carriesFunction, rerunShifted } from '../internal/rerunShifted'
import { isPlainProto } from '../internal/plain'
import { copyPlain } from '../internal/copyPlain'

type Obj = Record<string, unknown>

const plain = (v: unknown): v is Obj => v !== null && typeof v === 'object' && (Array.isArray(v) || isPlainProto(Object.getPrototypeOf(v)))

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key)

/** The first key path where a copy no longer holds what its original does (the re-run changed it in place), or null. */
function changedCopy(copies: Map<object, Obj>, paths: string[]): string | null {
  let i = 0
  for (const [v, c] of copies) {
    const o = v as Obj
    const path = paths[i++]
    // An array that grew or shrank: the array (an index there means nothing to the app's state).
    if (Array.isArray(c) && c.length !== (o as unknown as unknown[]).length) return path
    for (const key of Object.keys(c)) {
      const was = o[key]
      if (!Object.prototype.hasOwnProperty.call(o, key) || !Object.is(c[key], (plain(was) && copies.get(was)) || was)) return join(path, key)
    }
    for (const key of Object.keys(o)) if (!Object.prototype.hasOwnProperty.call(c, key)) return join(path, key)
  }
  return null
}

/**
 * Whether `again` (the re-run's state) is `next` with the re-run's copies in place of their
 * originals: only the subtrees that are neither the same object nor its copy are walked.
 */
function sameButCopies(again: unknown, next: unknown, copies: Map<object, Obj>, depth: number): boolean {
  if (Object.is(again, next) || (plain(next) && copies.get(next) === again)) return true
  if (!plain(again) || !plain(next) || Array.isArray(again) !== Array.isArray(next) || depth > 100) return false
  const keys = Object.keys(again)
  if (keys.length !== Object.keys(next).length) return false
  for (const key of keys) if (!Object.prototype.hasOwnProperty.call(next, key) || !sameButCopies(again[key], next[key], copies, depth + 1)) return false
  return true
}

/** The first key path (`a.b.0`) whose value differs, or '' at the root. */
function firstDifference(u: unknown, v: unknown, at: string): string | null {
  if (u === v) return null
  if (u === null || v === null || typeof u !== 'object' || typeof v !== 'object' || Array.isArray(u) !== Array.isArray(v)) return at
  const keys = new Set([...Object.keys(u), ...Object.keys(v)])
  for (const key of keys) {
    const found = firstDifference((u as Record<string, unknown>)[key], (v as Record<string, unknown>)[key], at ? `${at}.${key}` : key)
    if (found !== null) return found
  }
  return null
}

export interface DeterminismCheck {
  readonly serializeState: ((state: unknown) => unknown) | undefined
  readonly stateRedactor: Redactor | null
  /** The state's hash, or null without one. */
  hashOf(state: unknown): string | null
}

/**
 * Development only (`checkDeterminism`): re-runs the reducer for `action` on a copy of `prev` (its
 * plain objects and arrays: the app's state is never handed to the re-run) with the clock shifted
 * and `Math.random` reseeded. Returns the message to report when the re-run changed that copy in
 * place or its result differs from `next`, or undefined.
 */
export function checkDeterminism(check: DeterminismCheck, reducer: Reducer, prev: unknown, action: Action, next: unknown, seq: number): string | undefined {
  // Running an action that carries callbacks twice would fire them twice.
  try {
    if (carriesFunction(action, 2)) return undefined
  } catch {
    return undefined
  }
  const copies = new Map<object, Obj>()
  const paths: string[] = []
  let again: ReturnType<typeof rerunShifted>
  try {
    again = rerunShifted(reducer, copyPlain(prev, copies, paths), action)
    if (!again.ok) return undefined
    const changed = changedCopy(copies, paths)
    if (changed !== null) {
      return `The reducer changed the state in place at seq ${seq} (action '${String(action.type)}'): re-run on a copy of the state it was given, it changed that copy ${changed ? `at \`${changed}\`` : 'at its root'}, so its first run changed the app's state there the same way. Reducers must return new objects instead of changing the ones they are given (Redux forbids it: selectors and React may not see such a change); createSlice's Immer drafts do this for you.`
    }
    if (sameButCopies(again.state, next, copies, 0)) return undefined
  } catch {
    return undefined
  }
  const project = (state: unknown): unknown => JSON.parse(stringifyState(check.serializeState ? check.serializeState(state) : state, check.stateRedactor))
  let path: string
  try {
    const a = check.hashOf(next)
    const b = check.hashOf(again.state)
    const x = project(next)
    const y = project(again.state)
    const differs = a !== null && b !== null ? a !== b : JSON.stringify(x) !== JSON.stringify(y)
    if (!differs) return undefined
    path = firstDifference(x, y, '') ?? ''
  } catch {
    return undefined
  }
  return `The reducer is not deterministic: re-running it for action '${String(action.type)}' (seq ${seq}) with Date.now/performance.now shifted and Math.random reseeded gave a different state${path ? ` at \`${path}\`` : ''}. Reducers must not read the clock or Math.random(); compute such values in the action creator (e.g. a \`prepare\` callback) and put them in the action.`
}
