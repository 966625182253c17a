import { applyMiddleware, compose, legacy_createStore as createStore, type Reducer } from 'redux'
import { configureStore } from '@reduxjs/toolkit'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'

const counter: Reducer<number> = (s = 0, a) => (a.type === 'inc' ? s + 1 : s)

/** An action whose `meta` getter throws (a Proxy's trap behaves the same). */
function throwingMeta(): { type: string } {
  const action = { type: 'inc', payload: 1 }
  Object.defineProperty(action, 'meta', {
    enumerable: true,
    get() {
      throw new Error('meta getter boom')
    },
  })
  return action
}
const proxied = (): { type: string } =>
  new Proxy({ type: 'inc' }, { get: (t, k) => (k === 'meta' ? (() => { throw new Error('trap meta') })() : (t as Record<PropertyKey, unknown>)[k as string]) })

/** What dispatch returns or throws, as text. */
function outcome(dispatch: () => unknown): string {
  try {
    return 'returned ' + (dispatch() as { type: string }).type
  } catch (error) {
    return 'threw ' + (error as Error).message
  }
}

describe('an action whose meta cannot be read', () => {
  for (const setup of ['enhancer only', 'enhancer and middleware'] as const) {
    for (const [name, make] of [['a throwing getter', throwingMeta], ['a Proxy whose get trap throws', proxied]] as const) {
      it(`${setup}, ${name}: dispatch behaves as without the recorder, and the action is logged and replays`, async () => {
        const sink = memorySink()
        const faults: string[] = []
        const recorder = createFlightRecorder({ sinks: [sink], onError: (e) => faults.push(e.message) })
        const enhancer = setup === 'enhancer only' ? recorder.enhancer : compose(applyMiddleware(recorder.middleware), recorder.enhancer)
        const store = createStore(counter, enhancer as never)
        const plain = createStore(counter)
        expect(outcome(() => store.dispatch(make()))).toBe(outcome(() => plain.dispatch(make())))
        store.dispatch({ type: 'inc' })
        plain.dispatch({ type: 'inc' })
        expect(store.getState()).toBe(plain.getState())
        await recorder.close()
        const { entries, end } = parseRecording(sink.text())
        expect(entries.map((e) => e.kind)).toEqual(['inc', 'inc'])
        expect(end?.count).toBe(2)
        const [first, second] = entries.filter(isActionEntry)
        // Each dispatch from outside has a turn of its own: the unreadable meta names none.
        expect([first.turn, second.turn]).toEqual(['t1', 't2'])
        if (name === 'a throwing getter') expect(first.omitted).toEqual([{ path: 'meta', kind: 'getter-threw' }])
        expect(faults).toEqual([])
        const result = replay(sink.text(), { reducer: counter })
        expect(result).toMatchObject({ ok: true, verified: true, steps: 2, checked: 3 })
      })
    }
  }
})

describe('a redacted meta.turn', () => {
  for (const path of ['meta', 'meta.turn', '**.turn', 'meta.*'])
    it(`redact.actions ['${path}']: the turn an action names is not written; its entry gets a numbered turn`, async () => {
      const sink = memorySink()
      const recorder = createFlightRecorder({ sinks: [sink], redact: { actions: [path] } })
      const store = createStore(counter, compose(applyMiddleware(recorder.middleware), recorder.enhancer) as never)
      store.dispatch({ type: 'inc', meta: { turn: 'SECRET-TURN-1' } })
      store.dispatch({ type: 'inc' })
      const live = recorder.toJSONL()
      await recorder.close()
      for (const text of [live, sink.text(), JSON.stringify(recorder.snapshot())]) expect(text).not.toContain('SECRET-TURN-1')
      const turns = parseRecording(sink.text()).entries.filter(isActionEntry).map((e) => e.turn)
      expect(turns).toEqual(['t1', 't2'])
    })

  it('an unredacted meta.turn is still the entry turn (and takes no number)', () => {
    const recorder = createFlightRecorder({ redact: { actions: ['meta.secret', 'payload.turn'] } })
    const store = createStore(counter, compose(applyMiddleware(recorder.middleware), recorder.enhancer) as never)
    store.dispatch({ type: 'inc', meta: { turn: 'checkout' } })
    store.dispatch({ type: 'inc' })
    expect(recorder.snapshot().entries.filter(isActionEntry).map((e) => e.turn)).toEqual(['checkout', 't1'])
  })
})

describe('the middleware without the enhancer', () => {
  it('warns once the store is made that nothing is recorded, and not when the enhancer is there (either order)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const lone = createFlightRecorder()
      createStore(counter, applyMiddleware(lone.middleware) as never).dispatch({ type: 'inc' })
      await Promise.resolve()
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('`recorder.middleware` is in a store whose `recorder.enhancer` is not, so nothing is recorded')])
      warn.mockClear()
      for (const order of ['middleware inside', 'middleware outside'] as const) {
        const recorder = createFlightRecorder()
        const enhancer = order === 'middleware inside' ? compose(recorder.enhancer, applyMiddleware(recorder.middleware)) : compose(applyMiddleware(recorder.middleware), recorder.enhancer)
        createStore(counter, enhancer as never).dispatch({ type: 'inc' })
        await Promise.resolve()
        expect(recorder.snapshot().entries).toHaveLength(1)
      }
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })
  it('warns at the first action too, for a script that dispatches and closes the recorder before the store is made known', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const lone = createFlightRecorder()
      const store = createStore(counter, applyMiddleware(lone.middleware) as never)
      store.dispatch({ type: 'inc' })
      store.dispatch({ type: 'inc' })
      await lone.close()
      await Promise.resolve()
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('`recorder.middleware` is in a store whose `recorder.enhancer` is not, so nothing is recorded')])
      expect(store.getState()).toBe(2)
    } finally {
      warn.mockRestore()
    }
  })
})

describe('a closed recorder applied to another store', () => {
  it('warns once that the store is not recorded (not that the enhancer is missing), and the store works', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const recorder = createFlightRecorder()
      const make = () => configureStore({ reducer: counter, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
      make().dispatch({ type: 'inc' })
      await recorder.close()
      expect(warn).not.toHaveBeenCalled()
      for (let k = 0; k < 2; k++) {
        const again = make()
        again.dispatch({ type: 'inc' })
        again.dispatch({ type: 'inc' })
        expect(again.getState()).toBe(2)
      }
      await Promise.resolve()
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('This recorder was closed (`recorder.close()`), so this store is not recorded')])
    } finally {
      warn.mockRestore()
    }
  })
})
