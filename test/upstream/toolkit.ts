/**
 * '@reduxjs/toolkit' for the vendored specs: everything Redux Toolkit exports, with `configureStore`
 * installing what the mode says (test/upstream/harness.ts), in the README's orders:
 * `middleware: (g) => g().prepend(recorder.middleware)` around the spec's own middleware, and
 * `enhancers: (g) => g().concat(recorder.enhancer)` after the spec's own enhancers (innermost) — with
 * `@redux-devtools/instrument`, `.concat(recorder.enhancer, instrument())` (the extension's order) or
 * `.concat(instrument(), recorder.enhancer)`. Options Redux Toolkit rejects reach it unchanged, so
 * its errors are the same.
 */
import * as real from '@reduxjs/toolkit'
import type { Middleware } from '@reduxjs/toolkit'
import { mode, newRecorder } from './harness'
import { innerEnhancers } from './redux'

export * from '@reduxjs/toolkit'

type Fn = (...args: any[]) => any

function recordingConfigureStore(options: any): any {
  const m = mode()
  if ((!m.recorded && m.devtools === 'none') || options === null || typeof options !== 'object') return (real.configureStore as Fn)(options)
  const { middleware, enhancers } = options
  if ((middleware !== undefined && typeof middleware !== 'function') || (enhancers !== undefined && typeof enhancers !== 'function'))
    return (real.configureStore as Fn)(options)
  const recorder = m.recorded ? newRecorder(typeof options.reducer === 'function' ? options.reducer : options.reducer && typeof options.reducer === 'object' ? real.combineReducers(options.reducer) : undefined) : undefined
  return (real.configureStore as Fn)({
    ...options,
    middleware: (getDefaultMiddleware: Fn) => {
      if (!recorder) return middleware ? middleware(getDefaultMiddleware) : getDefaultMiddleware()
      const list = middleware ? middleware(getDefaultMiddleware) : getDefaultMiddleware()
      if (!Array.isArray(list)) return list
      return typeof (list as any).prepend === 'function' ? (list as any).prepend(recorder.middleware as Middleware) : [recorder.middleware, ...list]
    },
    enhancers: (getDefaultEnhancers: Fn) => {
      const list = enhancers ? enhancers(getDefaultEnhancers) : getDefaultEnhancers()
      if (!Array.isArray(list)) return list
      const inner = innerEnhancers(m, recorder)
      return typeof (list as any).concat === 'function' ? list.concat(...inner) : [...list, ...inner]
    },
  })
}
export const configureStore = recordingConfigureStore as typeof real.configureStore
