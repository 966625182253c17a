import { legacy_createStore, type Reducer, type StoreEnhancer } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { parseRecording } from 'redux-flight-recorder/replay'

// Review, session 39 (helper-159): the text of an uncaught error is scrubbed on the failure path,
// synchronously, in the page's error listener. Each of message and stack walked the state and the
// last 16 entries again, and the entries' walk took a checkpoint's whole state with the actions'
// redactor (`**.password`: 1.4 s per error at 50,000 entities under load). Reads are counted, not timed.

const TOKEN = 'tok-4f9a1c22e7'

describe("the walk an uncaught error's text is scrubbed with", () => {
  it('reads the state once for the message and the stack together', async () => {
    let reads = 0
    const auth = Object.defineProperty({}, 'token', { get: () => (reads++, TOKEN), enumerable: true })
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], redact: { state: ['auth.token'] } })
    const store = legacy_createStore(((s = { auth, n: 0 }, a: { type: string }) => (a.type === 'inc' ? { ...s, n: s.n + 1 } : s)) as Reducer, recorder.enhancer as StoreEnhancer)
    store.dispatch({ type: 'inc' })
    reads = 0
    recorder.lifecycle('error', { name: 'Error', message: `bad ${TOKEN}` })
    const one = reads
    reads = 0
    recorder.lifecycle('error', { name: 'Error', message: `bad ${TOKEN}`, stack: `Error: bad ${TOKEN}\n    at f (app.js:1:1)` })
    expect(one).toBeGreaterThan(0)
    expect(reads).toBe(one)
    await recorder.close()
    const text = sink.text()
    expect(text).not.toContain(TOKEN)
    expect(parseRecording(text).entries.filter((e) => e.kind === '@@lifecycle').map((e) => (e as { body: unknown }).body)).toEqual([
      { event: 'error', name: 'Error', message: 'bad [redacted]' },
      { event: 'error', name: 'Error', message: 'bad [redacted]', stack: 'Error: bad [redacted]\n    at f (app.js:1:1)' },
    ])
  })

  it("does not walk the state a checkpoint holds with the actions' redactor, and still replaces an action's value", async () => {
    let reads = 0
    const user = Object.defineProperty({}, 'password', { get: () => (reads++, 'not-an-action-value'), enumerable: true })
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], redact: { actions: ['**.password'] }, checkpointEvery: 1 })
    const store = legacy_createStore(((s = { user, n: 0 }, a: { type: string }) => (a.type === 'login' ? { ...s, n: s.n + 1 } : s)) as Reducer, recorder.enhancer as StoreEnhancer)
    for (let i = 0; i < 3; i++) store.dispatch({ type: 'login', payload: { password: 'hunter2-pass' } })
    reads = 0
    recorder.lifecycle('unhandledrejection', { message: 'login with hunter2-pass failed' })
    expect(reads).toBe(0)
    await recorder.close()
    expect(sink.text()).not.toContain('hunter2-pass')
    expect(sink.text()).toContain('login with [redacted] failed')
  })
})

// Review, session 42 (helper-175): a getter that throws beside a redacted value (the secret after
// it in the same object) stopped the walk, so the secret stayed in the error's text.
describe('a getter that throws in the walk', () => {
  it.each([
    ['state', { state: ['auth.token'] }],
    ['state, the getter itself redacted', { state: ['auth.token', 'auth.broken'] }],
  ] as [string, { state: string[] }][])('leaves the secret after it found (%s)', async (_name, redact) => {
    const auth = Object.defineProperties({}, {
      broken: { get: () => { throw new Error('refuses to be read') }, enumerable: true },
      token: { value: TOKEN, enumerable: true },
    })
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], redact })
    const store = legacy_createStore(((s = { auth, n: 0 }, a: { type: string }) => (a.type === 'inc' ? { ...s, n: s.n + 1 } : s)) as Reducer, recorder.enhancer as StoreEnhancer)
    store.dispatch({ type: 'inc' })
    recorder.lifecycle('error', { name: 'Error', message: `bad ${TOKEN}` })
    await recorder.close()
    const lifecycle = parseRecording(sink.text()).entries.filter((e) => e.kind === '@@lifecycle').map((e) => (e as { body: unknown }).body)
    expect(lifecycle).toEqual([{ event: 'error', name: 'Error', message: 'bad [redacted]' }])
    expect(sink.text()).not.toContain(TOKEN)
  })

  it('leaves the secret of a later action found', async () => {
    const payload = Object.defineProperties({}, {
      broken: { get: () => { throw new Error('refuses to be read') }, enumerable: true },
      card: { value: '4111-1111-1111-1111', enumerable: true },
    })
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], redact: { actions: ['payload.card'] } })
    const store = legacy_createStore(((s = { n: 0 }, a: { type: string }) => (a.type === 'pay' ? { n: s.n + 1 } : s)) as Reducer, recorder.enhancer as StoreEnhancer)
    store.dispatch({ type: 'pay', payload })
    recorder.lifecycle('unhandledrejection', { message: 'charge 4111-1111-1111-1111 failed' })
    await recorder.close()
    expect(sink.text()).not.toContain('4111-1111-1111-1111')
    expect(sink.text()).toContain('charge [redacted] failed')
  })
})
