/**
 * Issue 8 (4): the Redux enhancer contract still holds with the recorder installed, under Redux 5,
 * Redux 4.2, Redux Toolkit 2 and Redux Toolkit 1.9. Every test runs the same script on a store
 * with the recorder and on the same store without it, and compares what the app can observe:
 * listener calls, states, notification counts, observable emissions, error classes and messages.
 * (Redux DevTools' instrument: devtools-instrument.spec.ts.)
 */
import type { Reducer } from 'redux'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, type FlightRecorder } from 'redux-flight-recorder'
import { isActionEntry, replay } from 'redux-flight-recorder/replay'
import { $$observable, FLAVOURS, type AnyStore, type Flavour, type MakeOptions } from './flavours'

interface CounterState {
  n: number
  notes: string[]
}
const initial: CounterState = { n: 0, notes: [] }
const counter: Reducer<CounterState, any> = (state = initial, action) => {
  switch (action.type) {
    case 'inc':
      return { ...state, n: state.n + 1 }
    case 'note':
      return { ...state, notes: [...state.notes, String(action.payload)] }
    default:
      return state
  }
}

/** Runs `script` on a store without the recorder and on one with it. */
function both<T>(flavour: Flavour, reducer: Reducer<any, any>, script: (store: AnyStore) => T, options: Omit<MakeOptions, 'recorder'> = {}) {
  const without = script(flavour.make(reducer, options))
  const recorder = createFlightRecorder()
  const store = flavour.make(reducer, { ...options, recorder })
  const withRecorder = script(store)
  return { without, withRecorder, recorder, store }
}

async function bothAsync<T>(flavour: Flavour, reducer: Reducer<any, any>, script: (store: AnyStore) => Promise<T>, options: Omit<MakeOptions, 'recorder'> = {}) {
  const without = await script(flavour.make(reducer, options))
  const recorder = createFlightRecorder()
  const withRecorder = await script(flavour.make(reducer, { ...options, recorder }))
  return { without, withRecorder, recorder }
}

function errorOf(fn: () => unknown): { name: string; message: string } | null {
  try {
    fn()
    return null
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message }
  }
}

const kinds = (recorder: FlightRecorder) => recorder.snapshot().entries.map((e) => e.kind)

describe.each(FLAVOURS.map((f) => [f.name, f] as const))('the enhancer contract with the recorder installed (%s)', (_name, flavour) => {
  it('records every reducer input once, in order, and the log replays to the same state', () => {
    const { without, withRecorder, recorder } = both(flavour, counter, (store) => {
      for (let i = 0; i < 5; i++) store.dispatch({ type: i % 2 ? 'note' : 'inc', payload: `p${i}` })
      return store.getState()
    })
    expect(withRecorder).toEqual(without)
    expect(kinds(recorder)).toEqual(['inc', 'note', 'inc', 'note', 'inc'])
    const result = replay(recorder.snapshot(), { reducer: counter })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 5 })
    expect(result.state).toEqual(without)
  })

  it('subscribe and unsubscribe during a dispatch, and a dispatch from a listener, behave exactly as without the recorder', () => {
    const script = (store: AnyStore) => {
      const calls: string[] = []
      let changed = false
      let nested = false
      let unsubscribeB: () => void = () => {}
      const a = () => {
        calls.push(`A n=${store.getState().n} notes=${store.getState().notes.length}`)
        if (!changed) {
          changed = true
          // Redux snapshots listeners per dispatch: B still runs for this one, C from the next.
          unsubscribeB()
          store.subscribe(() => calls.push(`C n=${store.getState().n}`))
        }
      }
      const b = () => {
        calls.push(`B n=${store.getState().n}`)
        if (!nested) {
          nested = true
          store.dispatch({ type: 'note', payload: 'from B' })
        }
      }
      const offA = store.subscribe(a)
      unsubscribeB = store.subscribe(b)
      store.dispatch({ type: 'inc' })
      store.dispatch({ type: 'inc' })
      unsubscribeB() // a second unsubscribe is harmless
      offA()
      store.dispatch({ type: 'inc' })
      return { calls, state: store.getState() }
    }
    const { without, withRecorder, recorder } = both(flavour, counter, script)
    expect(withRecorder).toEqual(without)
    expect(without.calls.length).toBeGreaterThan(4)
    // The listener's dispatch is recorded right after the action that triggered it, in its turn.
    const entries = recorder.snapshot().entries.filter(isActionEntry)
    expect(entries.map((e) => e.kind)).toEqual(['inc', 'note', 'inc', 'inc'])
    expect(entries[1].turn).toBe(entries[0].turn)
    expect(replay(recorder.snapshot(), { reducer: counter }).ok).toBe(true)
  })

  it('replaceReducer gives the same states and notifications, is one @@replaceReducer entry, and keeps Redux’s error for a non-function', () => {
    const next: Reducer<CounterState, any> = (state = initial, action) => (action.type === 'inc' ? { ...state, n: state.n + 10 } : counter(state, action))
    const script = (store: AnyStore) => {
      let notified = 0
      store.subscribe(() => void notified++)
      store.dispatch({ type: 'inc' })
      const returned = store.replaceReducer(next)
      store.dispatch({ type: 'inc' })
      const error = errorOf(() => store.replaceReducer(undefined as never))
      store.dispatch({ type: 'note', payload: 'after' })
      return { returned, notified, state: store.getState(), error }
    }
    const { without, withRecorder, recorder } = both(flavour, counter, script)
    expect(withRecorder).toEqual(without)
    expect(without.error?.message).toMatch(/reducer/i)
    expect(kinds(recorder)).toEqual(['inc', '@@replaceReducer', 'inc', 'note'])
    expect(replay(recorder.snapshot(), { reducer: counter, onReplaceReducer: () => next })).toMatchObject({ ok: true, verified: true })
  })

  it('the observable interop emits the same states, returns itself, stops on unsubscribe, and rejects a bad observer the same way', () => {
    const script = (store: AnyStore) => {
      const key = store[$$observable] ? $$observable : '@@observable'
      const observable = store[key]()
      const seen: number[] = []
      const subscription = observable.subscribe({ next: (s: CounterState) => seen.push(s.n) })
      store.dispatch({ type: 'inc' })
      store.dispatch({ type: 'inc' })
      subscription.unsubscribe()
      store.dispatch({ type: 'inc' })
      return {
        hasKey: typeof store[key] === 'function',
        self: observable[key]() === observable,
        seen,
        badObserver: errorOf(() => observable.subscribe(42)),
      }
    }
    const { without, withRecorder } = both(flavour, counter, script)
    expect(without).toEqual({ hasKey: true, self: true, seen: [0, 1, 2], badObserver: expect.objectContaining({ message: expect.stringMatching(/Expected the observer to be an object/) }) })
    expect(withRecorder).toEqual(without)
  })

  it("Redux's own errors (non-plain actions, missing type, dispatch/getState/subscribe inside a reducer) reach the caller unchanged and leave no entry", () => {
    let current: AnyStore | undefined
    const misbehaving: Reducer<CounterState, any> = (state = initial, action) => {
      if (action.type === 'dispatch-inside') current!.dispatch({ type: 'inc' })
      if (action.type === 'getState-inside') current!.getState()
      if (action.type === 'subscribe-inside') current!.subscribe(() => {})
      return counter(state, action)
    }
    const script = (store: AnyStore) => {
      current = store
      const errors: Record<string, { name: string; message: string } | null> = {
        'a string': errorOf(() => store.dispatch('not an action')),
        'a number': errorOf(() => store.dispatch(42)),
        'undefined': errorOf(() => store.dispatch(undefined)),
        'null': errorOf(() => store.dispatch(null)),
        'a Map': errorOf(() => store.dispatch(new Map([['type', 'inc']]))),
        'a class instance': errorOf(() => store.dispatch(new (class Action { type = 'inc' })())),
        'an object without type': errorOf(() => store.dispatch({ payload: 1 })),
        'type undefined': errorOf(() => store.dispatch({ type: undefined })),
        'dispatch inside a reducer': errorOf(() => store.dispatch({ type: 'dispatch-inside' })),
        'getState inside a reducer': errorOf(() => store.dispatch({ type: 'getState-inside' })),
        'subscribe inside a reducer': errorOf(() => store.dispatch({ type: 'subscribe-inside' })),
      }
      if (!flavour.toolkit) errors['a function without thunk middleware'] = errorOf(() => store.dispatch(() => 1))
      store.dispatch({ type: 'inc' })
      return { errors, state: store.getState() }
    }
    // The toolkit's development checks warn (console.error) about some of these first; that is the same with and without.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const { without, withRecorder, recorder } = both(flavour, misbehaving, script)
      expect(withRecorder).toEqual(without)
      expect(without.errors['a string']?.message).toMatch(/plain object/)
      // With the toolkit's middleware, its own getState() call meets Redux's reducer guard first.
      expect(without.errors['dispatch inside a reducer']?.message).toMatch(flavour.toolkit ? /Reducers may not dispatch actions|may not call store.getState\(\) while the reducer is executing/ : /Reducers may not dispatch actions/)
      expect(without.errors['getState inside a reducer']?.message).toMatch(/may not call store.getState\(\) while the reducer is executing/)
      expect(without.errors['subscribe inside a reducer']?.message).toMatch(/may not call store.subscribe\(\) while the reducer is executing/)
      if (!flavour.toolkit) expect(without.errors['a function without thunk middleware']?.message).toMatch(/actual type was: 'function'/)
      // What Redux refuses before the reducer runs leaves no entry; a reducer call that throws (Redux's
      // guards inside it) is an entry that says so, its state unchanged; and the one successful dispatch
      // (Redux 4 accepts `type: undefined`? then both agree and it is an entry).
      const entries = recorder.snapshot().entries.filter(isActionEntry).filter((e) => e.kind !== 'undefined')
      expect(entries.map((e) => [e.kind, e.threw?.name ?? null])).toEqual([
        ['dispatch-inside', 'Error'],
        ['getState-inside', 'Error'],
        ['subscribe-inside', 'Error'],
        ['inc', null],
      ])
      expect(entries.slice(0, 3).map((e) => e.threw!.message)).toEqual([withRecorder.errors['dispatch inside a reducer']!.message, withRecorder.errors['getState inside a reducer']!.message, withRecorder.errors['subscribe inside a reducer']!.message])
      expect(recorder.snapshot().entries.filter((e) => e.kind === '@@error')).toEqual([])
    } finally {
      quiet.mockRestore()
    }
  })
})

const BATCH_MODES: [string, (queue: (() => void)[]) => MakeOptions['autoBatch']][] = [
  ['tick', () => ({ type: 'tick' })],
  ['timer', () => ({ type: 'timer', timeout: 5 })],
  ['raf (a timer in Node)', () => ({ type: 'raf' })],
  ['callback', (queue) => ({ type: 'callback', queueNotification: (notify) => void queue.push(notify) })],
]

describe.each(FLAVOURS.filter((f) => f.toolkit).map((f) => [f.name, f] as const))("RTK's autoBatchEnhancer with the recorder innermost (%s)", (_name, flavour) => {
  it.each(BATCH_MODES)('notifies subscribers exactly as often as without the recorder in %s mode', async (_mode, options) => {
    const script = async (store: AnyStore, queue: (() => void)[]) => {
      let notified = 0
      store.subscribe(() => void notified++)
      const counts: number[] = []
      const settle = async () => {
        for (const notify of queue.splice(0)) notify()
        // Long enough for the tick, timer (5 ms) and raf-fallback (10 ms) notifications to run.
        await new Promise((r) => setTimeout(r, 40))
      }
      for (let i = 0; i < 5; i++) store.dispatch(flavour.autoBatched!({ type: 'note', payload: `b${i}` }))
      counts.push(notified)
      store.dispatch({ type: 'inc' }) // a normal action notifies at once, batched ones included
      counts.push(notified)
      for (let i = 0; i < 3; i++) store.dispatch(flavour.autoBatched!({ type: 'note', payload: `c${i}` }))
      counts.push(notified)
      await settle()
      counts.push(notified)
      store.dispatch(flavour.autoBatched!({ type: 'note', payload: 'last' }))
      await settle()
      counts.push(notified)
      return { counts, state: store.getState() }
    }
    const withoutQueue: (() => void)[] = []
    const without = await script(flavour.make(counter, { autoBatch: options(withoutQueue) }), withoutQueue)
    const recorder = createFlightRecorder()
    const withQueue: (() => void)[] = []
    const withRecorder = await script(flavour.make(counter, { autoBatch: options(withQueue), recorder }), withQueue)
    expect(withRecorder).toEqual(without)
    // The batching is real: five batched dispatches did not notify five times.
    expect(without.counts[0]).toBeLessThan(5)
    expect(kinds(recorder)).toEqual(['note', 'note', 'note', 'note', 'note', 'inc', 'note', 'note', 'note', 'note'])
    expect(replay(recorder.snapshot(), { reducer: counter }).ok).toBe(true)
  })
})

describe('thunks and async thunks across flavours', () => {
  it.each(FLAVOURS.filter((f) => f.toolkit).map((f) => [f.name, f] as const))('keeps thunk results and turns (%s)', async (_name, flavour) => {
    const script = async (store: AnyStore) => {
      const result = store.dispatch(async (dispatch: (a: unknown) => unknown) => {
        dispatch({ type: 'note', payload: 'before await' })
        await new Promise((r) => setTimeout(r, 1))
        dispatch({ type: 'note', payload: 'after await' })
        return 'thunk result'
      })
      return { returned: await result, state: store.getState() }
    }
    const { without, withRecorder, recorder } = await bothAsync(flavour, counter, script)
    expect(withRecorder).toEqual(without)
    const entries = recorder.snapshot().entries.filter(isActionEntry)
    // Without an async context (asyncTurns() in Node), a plain thunk's dispatch after `await`
    // starts a new turn: the thunk gets the store's own dispatch, untouched (docs/turns.md).
    expect(entries.map((e) => (e.action as { payload?: unknown }).payload)).toEqual(['before await', 'after await'])
    expect(entries[1].turn).not.toBe(entries[0].turn)
  })
})
