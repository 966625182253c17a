import { legacy_createStore as createStore, type Reducer } from 'redux'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink, stateHash, type LossyValue } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'

/** A class whose JSON holds a field no own key shows (a private field), as an ORM model or a Luxon-like value might. */
class User {
  #password: string
  constructor(
    readonly name: string,
    password: string,
  ) {
    this.#password = password
  }
  toJSON() {
    return { name: this.name, password: this.#password }
  }
}

interface Users {
  users: unknown[]
}
const users: Reducer<Users> = (s = { users: [new User('ann', 'SECRET-PW-ANN')] }, a) =>
  a.type === 'add' ? { users: [...s.users, (a as { payload?: unknown }).payload] } : s

const secrets = (text: string) => [...new Set(text.match(/SECRET-[\w-]+/g) ?? [])]

describe('values with a toJSON method', () => {
  for (const [label, redact] of [
    ['users.*.password / payload.password', { state: ['users.*.password'], actions: ['payload.password'] }],
    ['**.password', { state: ['**.password'], actions: ['**.password'] }],
  ] as const)
    it(`redaction (${label}) applies to what toJSON writes: no secret in the log, and it replays verified`, async () => {
      const sink = memorySink()
      const recorder = createFlightRecorder({ sinks: [sink], redact: { state: [...redact.state], actions: [...redact.actions] }, lossy: { warn: false } })
      const store = createStore(users, recorder.enhancer)
      store.dispatch({ type: 'add', payload: new User('bob', 'SECRET-PW-BOB') })
      const live = recorder.toJSONL()
      await recorder.close()
      expect(secrets(live)).toEqual([])
      expect(secrets(sink.text())).toEqual([])
      const log = parseRecording(sink.text())
      expect(log.end?.state).toEqual({ users: [{ name: 'ann', password: '[redacted]' }, { name: 'bob', password: '[redacted]' }] })
      expect(log.entries.filter(isActionEntry)[0].action).toEqual({ type: 'add', payload: { name: 'bob', password: '[redacted]' } })
      // The hash is the hash of what is written.
      expect(log.end?.hash).toBe(stateHash(log.end?.state))
      const result = replay(sink.text(), { reducer: users })
      expect(result).toMatchObject({ ok: true, verified: true })
    })

  it('an action value with its own toJSON is written as what it returns, as in state, and replays verified', async () => {
    const money = (cents: number) => ({ cents, toJSON: () => ({ amount: cents / 100, currency: 'EUR' }) })
    const pay: Reducer<{ total: unknown }> = (s = { total: null }, a) => (a.type === 'pay' ? { total: (a as { payload?: { amount: unknown } }).payload!.amount } : s)
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], lossy: { warn: false } })
    const store = createStore(pay, recorder.enhancer)
    store.dispatch({ type: 'pay', payload: { amount: money(1250) } })
    await recorder.close()
    const [entry] = parseRecording(sink.text()).entries.filter(isActionEntry)
    expect(entry.action).toEqual({ type: 'pay', payload: { amount: { amount: 12.5, currency: 'EUR' } } })
    expect(entry.omitted).toBeUndefined()
    expect(replay(sink.text(), { reducer: pay })).toMatchObject({ ok: true, verified: true })
  })

  it('a toJSON method is not reported as a lossy function; what its result loses is', async () => {
    const holder: Reducer<Record<string, unknown>> = (s = {}, a) => (a.type === 'set' ? { ...s, ...(a as { payload?: object }).payload } : s)
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], lossy: { warn: false } })
    const store = createStore(holder, recorder.enhancer)
    store.dispatch({ type: 'set', payload: { fine: { toJSON: () => ({ a: 1 }) }, asMap: { toJSON: () => new Map([['k', 1]]) }, asNaN: { toJSON: () => NaN } } })
    recorder.snapshot({ finalState: true })
    await recorder.close()
    const log = parseRecording(sink.text())
    const lossy = [...(log.entries.filter(isActionEntry)[0].stateLossy ?? []), ...((log.end?.lossy as LossyValue[] | undefined) ?? [])]
    const paths = lossy.map((l) => `${l.path} ${l.kind}`)
    expect(paths.some((p) => p.includes('toJSON'))).toBe(false)
    expect(paths).toEqual(expect.arrayContaining(['asMap map', 'asNaN non-finite']))
    expect(paths.some((p) => p.startsWith('fine'))).toBe(false)
    // In the action, a Map cannot be replayed: left out (`omitted`), as a Map anywhere in an action.
    const entry = log.entries.filter(isActionEntry)[0]
    const actionNotes = [...(entry.lossy ?? []), ...(entry.omitted ?? [])].map((l) => `${l.path} ${l.kind}`)
    expect(actionNotes.sort()).toEqual(['payload.asMap map', 'payload.asNaN non-finite'])
  })

  it("an action's toJSON is projected at dispatch (the size check cannot bound it) and its line written from that: not called again at the flush", async () => {
    let calls = 0
    const pay: Reducer<{ n: number }> = (s = { n: 0 }, a) => (a.type === 'pay' ? { n: s.n + 1 } : s)
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], lossy: { warn: false } })
    const store = createStore(pay, recorder.enhancer)
    for (let i = 0; i < 20; i++) store.dispatch({ type: 'pay', payload: { amount: { cents: i, toJSON: () => (calls++, { amount: i / 100 }) } } })
    const atDispatch = calls
    expect(atDispatch).toBeGreaterThan(0)
    await recorder.close()
    // (The flush projected each action again: twice the calls.)
    expect(calls).toBe(atDispatch)
    const written = parseRecording(sink.text()).entries.filter(isActionEntry).map((e) => e.action)
    expect(written).toEqual(Array.from({ length: 20 }, (_, i) => ({ type: 'pay', payload: { amount: { amount: i / 100 } } })))
    // More than are kept for their lines (64), in a buffer of 100 read twice: each line as it was dispatched.
    const buffered = createFlightRecorder({ maxEntries: 100, lossy: { warn: false } })
    const again = createStore(pay, buffered.enhancer)
    for (let i = 0; i < 300; i++) again.dispatch({ type: 'pay', payload: { amount: { toJSON: () => ({ amount: i }) } } })
    for (const text of [buffered.toJSONL(), buffered.toJSONL()]) {
      const amounts = parseRecording(text).entries.filter(isActionEntry).map((e) => (e.action as unknown as { payload: { amount: { amount: number } } }).payload.amount.amount)
      expect(amounts).toEqual(Array.from({ length: amounts.length }, (_, k) => 300 - amounts.length + k))
      expect(amounts.length).toBeGreaterThan(50)
    }
    await buffered.close()
  })

  it('the projections kept for their lines hold at most 1 Mi characters together: larger ones are projected again when written', async () => {
    let calls = 0
    const big = 'x'.repeat(100_000) // each line ~100 KB, under maxEntryBytes (256 KiB)
    const reducer: Reducer<{ n: number }> = (s = { n: 0 }) => ({ n: s.n + 1 })
    const recorder = createFlightRecorder({ lossy: { warn: false } })
    const store = createStore(reducer, recorder.enhancer)
    for (let i = 0; i < 30; i++) store.dispatch({ type: 'blob', payload: { file: { toJSON: () => (calls++, big + i) } } })
    const atDispatch = calls
    const log = parseRecording(recorder.toJSONL())
    const files = log.entries.filter(isActionEntry).map((e) => (e.action as unknown as { payload: { file: string } }).payload.file)
    expect(files).toEqual(Array.from({ length: 30 }, (_, i) => big + i))
    // Ten of them fill the bound (30 kept would be 3 MB beside the buffer's own count): the other 20 are projected again.
    expect(calls - atDispatch).toBeGreaterThanOrEqual(20)
    await recorder.close()
  })

  it("the size check's projection at dispatch heeds `lossy` (warn: false, ignoredActionPaths)", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const reducer: Reducer<{ n: number }> = (s = { n: 0 }) => ({ n: s.n + 1 })
      for (const lossy of [{ warn: false }, { ignoredActionPaths: ['payload.sizeCheckIgnored'] }]) {
        const recorder = createFlightRecorder({ lossy })
        const store = createStore(reducer, recorder.enhancer)
        store.dispatch({ type: 'measure', payload: { sizeCheckIgnored: { toJSON: () => ({ ratio: NaN }) } } })
        recorder.toJSONL()
        await recorder.close()
      }
      expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('sizeCheckIgnored'))).toEqual([])
    } finally {
      warn.mockRestore()
    }
  })

  it('what a toJSON returns is written as its fields, its own toJSON not called (as JSON does), in state and actions, redacted or not', async () => {
    // toJSON returns an object with a toJSON of its own: JSON.stringify writes that object's fields.
    class Wrapper {
      toJSON() {
        return { password: 'SECRET-PW-W', v: 2, toJSON: () => 'own-json' }
      }
    }
    const reducer: Reducer<{ users: unknown[] }> = (s = { users: [] }, a) => (a.type === 'add' ? { users: [...s.users, (a as { payload?: unknown }).payload] } : s)
    for (const redact of [undefined, { state: ['**.password'], actions: ['**.password'] }]) {
      const sink = memorySink()
      const recorder = createFlightRecorder({ sinks: [sink], redact, lossy: { warn: false } })
      const store = createStore(reducer, recorder.enhancer)
      const action = { type: 'add', payload: { x: new Wrapper() } }
      store.dispatch(action)
      await recorder.close()
      const log = parseRecording(sink.text())
      const written = log.entries.filter(isActionEntry)[0].action
      const expected = redact ? { type: 'add', payload: { x: { password: '[redacted]', v: 2 } } } : JSON.parse(JSON.stringify(action))
      expect(written).toEqual(expected)
      expect(log.end?.state).toEqual({ users: [expected.payload] })
      expect(log.end?.hash).toBe(stateHash(log.end?.state))
      expect(replay(sink.text(), { reducer })).toMatchObject({ ok: true, verified: true })
      expect(secrets(sink.text())).toEqual(redact ? [] : ['SECRET-PW-W'])
    }
  })
})
