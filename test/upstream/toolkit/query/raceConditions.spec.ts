/*
 * Vendored from reduxjs/redux-toolkit v2.12.0, packages/toolkit/src/query/tests/raceConditions.test.ts (the newest version of
 * the specs the mirror here holds; the devDependency is 2.16.x).
 * Changes: imports only: `@reduxjs/toolkit` from the harness that installs the recorder (test/upstream/toolkit.ts), vitest's functions from test/upstream/harness.ts (globals upstream), RTK's internal helpers (`noop`, `delay`, `promiseWithResolvers`, the listener error codes; msw's `delay`) from ./helpers, internal types from the public entries.
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
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test, vi } from '../../harness'
import { createApi, QueryStatus } from '@reduxjs/toolkit/query'
import { delay } from '../../toolkit/helpers/internal'
import { actionsReducer, setupApiStore } from '../../toolkit/helpers/setupApiStore'

// We need to be able to control when which query resolves to simulate race
// conditions properly, that's the purpose of this factory.
const createPromiseFactory = () => {
  const resolveQueue: (() => void)[] = []
  const createPromise = () =>
    new Promise<void>((resolve) => {
      resolveQueue.push(resolve)
    })
  const resolveOldest = () => {
    resolveQueue.shift()?.()
  }
  return { createPromise, resolveOldest }
}

const getEatenBananaPromises = createPromiseFactory()
const eatBananaPromises = createPromiseFactory()

let eatenBananas = 0
const api = createApi({
  invalidationBehavior: 'delayed',
  baseQuery: () => undefined as any,
  tagTypes: ['Banana'],
  endpoints: (build) => ({
    // Eat a banana.
    eatBanana: build.mutation<unknown, void>({
      queryFn: async () => {
        await eatBananaPromises.createPromise()
        eatenBananas += 1
        return { data: null, meta: {} }
      },
      invalidatesTags: ['Banana'],
    }),

    // Get the number of eaten bananas.
    getEatenBananas: build.query<number, void>({
      queryFn: async (arg, arg1, arg2, arg3) => {
        const result = eatenBananas
        await getEatenBananaPromises.createPromise()
        return { data: result }
      },
      providesTags: ['Banana'],
    }),
  }),
})
const { getEatenBananas, eatBanana } = api.endpoints

const storeRef = setupApiStore(api, {
  ...actionsReducer,
})

it('invalidates a query after a corresponding mutation', async () => {
  eatenBananas = 0

  const query = storeRef.store.dispatch(getEatenBananas.initiate())
  const getQueryState = () =>
    storeRef.store.getState().api.queries[query.queryCacheKey]
  getEatenBananaPromises.resolveOldest()
  await delay(2)

  expect(getQueryState()?.data).toBe(0)
  expect(getQueryState()?.status).toBe(QueryStatus.fulfilled)

  const mutation = storeRef.store.dispatch(eatBanana.initiate())
  const getMutationState = () =>
    storeRef.store.getState().api.mutations[mutation.requestId]
  eatBananaPromises.resolveOldest()
  await delay(2)

  expect(getMutationState()?.status).toBe(QueryStatus.fulfilled)
  expect(getQueryState()?.data).toBe(0)
  expect(getQueryState()?.status).toBe(QueryStatus.pending)

  getEatenBananaPromises.resolveOldest()
  await delay(2)

  expect(getQueryState()?.data).toBe(1)
  expect(getQueryState()?.status).toBe(QueryStatus.fulfilled)
})

it('invalidates a query whose corresponding mutation finished while the query was in flight', async () => {
  eatenBananas = 0

  const query = storeRef.store.dispatch(getEatenBananas.initiate())
  const getQueryState = () =>
    storeRef.store.getState().api.queries[query.queryCacheKey]

  const mutation = storeRef.store.dispatch(eatBanana.initiate())
  const getMutationState = () =>
    storeRef.store.getState().api.mutations[mutation.requestId]
  eatBananaPromises.resolveOldest()
  await delay(2)
  expect(getMutationState()?.status).toBe(QueryStatus.fulfilled)

  getEatenBananaPromises.resolveOldest()
  await delay(2)
  expect(getQueryState()?.data).toBe(0)
  expect(getQueryState()?.status).toBe(QueryStatus.pending)

  // should already be refetching
  getEatenBananaPromises.resolveOldest()
  await delay(2)

  expect(getQueryState()?.status).toBe(QueryStatus.fulfilled)
  expect(getQueryState()?.data).toBe(1)
})
