/**
 * '@reduxjs/toolkit' for the vendored specs: everything Redux Toolkit exports, with `configureStore`
 * installing a recorder when the mode says so (test/upstream/harness.ts), in the README's order:
 * `middleware: (g) => g().prepend(recorder.middleware)` around the spec's own middleware, and
 * `enhancers: (g) => g().concat(recorder.enhancer)` after the spec's own enhancers (innermost).
 * Options Redux Toolkit rejects reach it unchanged, so its errors are the same.
 */
import * as real from '@reduxjs/toolkit'
import type { Middleware, StoreEnhancer } from '@reduxjs/toolkit'
import { mode, newRecorder } from './harness'

export * from '@reduxjs/toolkit'

type Fn = (...args: any[]) => any

function recordingConfigureStore(options: any): any {
  if (!mode().recorded || options === null || typeof options !== 'object') return (real.configureStore as Fn)(options)
  const { middleware, enhancers } = options
  if ((middleware !== undefined && typeof middleware !== 'function') || (enhancers !== undefined && typeof enhancers !== 'function'))
    return (real.configureStore as Fn)(options)
  const recorder = newRecorder()
  return (real.configureStore as Fn)({
    ...options,
    middleware: (getDefaultMiddleware: Fn) => {
      const list = middleware ? middleware(getDefaultMiddleware) : getDefaultMiddleware()
      if (!Array.isArray(list)) return list
      return typeof (list as any).prepend === 'function' ? (list as any).prepend(recorder.middleware as Middleware) : [recorder.middleware, ...list]
    },
    enhancers: (getDefaultEnhancers: Fn) => {
      const list = enhancers ? enhancers(getDefaultEnhancers) : getDefaultEnhancers()
      if (!Array.isArray(list)) return list
      return typeof (list as any).concat === 'function' ? list.concat(recorder.enhancer as StoreEnhancer) : [...list, recorder.enhancer]
    },
  })
}
export const configureStore = recordingConfigureStore as typeof real.configureStore
