/*
 * `setupApiStore`, `actionsReducer` and the `toMatchSequence` matcher from reduxjs/redux-toolkit v2.12.0,
 * packages/toolkit/src/tests/utils/helpers.tsx, for the vendored RTK Query specs. Changes: the store
 * comes from the harness's `configureStore` (test/upstream/toolkit.ts, which installs the recorder
 * in the recorded mode); no React: the `wrapper` (a react-redux Provider) and testing-library's
 * `cleanup` are left out, since these specs run in Node without a DOM and use neither. The matcher's
 * types come from src/tests/utils/CustomMatchers.d.ts.
 *
 * MIT License
 *
 * Copyright (c) 2018 Mark Erikson
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy
 * of this software and associated documentation files (the "Software"), to deal
 * in the Software without restriction, including without limitation the rights
 * to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 * copies of the Software, and to permit persons to whom the Software is
 * furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in all
 * copies or substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 * IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 * FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 * AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 * LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 * OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
 * SOFTWARE.
 */
import type { EnhancedStore, Middleware, Reducer, UnknownAction } from '@reduxjs/toolkit'
import { setupListeners } from '@reduxjs/toolkit/query'
import { afterEach, beforeEach, expect } from '../../harness'
import { configureStore } from '../../toolkit'

interface CustomMatchers<R = unknown> {
  toMatchSequence(...matchers: Array<(arg: any) => boolean>): R
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T = any> extends CustomMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends CustomMatchers {}
}

expect.extend({
  toMatchSequence(
    _actions: UnknownAction[],
    ...matchers: Array<(arg: any) => boolean>
  ) {
    const actions = _actions.concat()
    actions.shift() // remove INIT

    for (let i = 0; i < matchers.length; i++) {
      if (!matchers[i](actions[i])) {
        return {
          message: () =>
            `Action ${actions[i].type} does not match sequence at position ${i}.
All actions:
${actions.map((a) => a.type).join('\n')}`,
          pass: false,
        }
      }
    }
    return {
      message: () => `All actions match the sequence.`,
      pass: true,
    }
  },
})

export const actionsReducer = {
  actions: (state: UnknownAction[] = [], action: UnknownAction) => {
    // As of 2.0-beta.4, we are going to ignore all `subscriptionsUpdated` actions in tests
    if (action.type.includes('subscriptionsUpdated')) {
      return state
    }

    return [...state, action]
  },
}

export function setupApiStore<
  A extends {
    reducerPath: 'api'
    reducer: Reducer<any, any>
    middleware: Middleware
    util: { resetApiState(): any }
  },
  R extends Record<string, Reducer<any, any>> = Record<never, never>,
>(
  api: A,
  extraReducers?: R,
  options: {
    withoutListeners?: boolean
    withoutTestLifecycles?: boolean
    middleware?: {
      prepend?: Middleware[]
      concat?: Middleware[]
    }
  } = {},
) {
  const { middleware } = options
  const getStore = () =>
    configureStore({
      reducer: { api: api.reducer, ...extraReducers },
      middleware: (gdm) => {
        const tempMiddleware = gdm({
          serializableCheck: false,
          immutableCheck: false,
        }).concat(api.middleware)

        return tempMiddleware
          .concat(middleware?.concat ?? [])
          .prepend(middleware?.prepend ?? []) as typeof tempMiddleware
      },
      enhancers: (gde) =>
        gde({
          autoBatch: false,
        }),
    })

  type StoreType = EnhancedStore<
    {
      api: ReturnType<A['reducer']>
    } & {
      [K in keyof R]: ReturnType<R[K]>
    },
    UnknownAction,
    ReturnType<typeof getStore> extends EnhancedStore<any, any, infer M>
      ? M
      : never
  >

  const initialStore = getStore() as StoreType
  const refObj = {
    api,
    store: initialStore,
  }
  let cleanupListeners: () => void

  if (!options.withoutTestLifecycles) {
    beforeEach(() => {
      const store = getStore() as StoreType
      refObj.store = store
      if (!options.withoutListeners) {
        cleanupListeners = setupListeners(store.dispatch)
      }
    })
    afterEach(() => {
      if (!options.withoutListeners) {
        cleanupListeners()
      }
      refObj.store.dispatch(api.util.resetApiState())
    })
  }

  return refObj
}
