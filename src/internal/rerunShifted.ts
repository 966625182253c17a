// Re-running a reducer as `checkDeterminism` does: used by the recorder (development only) and by
// replay at a divergence.
import type { Action, Reducer } from 'redux'

/**
 * Runs the reducer again with Date.now / performance.now / `new Date()` shifted and Math.random
 * reseeded, restoring every global afterwards (also when the reducer throws).
 */
export function rerunShifted(reducer: Reducer, prev: unknown, action: Action): { ok: true; state: unknown } | { ok: false } {
  const OriginalDate = Date
  const realNow = OriginalDate.now
  const realRandom = Math.random
  const perf = typeof performance !== 'undefined' ? performance : undefined
  const realPerfNow = perf?.now
  const perfHadOwnNow = perf !== undefined && Object.prototype.hasOwnProperty.call(perf, 'now')
  const shift = 7_777_777
  let seed = 0x2545f491
  try {
    OriginalDate.now = () => realNow.call(OriginalDate) + shift
    Math.random = () => {
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return (seed >>> 0) / 4294967296
    }
    if (perf && realPerfNow) {
      try {
        perf.now = () => realPerfNow.call(perf) + shift
      } catch {
        // read-only in some runtimes
      }
    }
    const Shifted = function (this: unknown, ...args: unknown[]) {
      if (!new.target) return new OriginalDate(realNow.call(OriginalDate) + shift).toString()
      return args.length === 0 ? new OriginalDate(realNow.call(OriginalDate) + shift) : new (OriginalDate as any)(...args)
    } as unknown as DateConstructor
    Object.setPrototypeOf(Shifted, OriginalDate)
    Object.defineProperty(Shifted, 'prototype', { value: OriginalDate.prototype })
    ;(globalThis as { Date: DateConstructor }).Date = Shifted
    return { ok: true, state: reducer(prev, action) }
  } catch {
    return { ok: false }
  } finally {
    ;(globalThis as { Date: DateConstructor }).Date = OriginalDate
    OriginalDate.now = realNow
    Math.random = realRandom
    if (perf && realPerfNow) {
      try {
        if (perfHadOwnNow) perf.now = realPerfNow
        else delete (perf as { now?: unknown }).now
      } catch {
        // ignore
      }
    }
  }
}

/** An action carrying callbacks (redux-persist's PERSIST/FLUSH/PURGE) asks the reducer for a side effect. */
export function carriesFunction(value: unknown, depth: number): boolean {
  if (typeof value === 'function') return true
  if (depth === 0 || value === null || typeof value !== 'object') return false
  for (const key of Object.keys(value)) if (carriesFunction((value as Record<string, unknown>)[key], depth - 1)) return true
  return false
}
