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

import type { PayloadAction } from '@reduxjs/toolkit'

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
const task = 'task'
export const taskCancelled = `${task}-${cancelled}` as const
export const taskCompleted = `${task}-${completed}` as const

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

/**
 * For autoBatchEnhancer's spec, which imports lodash's `debounce`: lodash is not a dependency here
 * (nor are its types), so this stands in for the one call the spec makes, `debounce(fn, wait)` with
 * lodash's defaults: one trailing call, with the last arguments, once `wait` ms pass without a call.
 * (lodash also compares `Date.now()`; with the spec's fake timers, which leave `Date` real, that
 * would only delay the call, never drop it.)
 */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, wait: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  return (...args: A) => {
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      fn(...args)
    }, wait)
  }
}

/** From src/createAction.ts (for dynamicMiddleware's spec; the public entries do not export it). */
export type BaseActionCreator<P, T extends string, M = never, E = never> = {
  type: T
  match: (action: unknown) => action is PayloadAction<P, T, M, E>
}

/** From src/serializableStateInvariantMiddleware.ts (for serializableStateInvariantMiddleware's spec). */
export function isNestedFrozen(value: object) {
  if (!Object.isFrozen(value)) return false

  for (const nestedValue of Object.values(value)) {
    if (typeof nestedValue !== 'object' || nestedValue === null) continue

    if (!isNestedFrozen(nestedValue)) return false
  }

  return true
}

/** From src/query/core/buildSelectors.ts (for infiniteQueries' spec). */
export type InfiniteQueryResultFlags = {
  hasNextPage: boolean
  hasPreviousPage: boolean
  isFetchingNextPage: boolean
  isFetchingPreviousPage: boolean
  isFetchNextPageError: boolean
  isFetchPreviousPageError: boolean
}
