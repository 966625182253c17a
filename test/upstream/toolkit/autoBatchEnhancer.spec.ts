// @vitest-environment jsdom
/*
 * Vendored from reduxjs/redux-toolkit v2.12.0, packages/toolkit/src/tests/autoBatchEnhancer.test.ts (the newest version of
 * the specs the mirror here holds; the devDependency is 2.16.x).
 * Changes: imports only: `@reduxjs/toolkit` from the harness that installs the recorder (test/upstream/toolkit.ts), vitest's functions from test/upstream/harness.ts (globals upstream; `vitest` is its `vi`), RTK's internal `delay` and lodash's `debounce` from ./helpers/internal (a stand-in: lodash is not a dependency here); the `@vitest-environment jsdom` line above, as upstream runs its specs under jsdom (the `raf` fallback spec stubs `requestAnimationFrame`, which Redux Toolkit reads from `window`).
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
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi as vitest } from '../harness'
import type { AutoBatchOptions } from '../toolkit'
import { configureStore, createSlice, prepareAutoBatched } from '../toolkit'
// lodash's `debounce`: a stand-in (lodash is not a dependency here).
import { debounce, delay } from './helpers/internal'

interface CounterState {
  value: number
}

const counterSlice = createSlice({
  name: 'counter',
  initialState: { value: 0 } as CounterState,
  reducers: {
    incrementBatched: {
      // Batched, low-priority
      reducer(state) {
        state.value += 1
      },
      prepare: prepareAutoBatched<void>(),
    },
    // Not batched, normal priority
    decrementUnbatched(state) {
      state.value -= 1
    },
  },
})
const { incrementBatched, decrementUnbatched } = counterSlice.actions

const makeStore = (autoBatchOptions?: AutoBatchOptions) => {
  return configureStore({
    reducer: counterSlice.reducer,
    enhancers: (getDefaultEnhancers) =>
      getDefaultEnhancers({
        autoBatch: autoBatchOptions,
      }),
  })
}

let store: ReturnType<typeof makeStore>

let subscriptionNotifications = 0

const cases: AutoBatchOptions[] = [
  { type: 'tick' },
  { type: 'raf' },
  { type: 'timer', timeout: 0 },
  { type: 'timer', timeout: 10 },
  { type: 'timer', timeout: 20 },
  {
    type: 'callback',
    queueNotification: debounce((notify: () => void) => {
      notify()
    }, 5),
  },
]

describe.each(cases)('autoBatchEnhancer: %j', (autoBatchOptions) => {
  beforeEach(() => {
    subscriptionNotifications = 0
    store = makeStore(autoBatchOptions)

    store.subscribe(() => {
      subscriptionNotifications++
    })
  })
  test('Does not alter normal subscription notification behavior', async () => {
    store.dispatch(decrementUnbatched())
    expect(subscriptionNotifications).toBe(1)
    store.dispatch(decrementUnbatched())
    expect(subscriptionNotifications).toBe(2)
    store.dispatch(decrementUnbatched())
    expect(subscriptionNotifications).toBe(3)
    store.dispatch(decrementUnbatched())

    await delay(25)

    expect(subscriptionNotifications).toBe(4)
  })

  test('Only notifies once if several batched actions are dispatched in a row', async () => {
    store.dispatch(incrementBatched())
    expect(subscriptionNotifications).toBe(0)
    store.dispatch(incrementBatched())
    expect(subscriptionNotifications).toBe(0)
    store.dispatch(incrementBatched())
    expect(subscriptionNotifications).toBe(0)
    store.dispatch(incrementBatched())

    await delay(25)

    expect(subscriptionNotifications).toBe(1)
  })

  test('Notifies immediately if a non-batched action is dispatched', async () => {
    store.dispatch(incrementBatched())
    expect(subscriptionNotifications).toBe(0)
    store.dispatch(incrementBatched())
    expect(subscriptionNotifications).toBe(0)
    store.dispatch(decrementUnbatched())
    expect(subscriptionNotifications).toBe(1)
    store.dispatch(incrementBatched())

    await delay(25)

    expect(subscriptionNotifications).toBe(2)
  })

  test('Does not notify at end of tick if last action was normal priority', async () => {
    store.dispatch(incrementBatched())
    expect(subscriptionNotifications).toBe(0)
    store.dispatch(incrementBatched())
    expect(subscriptionNotifications).toBe(0)
    store.dispatch(decrementUnbatched())
    expect(subscriptionNotifications).toBe(1)
    store.dispatch(incrementBatched())
    store.dispatch(decrementUnbatched())
    expect(subscriptionNotifications).toBe(2)
    store.dispatch(decrementUnbatched())
    expect(subscriptionNotifications).toBe(3)

    await delay(25)

    expect(subscriptionNotifications).toBe(3)
  })
})

describe.each(cases)(
  'autoBatchEnhancer with fake timers: %j',
  (autoBatchOptions) => {
    beforeAll(() => {
      vitest.useFakeTimers({
        toFake: ['setTimeout', 'queueMicrotask', 'requestAnimationFrame'],
      })
    })
    afterAll(() => {
      vitest.useRealTimers()
    })
    beforeEach(() => {
      subscriptionNotifications = 0
      store = makeStore(autoBatchOptions)

      store.subscribe(() => {
        subscriptionNotifications++
      })
    })
    test('Does not alter normal subscription notification behavior', () => {
      store.dispatch(decrementUnbatched())
      expect(subscriptionNotifications).toBe(1)
      store.dispatch(decrementUnbatched())
      expect(subscriptionNotifications).toBe(2)
      store.dispatch(decrementUnbatched())
      expect(subscriptionNotifications).toBe(3)
      store.dispatch(decrementUnbatched())

      vitest.runAllTimers()

      expect(subscriptionNotifications).toBe(4)
    })

    test('Only notifies once if several batched actions are dispatched in a row', () => {
      store.dispatch(incrementBatched())
      expect(subscriptionNotifications).toBe(0)
      store.dispatch(incrementBatched())
      expect(subscriptionNotifications).toBe(0)
      store.dispatch(incrementBatched())
      expect(subscriptionNotifications).toBe(0)
      store.dispatch(incrementBatched())

      vitest.runAllTimers()

      expect(subscriptionNotifications).toBe(1)
    })

    test('Notifies immediately if a non-batched action is dispatched', () => {
      store.dispatch(incrementBatched())
      expect(subscriptionNotifications).toBe(0)
      store.dispatch(incrementBatched())
      expect(subscriptionNotifications).toBe(0)
      store.dispatch(decrementUnbatched())
      expect(subscriptionNotifications).toBe(1)
      store.dispatch(incrementBatched())

      vitest.runAllTimers()

      expect(subscriptionNotifications).toBe(2)
    })

    test('Does not notify at end of tick if last action was normal priority', () => {
      store.dispatch(incrementBatched())
      expect(subscriptionNotifications).toBe(0)
      store.dispatch(incrementBatched())
      expect(subscriptionNotifications).toBe(0)
      store.dispatch(decrementUnbatched())
      expect(subscriptionNotifications).toBe(1)
      store.dispatch(incrementBatched())
      store.dispatch(decrementUnbatched())
      expect(subscriptionNotifications).toBe(2)
      store.dispatch(decrementUnbatched())
      expect(subscriptionNotifications).toBe(3)

      vitest.runAllTimers()

      expect(subscriptionNotifications).toBe(3)
    })
  },
)

describe('autoBatchEnhancer raf with background tab fallback', () => {
  const rafCallbacks: FrameRequestCallback[] = []

  beforeAll(() => {
    vitest.useFakeTimers({ toFake: ['setTimeout'] })
    vitest.stubGlobal(
      'requestAnimationFrame',
      vitest.fn((cb: FrameRequestCallback) => {
        rafCallbacks.push(cb)
        return rafCallbacks.length
      }),
    )
    vitest.stubGlobal('cancelAnimationFrame', vitest.fn())
  })

  afterAll(() => {
    vitest.useRealTimers()
    vitest.unstubAllGlobals()
  })

  beforeEach(() => {
    subscriptionNotifications = 0
    rafCallbacks.length = 0
    store = makeStore({ type: 'raf' })
    store.subscribe(() => {
      subscriptionNotifications++
    })
  })

  test('Notifies subscribers via setTimeout fallback when requestAnimationFrame does not fire', () => {
    store.dispatch(incrementBatched())
    store.dispatch(incrementBatched())
    store.dispatch(incrementBatched())

    expect(rafCallbacks.length).toBe(1)
    expect(subscriptionNotifications).toBe(0)

    vitest.advanceTimersByTime(100)

    expect(subscriptionNotifications).toBe(1)
    expect(store.getState().value).toBe(3)
  })

  test('Does not double-notify if both raf and setTimeout would fire', () => {
    store.dispatch(incrementBatched())
    expect(subscriptionNotifications).toBe(0)

    rafCallbacks[0](performance.now())
    expect(subscriptionNotifications).toBe(1)

    vitest.advanceTimersByTime(100)
    expect(subscriptionNotifications).toBe(1)
  })
})
