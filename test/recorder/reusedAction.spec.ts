import { legacy_createStore as createStore, type Reducer } from 'redux'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { replay } from 'redux-flight-recorder/replay'

/**
 * Actions are serialised when their lines are written, not at dispatch: an action object changed
 * after it was dispatched is logged as it is then (acceptance, session 26: a legacy app reusing one
 * action object got a log that replays diverging). In development the recorder says so, once,
 * when such an object comes back changed; a constant action dispatched again is fine.
 */

const total: Reducer<{ total: number }> = (s = { total: 0 }, a) => (a.type === 'add' ? { total: s.total + (a as unknown as { amount: number }).amount } : s)

afterEach(() => vi.restoreAllMocks())

describe('an action object dispatched again', () => {
  it('changed since: a development warning, once, that names the type and the cause', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const recorder = createFlightRecorder()
    const store = createStore(total, recorder.enhancer)
    const action = { type: 'add', amount: 0 }
    for (const amount of [1, 2, 3, 4]) {
      action.amount = amount
      store.dispatch(action)
    }
    expect(store.getState().total).toBe(10)
    const messages = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('dispatched again'))
    expect(messages).toEqual([
      "[redux-flight-recorder] The action object 'add' was dispatched again, changed since an earlier dispatch. The log writes an action when its line is written (at the flush, or when the buffer is read), so its entries not yet written hold what the object holds then, and replay may diverge there. Dispatch a new object each time.",
    ])
    // What the warning is about: every entry holds the last amount, and replay diverges.
    const result = replay(recorder.toJSONL(), { reducer: total })
    expect(result.divergence?.seq).toBe(1)
    await recorder.close()
  })

  it('unchanged (a constant action): no warning, and the log replays verified', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const recorder = createFlightRecorder()
    const store = createStore(total, recorder.enhancer)
    const ADD_ONE = { type: 'add', amount: 1 }
    for (let i = 0; i < 5; i++) store.dispatch(ADD_ONE)
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('dispatched again'))).toEqual([])
    expect(replay(recorder.toJSONL(), { reducer: total })).toMatchObject({ ok: true, verified: true })
    await recorder.close()
  })
})
