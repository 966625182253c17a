/*
 * Vendored from reduxjs/redux-toolkit v2.12.0, packages/toolkit/src/query/tests/buildMiddleware.test.tsx (the newest version of
 * the specs the mirror here holds; the devDependency is 2.16.x).
 * Changes: imports: vitest's functions from test/upstream/harness.ts (globals upstream), `setupApiStore`, `actionsReducer` (and the `toMatchSequence` matcher) from ../helpers/setupApiStore (whose store comes from the harness that installs the recorder), msw's `delay` from ../helpers/internal; the tests wrapped in a describe and fake timers turned off after each test (both marked `Change:` below).
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
import { afterEach, describe, expect, it, vi } from '../../harness'
import { createApi } from '@reduxjs/toolkit/query'
import { delay } from '../helpers/internal'
import { actionsReducer, setupApiStore } from '../helpers/setupApiStore'


const baseQuery = (args?: any) => ({ data: args })
const api = createApi({
  baseQuery,
  tagTypes: ['Banana', 'Bread'],
  endpoints: (build) => ({
    getBanana: build.query<unknown, number>({
      query(id) {
        return { url: `banana/${id}` }
      },
      providesTags: ['Banana'],
    }),
    getBananas: build.query<unknown, void>({
      query() {
        return { url: 'bananas' }
      },
      providesTags: ['Banana'],
    }),
    getBread: build.query<unknown, number>({
      query(id) {
        return { url: `bread/${id}` }
      },
      providesTags: ['Bread'],
    }),
    invalidateFruit: build.mutation({
      query: (fruit?: 'Banana' | 'Bread' | null) => ({
        url: `invalidate/fruit/${fruit || ''}`,
      }),
      invalidatesTags(result, error, arg) {
        return [arg]
      },
    }),
  }),
})
const { getBanana, getBread, invalidateFruit } = api.endpoints

// Change: the tests below are wrapped in a describe (upstream has them at the top level), so that
// the harness registers them, and the store setupApiStore makes, once per mode.
describe('buildMiddleware', () => {
  // Change: the last test turns fake timers on and never off; upstream's file ends there, but here
  // the next mode's tests (and the harness's closing of the recorders) come after it.
  afterEach(() => {
    vi.useRealTimers()
  })

  const storeRef = setupApiStore(api, {
    ...actionsReducer,
  })

  it('invalidates the specified tags', async () => {
    await storeRef.store.dispatch(getBanana.initiate(1))
    expect(storeRef.store.getState().actions).toMatchSequence(
      api.internalActions.middlewareRegistered.match,
      getBanana.matchPending,
      getBanana.matchFulfilled,
    )

    await storeRef.store.dispatch(api.util.invalidateTags(['Banana', 'Bread']))

    // Slight pause to let the middleware run and such
    await delay(20)

    const firstSequence = [
      api.internalActions.middlewareRegistered.match,
      getBanana.matchPending,
      getBanana.matchFulfilled,
      api.util.invalidateTags.match,
      getBanana.matchPending,
      getBanana.matchFulfilled,
    ]
    expect(storeRef.store.getState().actions).toMatchSequence(...firstSequence)

    await storeRef.store.dispatch(getBread.initiate(1))
    await storeRef.store.dispatch(api.util.invalidateTags([{ type: 'Bread' }]))

    await delay(20)

    expect(storeRef.store.getState().actions).toMatchSequence(
      ...firstSequence,
      getBread.matchPending,
      getBread.matchFulfilled,
      api.util.invalidateTags.match,
      getBread.matchPending,
      getBread.matchFulfilled,
    )
  })

  it('invalidates tags correctly when null or undefined are provided as tags', async () => {
    await storeRef.store.dispatch(getBanana.initiate(1))
    await storeRef.store.dispatch(
      api.util.invalidateTags([undefined, null, 'Banana']),
    )

    // Slight pause to let the middleware run and such
    await delay(20)

    const apiActions = [
      api.internalActions.middlewareRegistered.match,
      getBanana.matchPending,
      getBanana.matchFulfilled,
      api.util.invalidateTags.match,
      getBanana.matchPending,
      getBanana.matchFulfilled,
    ]

    expect(storeRef.store.getState().actions).toMatchSequence(...apiActions)
  })

  it.each([
    {
      tags: [undefined, null, 'Bread'] as Parameters<
        typeof api.util.invalidateTags
      >['0'],
    },
    { tags: [undefined, null] },
    { tags: [] },
  ])(
    'does not invalidate with tags=$tags if no query matches',
    async ({ tags }) => {
      await storeRef.store.dispatch(getBanana.initiate(1))
      await storeRef.store.dispatch(api.util.invalidateTags(tags))

      // Slight pause to let the middleware run and such
      await delay(20)

      const apiActions = [
        api.internalActions.middlewareRegistered.match,
        getBanana.matchPending,
        getBanana.matchFulfilled,
        api.util.invalidateTags.match,
      ]

      expect(storeRef.store.getState().actions).toMatchSequence(...apiActions)
    },
  )

  it.each([
    { mutationArg: 'Bread' as 'Bread' | null | undefined },
    { mutationArg: undefined },
    { mutationArg: null },
  ])(
    'does not invalidate queries when a mutation with tags=[$mutationArg] runs and does not match anything',
    async ({ mutationArg }) => {
      await storeRef.store.dispatch(getBanana.initiate(1))
      await storeRef.store.dispatch(invalidateFruit.initiate(mutationArg))

      // Slight pause to let the middleware run and such
      await delay(20)

      const apiActions = [
        api.internalActions.middlewareRegistered.match,
        getBanana.matchPending,
        getBanana.matchFulfilled,
        invalidateFruit.matchPending,
        invalidateFruit.matchFulfilled,
      ]

      expect(storeRef.store.getState().actions).toMatchSequence(...apiActions)
    },
  )

  it('correctly stringifies subscription state and dispatches subscriptionsUpdated', async () => {
    // Create a fresh store for this test to avoid interference
    const testStoreRef = setupApiStore(
      api,
      {
        ...actionsReducer,
      },
      { withoutListeners: true },
    )

    // Start multiple subscriptions
    const subscription1 = testStoreRef.store.dispatch(
      getBanana.initiate(1, {
        subscriptionOptions: { pollingInterval: 1000 },
      }),
    )
    const subscription2 = testStoreRef.store.dispatch(
      getBanana.initiate(2, {
        subscriptionOptions: { refetchOnFocus: true },
      }),
    )
    const subscription3 = testStoreRef.store.dispatch(
      api.endpoints.getBananas.initiate(),
    )

    // Wait for the subscriptions to be established
    await Promise.all([subscription1, subscription2, subscription3])

    // Wait for the subscription sync timer (500ms + buffer)
    await delay(600)

    // Check the final subscription state in the store
    const finalState = testStoreRef.store.getState()
    const subscriptionState = finalState[api.reducerPath].subscriptions

    // Should have subscriptions for getBanana(1), getBanana(2), and getBananas()
    expect(subscriptionState).toMatchObject({
      'getBanana(1)': {
        [subscription1.requestId]: { pollingInterval: 1000 },
      },
      'getBanana(2)': {
        [subscription2.requestId]: { refetchOnFocus: true },
      },
      'getBananas(undefined)': {
        [subscription3.requestId]: {},
      },
    })

    // Verify the subscription entries have the expected structure
    expect(Object.keys(subscriptionState)).toHaveLength(3)
    expect(subscriptionState['getBanana(1)']?.[subscription1.requestId]).toEqual({
      pollingInterval: 1000,
    })
    expect(subscriptionState['getBanana(2)']?.[subscription2.requestId]).toEqual({
      refetchOnFocus: true,
    })
    expect(
      subscriptionState['getBananas(undefined)']?.[subscription3.requestId],
    ).toEqual({})
  })

  it('does not leak subscription state between multiple stores using the same API instance (SSR scenario)', async () => {
    vi.useFakeTimers()
    // Simulate SSR: create API once at module level
    const sharedApi = createApi({
      baseQuery: (args?: any) => ({ data: args }),
      tagTypes: ['Test'],
      endpoints: (build) => ({
        getTest: build.query<unknown, number>({
          query(id) {
            return { url: `test/${id}` }
          },
        }),
      }),
    })

    // Create first store (simulating first SSR request)
    const store1Ref = setupApiStore(sharedApi, {}, { withoutListeners: true })

    // Add subscription in store1
    const sub1 = store1Ref.store.dispatch(
      sharedApi.endpoints.getTest.initiate(1, {
        subscriptionOptions: { pollingInterval: 1000 },
      }),
    )
    vi.advanceTimersByTime(10)
    await sub1

    // Wait for subscription sync (500ms + buffer)
    vi.advanceTimersByTime(600)

    // Verify store1 has the subscription
    const store1SubscriptionSelectors = store1Ref.store.dispatch(
      sharedApi.internalActions.internal_getRTKQSubscriptions(),
    ) as any
    const store1InternalSubs = store1SubscriptionSelectors.getSubscriptions()
    expect(store1InternalSubs.size).toBe(1)

    // Create second store (simulating second SSR request)
    const store2Ref = setupApiStore(sharedApi, {}, { withoutListeners: true })

    // Check subscriptions via internal action
    const store2SubscriptionSelectors = store2Ref.store.dispatch(
      sharedApi.internalActions.internal_getRTKQSubscriptions(),
    ) as any

    const store2InternalSubs = store2SubscriptionSelectors.getSubscriptions()

    expect(store2InternalSubs.size).toBe(0)
  })
})
