/**
 * 'redux' for the vendored specs: everything Redux exports, with `createStore` (and
 * `legacy_createStore`; both call Redux's `createStore`, since Redux's `legacy_createStore` drops a
 * fourth argument the specs pass) and `applyMiddleware` installing a recorder when the mode says so
 * (test/upstream/harness.ts), in the README's order: `recorder.middleware` first in the middleware
 * chain, `recorder.enhancer` innermost, around the base `createStore`.
 */
import * as real from 'redux'
import type { Middleware, Reducer, StoreEnhancer } from 'redux'
import type { FlightRecorder } from 'redux-flight-recorder'
import { mode, newRecorder } from './harness'

export * from 'redux'

/** The store being created with a recorder; an inner createStore call passes through. */
let creating: { recorder: FlightRecorder; middlewareInstalled: boolean } | undefined

function recordingCreateStore(reducer: Reducer, preloadedState?: unknown, enhancer?: unknown, ...more: unknown[]): any {
  const args = [reducer, preloadedState, enhancer, ...more].slice(0, Math.max(1, arguments.length))
  if (!mode().recorded || creating) return (real.createStore as Fn)(...args)
  let pre = preloadedState
  let enh = enhancer
  if (typeof pre === 'function' && enh === undefined) [pre, enh] = [undefined, pre]
  // Arguments Redux rejects go to Redux unchanged, so its errors are the same.
  if (typeof reducer !== 'function' || (enh !== undefined && typeof enh !== 'function') || (typeof pre === 'function' && typeof enh === 'function') || typeof more[0] === 'function')
    return (real.createStore as Fn)(...args)
  const recorder = newRecorder()
  const ctx = (creating = { recorder, middlewareInstalled: false })
  try {
    // The spec's own applyMiddleware (below), if its enhancer has one, puts recorder.middleware first
    // in its chain; otherwise it goes in its own applyMiddleware right outside recorder.enhancer, inside
    // the spec's enhancer (which may replace `dispatch` and expects to see the result).
    const middleware = ((next: Fn) => (r: Reducer, p?: any) => {
      if (ctx.middlewareInstalled) return (next as Fn)(r, p)
      return (real.applyMiddleware(recorder.middleware as Middleware)(next as never) as Fn)(r, p)
    }) as StoreEnhancer
    const enhancers = [...(enh ? [enh as StoreEnhancer] : []), middleware, recorder.enhancer as StoreEnhancer]
    return (real.createStore as Fn)(reducer, pre, (real.compose as Fn)(...enhancers))
  } finally {
    creating = undefined
  }
}
export const createStore = recordingCreateStore as unknown as typeof real.createStore
export const legacy_createStore = recordingCreateStore as unknown as typeof real.legacy_createStore

function recordingApplyMiddleware(...middlewares: Middleware[]): StoreEnhancer<any> {
  if (!mode().recorded) return real.applyMiddleware(...middlewares)
  return ((next: Fn) =>
    (...args: unknown[]) => {
      if (creating) {
        // The outermost applyMiddleware of a store being created gets recorder.middleware first.
        if (creating.middlewareInstalled) return (real.applyMiddleware(...middlewares)(next as never) as Fn)(...args)
        creating.middlewareInstalled = true
        return (real.applyMiddleware(creating.recorder.middleware as Middleware, ...middlewares)(next as never) as Fn)(...args)
      }
      // Used directly, `applyMiddleware(…)(createStore)(reducer)`: the recorder goes in here.
      const recorder = newRecorder()
      creating = { recorder, middlewareInstalled: true }
      try {
        return (real.applyMiddleware(recorder.middleware as Middleware, ...middlewares)((recorder.enhancer as Fn)(next)) as Fn)(...args)
      } finally {
        creating = undefined
      }
    }) as StoreEnhancer<any>
}

export const applyMiddleware = recordingApplyMiddleware as typeof real.applyMiddleware

type Fn = (...args: any[]) => any
