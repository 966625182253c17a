/**
 * 'redux' for the vendored specs: everything Redux exports, with `createStore` (and
 * `legacy_createStore`; both call Redux's `createStore`, since Redux's `legacy_createStore` drops a
 * fourth argument the specs pass) and `applyMiddleware` installing what the mode says
 * (test/upstream/harness.ts), in the README's orders: `recorder.middleware` first in the middleware
 * chain, `recorder.enhancer` innermost around the base `createStore` — or, with
 * `@redux-devtools/instrument`, right outside instrument (the extension's order) or right inside it
 * (instrument outside the recorder).
 */
import * as real from 'redux'
import type { Middleware, Reducer, StoreEnhancer } from 'redux'
import { instrument } from '@redux-devtools/instrument'
import type { FlightRecorder } from 'redux-flight-recorder'
import { mode, newRecorder, type Mode } from './harness'

export * from 'redux'

type Fn = (...args: any[]) => any

/** The store being created by the harness; an inner createStore call passes through. */
let creating: { recorder: FlightRecorder | undefined; middlewareInstalled: boolean } | undefined

const installs = (m: Mode) => m.recorded || m.devtools !== 'none'

/** The enhancers around the base createStore, outermost first, for the mode. */
export function innerEnhancers(m: Mode, recorder: FlightRecorder | undefined): StoreEnhancer[] {
  const devtools = m.devtools === 'none' ? [] : [instrument() as unknown as StoreEnhancer]
  const rec = recorder ? [recorder.enhancer as StoreEnhancer] : []
  return m.devtools === 'outside' ? [...devtools, ...rec] : [...rec, ...devtools]
}

function recordingCreateStore(reducer: Reducer, preloadedState?: unknown, enhancer?: unknown, ...more: unknown[]): any {
  const args = [reducer, preloadedState, enhancer, ...more].slice(0, Math.max(1, arguments.length))
  const m = mode()
  if (!installs(m) || creating) return (real.createStore as Fn)(...args)
  let pre = preloadedState
  let enh = enhancer
  if (typeof pre === 'function' && enh === undefined) [pre, enh] = [undefined, pre]
  // Arguments Redux rejects go to Redux unchanged, so its errors are the same.
  if (typeof reducer !== 'function' || (enh !== undefined && typeof enh !== 'function') || (typeof pre === 'function' && typeof enh === 'function') || typeof more[0] === 'function')
    return (real.createStore as Fn)(...args)
  const recorder = m.recorded ? newRecorder(reducer) : undefined
  const ctx = (creating = { recorder, middlewareInstalled: false })
  try {
    // The spec's own applyMiddleware (below), if its enhancer has one, puts recorder.middleware first
    // in its chain; otherwise it goes in its own applyMiddleware right outside the recorder's and
    // DevTools' enhancers, inside the spec's enhancer (which may replace `dispatch` and expects to see
    // the result).
    const middleware = ((next: Fn) => (r: Reducer, p?: any) => {
      if (ctx.middlewareInstalled || !recorder) return (next as Fn)(r, p)
      return (real.applyMiddleware(recorder.middleware as Middleware)(next as never) as Fn)(r, p)
    }) as StoreEnhancer
    const enhancers = [...(enh ? [enh as StoreEnhancer] : []), middleware, ...innerEnhancers(m, recorder)]
    return (real.createStore as Fn)(reducer, pre, (real.compose as Fn)(...enhancers))
  } finally {
    creating = undefined
  }
}
export const createStore = recordingCreateStore as unknown as typeof real.createStore
export const legacy_createStore = recordingCreateStore as unknown as typeof real.legacy_createStore

function recordingApplyMiddleware(...middlewares: Middleware[]): StoreEnhancer<any> {
  const m = mode()
  if (!installs(m)) return real.applyMiddleware(...middlewares)
  return ((next: Fn) =>
    (...args: unknown[]) => {
      if (creating) {
        // The outermost applyMiddleware of a store being created gets recorder.middleware first.
        if (creating.middlewareInstalled || !creating.recorder) return (real.applyMiddleware(...middlewares)(next as never) as Fn)(...args)
        creating.middlewareInstalled = true
        return (real.applyMiddleware(creating.recorder.middleware as Middleware, ...middlewares)(next as never) as Fn)(...args)
      }
      // Used directly, `applyMiddleware(…)(createStore)(reducer)`: the recorder and DevTools go in here.
      const recorder = m.recorded ? newRecorder(args[0] as Reducer) : undefined
      creating = { recorder, middlewareInstalled: true }
      try {
        const inner = (real.compose as Fn)(...innerEnhancers(m, recorder))(next)
        return (real.applyMiddleware(...(recorder ? [recorder.middleware as Middleware] : []), ...middlewares)(inner) as Fn)(...args)
      } finally {
        creating = undefined
      }
    }) as StoreEnhancer<any>
}

export const applyMiddleware = recordingApplyMiddleware as typeof real.applyMiddleware
