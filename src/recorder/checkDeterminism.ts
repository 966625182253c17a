import type { Action, Reducer } from 'redux'
import type { Redactor } from '../redact'
import { stringifyState } from '../serialize'
import { carriesFunction, rerunShifted } from '../internal/rerunShifted'

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
 * Development only (`checkDeterminism`): re-runs the reducer for `action` on `prev` with the clock
 * shifted and `Math.random` reseeded. Returns the message to report when the result differs from
 * `next`, or undefined.
 */
export function checkDeterminism(check: DeterminismCheck, reducer: Reducer, prev: unknown, action: Action, next: unknown, seq: number): string | undefined {
  // Running an action that carries callbacks twice would fire them twice.
  try {
    if (carriesFunction(action, 2)) return undefined
  } catch {
    return undefined
  }
  const again = rerunShifted(reducer, prev, action)
  if (!again.ok || again.state === next) return undefined
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
