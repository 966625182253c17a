// replay's onNonRecordable as the divergence hint writes it: `(entry) => action`, the entry's own
// action with the missing values put back (its `type` is typed as the log holds it, `unknown`).
import type { Action } from 'redux'
import { replay, type ReplayResult } from 'redux-flight-recorder/replay'

declare const log: string
const reducer = (s: { n: number } = { n: 0 }, a: { type: string; fn?: () => number }) => (a.type === 'cb' && a.fn ? { n: a.fn() } : s)
export const rebuilt: ReplayResult = replay(log, { reducer, onNonRecordable: (entry) => ({ ...entry.action, fn: () => 42 }) })
export const typed: ReplayResult = replay(log, { reducer, onNonRecordable: (entry): Action => ({ type: String(entry.action.type) }) })
export const dropped: ReplayResult = replay(log, { reducer, onNonRecordable: () => null })
// @ts-expect-error an action needs a `type`
export const untyped: ReplayResult = replay(log, { reducer, onNonRecordable: () => ({ payload: 1 }) })
