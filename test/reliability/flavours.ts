/**
 * The store factories the enhancer-contract specs run under: Redux 5 and 4.2 (`createStore` +
 * `applyMiddleware` + `compose`), Redux Toolkit 2 (`enhancers: (g) => g().concat(…)`) and 1.9
 * (whose `enhancers` callback receives an array). Redux 4.2 and RTK 1.9 are installed under the
 * aliases `redux4` and `rtk19` (devDependencies).
 */
import * as rtk2 from '@reduxjs/toolkit'
import type { Middleware, Reducer, StoreEnhancer } from 'redux'
import * as redux5 from 'redux'
import * as redux4 from 'redux4'
import * as rtk19 from 'rtk19'
import type { FlightRecorder } from 'redux-flight-recorder'

/** The store surface the specs use, the same in every version. */
export interface AnyStore {
  dispatch(action: any): any
  getState(): any
  subscribe(listener: () => void): () => void
  replaceReducer(next: Reducer<any, any>): void
  [key: string | symbol]: any
}

export interface MakeOptions {
  /** With a recorder: its enhancer innermost, its middleware first. Without: the same store, no recorder. */
  recorder?: FlightRecorder
  middleware?: Middleware[]
  /** RTK only: `autoBatch` option (RTK 2) / `autoBatchEnhancer(options)` (RTK 1.9). */
  autoBatch?: rtk2.AutoBatchOptions
  preloadedState?: unknown
}

export interface Flavour {
  name: string
  /** Toolkit flavours add thunk and development checks (serializability, immutability). */
  toolkit: boolean
  make(reducer: Reducer<any, any>, options?: MakeOptions): AnyStore
  /** `prepareAutoBatched`-style meta for this flavour (toolkit only). */
  autoBatched?: (action: { type: string; payload?: unknown }) => { type: string; payload?: unknown; meta: Record<string, unknown> }
}

function plainRedux(name: string, lib: typeof redux5 | typeof redux4): Flavour {
  return {
    name,
    toolkit: false,
    make(reducer, options = {}) {
      const { recorder, middleware = [] } = options
      const enhancers: StoreEnhancer[] = [(lib.applyMiddleware as typeof redux5.applyMiddleware)(...(recorder ? [recorder.middleware] : []), ...middleware)]
      if (recorder) enhancers.push(recorder.enhancer)
      const createStore = ('legacy_createStore' in lib ? lib.legacy_createStore : (lib as typeof redux4).createStore) as (...args: any[]) => AnyStore
      return createStore(reducer, options.preloadedState, (lib.compose as (...f: StoreEnhancer[]) => StoreEnhancer)(...enhancers))
    },
  }
}

export const FLAVOURS: Flavour[] = [
  plainRedux('redux 5', redux5),
  plainRedux('redux 4.2', redux4),
  {
    name: 'Redux Toolkit 2',
    toolkit: true,
    make(reducer, options = {}) {
      const { recorder, middleware = [], autoBatch } = options
      return rtk2.configureStore({
        reducer,
        preloadedState: options.preloadedState as never,
        middleware: (g) => (recorder ? g().prepend(recorder.middleware).concat(middleware) : g().concat(middleware)) as never,
        enhancers: (g) => {
          const defaults = g(autoBatch ? { autoBatch } : undefined)
          return (recorder ? defaults.concat(recorder.enhancer) : defaults) as never
        },
      }) as unknown as AnyStore
    },
    autoBatched: (action) => ({ ...action, meta: { [rtk2.SHOULD_AUTOBATCH]: true } }),
  },
  {
    name: 'Redux Toolkit 1.9',
    toolkit: true,
    make(reducer, options = {}) {
      const { recorder, middleware = [], autoBatch } = options
      return rtk19.configureStore({
        reducer,
        preloadedState: options.preloadedState as never,
        middleware: (g) => [...(recorder ? [recorder.middleware] : []), ...g(), ...middleware] as never,
        // RTK 1.9 passes the default enhancers as an array and composes the returned array in order:
        // the last one is innermost.
        enhancers: ((defaults: readonly unknown[]) =>
          [...defaults, ...(autoBatch ? [rtk19.autoBatchEnhancer(autoBatch)] : []), ...(recorder ? [recorder.enhancer] : [])]) as never,
      }) as unknown as AnyStore
    },
    autoBatched: (action) => ({ ...action, meta: { [rtk19.SHOULD_AUTOBATCH]: true } }),
  },
]

/** The interop key Redux uses for the observable (Symbol.observable where it exists). */
export const $$observable: string | symbol = (typeof Symbol === 'function' && (Symbol as { observable?: symbol }).observable) || '@@observable'
