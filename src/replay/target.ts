import { describe } from '../internal/describe'

/**
 * Checks that replay (or shrink) options name what to replay into: a `reducer` function or a
 * `createStore` function. A value given under either name that is not a function is named, with
 * what it looks like (a slice, an object of slice reducers).
 */
export function checkReplayTarget(opts: { reducer?: unknown; createStore?: unknown }, missing: string): void {
  for (const name of ['reducer', 'createStore'] as const) {
    const value = opts[name]
    if (value === undefined || value === null || typeof value === 'function') continue
    throw new TypeError(`[redux-flight-recorder] Expected \`${name}\` to be a function${name === 'reducer' ? ' (state, action) => state' : ' (preloadedState) => store'}. Instead, received: ${describe(value)}.${looksLike(value)}`)
  }
  if (typeof opts.reducer !== 'function' && typeof opts.createStore !== 'function') throw new TypeError(`[redux-flight-recorder] ${missing}`)
}

/** What a non-function given as a reducer may be: a slice (its `reducer`), an object of slice reducers. */
function looksLike(value: unknown): string {
  if (typeof value !== 'object' || value === null) return ''
  try {
    if (typeof (value as { reducer?: unknown }).reducer === 'function') return ' It has a `reducer` function (a slice?): pass that, `slice.reducer`.'
    const values = Object.values(value)
    if (values.length > 0 && values.every((v) => typeof v === 'function')) return ' It is an object of functions (slice reducers?): combine them first, `combineReducers({ … })`.'
  } catch {
    // A proxy or a getter that throws: nothing more to say.
  }
  return ''
}
