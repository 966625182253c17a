/*
 * Helpers the vendored Redux Toolkit specs import from RTK's internals, copied from reduxjs/redux-toolkit
 * v2.12.0: `noop` (src/listenerMiddleware/utils.ts), `delay` and `promiseWithResolvers` (src/utils.ts),
 * the listener error codes (src/listenerMiddleware/exceptions.ts). msw's `delay(ms)` waits ms like
 * RTK's, so raceConditions imports this one.
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

export const noop = () => {}

export function delay(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export function promiseWithResolvers<T>(): {
  promise: Promise<T>
  resolve: (value: T | PromiseLike<T>) => void
  reject: (reason?: any) => void
} {
  let resolve: any
  let reject: any
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const listener = 'listener'
const completed = 'completed'
const cancelled = 'cancelled'
export const listenerCancelled = `${listener}-${cancelled}` as const
export const listenerCompleted = `${listener}-${completed}` as const

// Internal types of Redux Toolkit the specs name in type positions only; its public entries do not
// export them, so these stand-ins keep `tsc` quiet (the specs' values are unaffected).
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export type AddListenerOverloads<Return = unknown, State = unknown, Dispatch = unknown> = any
export type SubscriptionSelectors = { getSubscriptions: any; isRequestSubscribed: any }

/** From src/query/core/buildMiddleware/cacheCollection.ts (for cacheCollection's spec). */
export const THIRTY_TWO_BIT_MAX_INT = 2_147_483_647
export const THIRTY_TWO_BIT_MAX_TIMER_SECONDS = 2_147_483_647 / 1_000 - 1

/** From src/query/utils/countObjectKeys.ts. */
export function countObjectKeys(obj: Record<any, any>) {
  let count = 0
  for (const _key in obj) {
    count++
  }
  return count
}
