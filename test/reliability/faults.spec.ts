/**
 * Issue 8 (2): fault injection while recording. Each fault runs the same app script twice — once
 * with no recorder at all, once with the recorder and the fault — and the dispatch results, the
 * states after every step and the number of subscriber notifications must be identical. Then the
 * log (from a healthy memory sink next to the faulty one) must say what went wrong: `@@error`
 * entries with the fault's source, `@@dropped` where lines were given up, `onError` calls.
 */
import { configureStore, createListenerMiddleware } from '@reduxjs/toolkit'
import { createStore, type Reducer, type StoreEnhancer } from 'redux'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink, RecorderFaultError, type ErrorEntry, type FlightRecorder, type FlightRecorderOptions, type Recording, type Sink } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { added, failingSync, filterSlice, makeStore, removed, renamed, rootReducer, syncTodos, toggled, todosSlice } from '../helpers/todoApp'

interface Run {
  results: unknown[]
  states: unknown[]
  notifications: number
}

/** What a dispatch returned, comparable across runs (RTK's random requestId and error stacks left out). */
function comparable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null, (k, v) => (k === 'requestId' || k === 'stack' ? undefined : v)))
}

/** The todo app: RTK store with thunks, a listener that dispatches, a subscriber; optionally recorded. */
async function runTodoApp(recorder?: FlightRecorder, keep?: (store: { dispatch(a: unknown): unknown }) => void): Promise<Run> {
  const listener = createListenerMiddleware()
  listener.startListening({ actionCreator: todosSlice.actions.removed, effect: (_a, api) => void api.dispatch(filterSlice.actions.audited()) })
  const store = configureStore({
    reducer: rootReducer,
    middleware: (g) => (recorder ? g().prepend(recorder.middleware).concat(listener.middleware) : g().concat(listener.middleware)),
    enhancers: (g) => (recorder ? g().concat(recorder.enhancer) : g()),
  })
  const run: Run = { results: [], states: [], notifications: 0 }
  store.subscribe(() => void run.notifications++)
  const step = async (result: unknown) => {
    run.results.push(comparable(await result))
    run.states.push(store.getState())
  }
  for (let i = 0; i < 20; i++) await step(store.dispatch(added({ id: `t${i}`, title: `todo ${i}`, done: false })))
  await step(store.dispatch(toggled('t3')))
  await step(store.dispatch(syncTodos(3)))
  await step(store.dispatch(failingSync()))
  await step(store.dispatch(removed('t1')))
  await step(store.dispatch(renamed({ id: 't2', title: 'renamed' })))
  keep?.(store)
  return run
}

/** A plain Redux store whose reducer puts the given hostile values into the state. */
function runPlainApp(enhancer: StoreEnhancer | undefined, hostile: (n: number) => Record<string, unknown>): Run {
  const reducer: Reducer = (state: any = { n: 0, extra: {} }, action: any) => {
    if (action.type === 'inc') return { ...state, n: state.n + 1 }
    if (action.type === 'hostile') return { ...state, extra: hostile(state.n) }
    return state
  }
  const store = enhancer ? createStore(reducer, enhancer) : createStore(reducer)
  const run: Run = { results: [], states: [], notifications: 0 }
  store.subscribe(() => void run.notifications++)
  for (let i = 0; i < 6; i++) {
    const action = i === 2 || i === 4 ? { type: 'hostile' } : { type: 'inc' }
    run.results.push(store.dispatch(action))
    run.states.push(store.getState())
  }
  return run
}

function errorsIn(rec: Recording): ErrorEntry['body'][] {
  return rec.entries.filter((e): e is ErrorEntry => e.kind === '@@error').map((e) => e.body)
}

/** A recorder with a healthy memory sink next to the faulty parts (after them: a faulty sink is `sinks[0]`, which its faults name), collecting onError. */
function recorderWith(options: FlightRecorderOptions & { extraSinks?: Sink[] } = {}) {
  const good = memorySink()
  const errors: RecorderFaultError[] = []
  const { extraSinks = [], ...rest } = options
  const recorder = createFlightRecorder({ onError: (e) => void errors.push(e), ...rest, sinks: [...extraSinks, good] })
  return { recorder, good, errors }
}

/** Action entries the script records: its 25 dispatches, the thunks' second actions, the listener's. */
const ACTIONS = 25 + 3

let baseline: Run
beforeEach(async () => {
  // RTK's serializability check warns about the hostile actions in some runs; that is the app's output, not ours.
  vi.spyOn(console, 'error').mockImplementation(() => {})
  baseline ??= await runTodoApp()
})
afterEach(() => {
  vi.restoreAllMocks()
})

describe('faults in sinks', () => {
  it('a sink whose write throws: the app runs as without the recorder, the fault is in onError and the log as @@error (source sink)', async () => {
    const throwing: Sink = {
      write() {
        throw new Error('disk on fire')
      },
    }
    const { recorder, good, errors } = recorderWith({ extraSinks: [throwing] })
    expect(await runTodoApp(recorder)).toEqual(baseline)
    await recorder.flush()
    await recorder.close()
    const rec = parseRecording(good.text())
    expect(errorsIn(rec)).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'sink', message: 'sinks[0]: disk on fire' })]))
    expect(errors.length).toBeGreaterThan(0)
    expect(errors.every((e) => e instanceof RecorderFaultError && e.source === 'sink' && e.message.startsWith('[redux-flight-recorder]'))).toBe(true)
    expect(rec.entries.filter(isActionEntry)).toHaveLength(ACTIONS)
    expect(replay(rec, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true })
  })

  it('a sink whose write rejects: same results; the lines stay queued for it and the fault is logged', async () => {
    let attempts = 0
    const rejecting: Sink = {
      write: () => {
        attempts++
        return Promise.reject(new Error('network down'))
      },
    }
    const { recorder, good, errors } = recorderWith({ extraSinks: [rejecting] })
    expect(await runTodoApp(recorder)).toEqual(baseline)
    await recorder.flush()
    await recorder.close()
    expect(attempts).toBeGreaterThan(1)
    const rec = parseRecording(good.text())
    expect(errorsIn(rec)).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'sink', message: 'sinks[0]: network down' })]))
    expect(errors.some((e) => e.source === 'sink')).toBe(true)
    expect(replay(rec, { reducer: rootReducer }).ok).toBe(true)
  })

  it("names a sink's error that has no message by its name (IndexedDB's QuotaExceededError: the report said only 'sink failed: ')", async () => {
    const full: Sink = { write: () => Promise.reject(new DOMException('', 'QuotaExceededError')) }
    const { recorder, errors } = recorderWith({ extraSinks: [full], flushIntervalMs: 5 })
    await runTodoApp(recorder)
    await recorder.close()
    expect(errors.length).toBeGreaterThan(0)
    expect(errors[0].message).toBe('[redux-flight-recorder] sink failed in sinks[0]: QuotaExceededError')
  })

  it('a slow sink: same results, and after flush and close it holds exactly what a fast sink holds, nothing dropped', async () => {
    const slowLines: string[] = []
    const slow: Sink = {
      write: (lines) =>
        new Promise((resolve) =>
          setTimeout(() => {
            slowLines.push(...lines)
            resolve()
          }, 15),
        ),
    }
    const { recorder, good, errors } = recorderWith({ extraSinks: [slow], flushIntervalMs: 5 })
    expect(await runTodoApp(recorder)).toEqual(baseline)
    await recorder.close()
    expect(errors).toEqual([])
    // (Its header names it, sink 0, where the fast sink's says 1: every other line is the same.)
    expect(slowLines.map((l, i) => (i === 0 ? l.replace(/,"sink":0\}$/, ',"sink":1}') : l))).toEqual(good.lines)
    const rec = parseRecording(slowLines.join('\n'))
    expect(rec.end).toMatchObject({ dropped: 0 })
    expect(rec.entries.filter((e) => e.kind === '@@dropped')).toEqual([])
    expect(replay(rec, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true })
  })

  it('a sink that never settles: same results, the other sinks get every line, and its queue stays bounded (@@dropped says how much it lost)', async () => {
    let calls = 0
    const hung: Sink = {
      write: () => {
        calls++
        return new Promise<void>(() => {})
      },
    }
    // sinkQueueBytes small, so the bound is reached within the script.
    const { recorder, good, errors } = recorderWith({ extraSinks: [hung], flushIntervalMs: 5, sinkQueueBytes: 4096 })
    let store: { dispatch(a: unknown): unknown } | undefined
    expect(await runTodoApp(recorder, (s) => (store = s))).toEqual(baseline)
    // Keep the app going across flushes, so batches pile up for the hung sink past its bound.
    for (let i = 0; i < 40; i++) {
      store!.dispatch(renamed({ id: 't2', title: `renamed ${i} ${'x'.repeat(200)}` }))
      const before = good.lines.length
      await vi.waitFor(() => expect(good.lines.length).toBeGreaterThan(before), { timeout: 10_000, interval: 2 })
    }
    const rec = parseRecording(good.text())
    expect(calls).toBe(1)
    expect(rec.entries.filter(isActionEntry)).toHaveLength(ACTIONS + 40)
    const dropped = rec.entries.filter((e) => e.kind === '@@dropped')
    expect(dropped.length).toBeGreaterThan(0)
    expect(dropped[0]).toMatchObject({ reason: 'sink-queue-full' })
    expect(errors.some((e) => e.source === 'sink' && /fell behind/.test(e.message))).toBe(true)
    expect(errorsIn(rec).some((b) => b.source === 'sink')).toBe(true)
    // The healthy sink's log is complete and replays.
    expect(replay(rec, { reducer: rootReducer }).ok).toBe(true)
  })

  it('close() resolves, reports the stuck sink and still writes the other sinks when a sink write never settles', async () => {
    const hung: Sink = { write: () => new Promise<void>(() => {}) }
    const good = memorySink()
    const errors: RecorderFaultError[] = []
    const recorder = createFlightRecorder({ sinks: [hung, good], sinkTimeoutMs: 50, onError: (e) => errors.push(e) })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    await recorder.flush()
    store.dispatch(toggled('a'))
    await recorder.close()
    expect(errors.some((e) => e.source === 'sink' && /did not finish writing within 50 ms/.test(e.message))).toBe(true)
    const rec = parseRecording(good.text())
    expect(rec.end).toBeDefined()
    expect(replay(rec, { reducer: rootReducer }).ok).toBe(true)
  })

  it('a sink whose attach and close throw: recording goes on, close() resolves, both faults are reported', async () => {
    const broken: Sink = {
      attach() {
        throw new Error('attach failed')
      },
      write() {},
      close() {
        throw new Error('close failed')
      },
    }
    const { recorder, good, errors } = recorderWith({ extraSinks: [broken] })
    expect(await runTodoApp(recorder)).toEqual(baseline)
    await expect(recorder.close()).resolves.toBeUndefined()
    expect(errors.map((e) => e.message)).toEqual(expect.arrayContaining([expect.stringMatching(/attach failed/), expect.stringMatching(/close failed/)]))
    expect(errorsIn(parseRecording(good.text()))).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'sink', message: 'sinks[0]: attach failed' })]))
  })

  it('an onError that throws itself changes nothing for the app', async () => {
    const recorder = createFlightRecorder({
      sinks: [{ write: () => Promise.reject(new Error('x')) }],
      onError: () => {
        throw new Error('the error handler is broken too')
      },
      hash: Object.assign(() => {
        throw new Error('hash broken')
      }, { algorithm: 'broken' }),
    })
    expect(await runTodoApp(recorder)).toEqual(baseline)
    await recorder.flush()
    await expect(recorder.close()).resolves.toBeUndefined()
  })
})

describe('faults in hashing and serialising', () => {
  it('a hash function that throws on some states: same results; those entries have hash null, @@error says which seq', async () => {
    let calls = 0
    const hash = Object.assign(
      (state: unknown) => {
        calls++
        if (calls % 4 === 0) throw new Error(`hash exploded on call ${calls}`)
        return String(JSON.stringify(state).length)
      },
      { algorithm: 'flaky' },
    )
    const { recorder, good, errors } = recorderWith({ hash })
    expect(await runTodoApp(recorder)).toEqual(baseline)
    await recorder.close()
    const rec = parseRecording(good.text())
    const faults = errorsIn(rec).filter((b) => b.source === 'hash')
    expect(faults.length).toBeGreaterThan(0)
    for (const f of faults) {
      const entry = rec.entries.find((e) => e.seq === f.seq)
      expect(entry && 'hash' in entry ? entry.hash : 'missing').toBeNull()
    }
    expect(errors.filter((e) => e.source === 'hash').map((e) => e.seq)).toEqual(faults.map((f) => f.seq))
    // The log still replays; the steps whose hash failed are not verified.
    const result = replay(rec, { reducer: rootReducer, hash: Object.assign((s: unknown) => String(JSON.stringify(s).length), { algorithm: 'flaky' }) })
    expect(result.ok).toBe(true)
    expect(result.verified).toBe(false)
  })

  it('a hash function that returns something other than a string is reported like one that throws', async () => {
    const { recorder, good, errors } = recorderWith({ hash: Object.assign(() => 42 as unknown as string, { algorithm: 'numeric' }) })
    expect(await runTodoApp(recorder)).toEqual(baseline)
    await recorder.close()
    expect(errors.some((e) => e.source === 'hash' && /instead of a string/.test(e.message))).toBe(true)
    expect(errorsIn(parseRecording(good.text())).some((b) => b.source === 'hash')).toBe(true)
  })

  it('a serializeState that throws: same results; the faults are logged as serialize faults and the states are written as null', async () => {
    const { recorder, good, errors } = recorderWith({
      serializeState: () => {
        throw new Error('toJS exploded')
      },
      checkpointEvery: 5,
    })
    expect(await runTodoApp(recorder)).toEqual(baseline)
    // Checkpoints are serialised when lines go to sinks; a flush before close() records the faults.
    await recorder.flush()
    await recorder.close()
    const rec = parseRecording(good.text())
    // The projection threw, not the hash: every fault is the projection's (source `serialize`).
    expect(new Set(errorsIn(rec).map((b) => b.source))).toEqual(new Set(['serialize']))
    expect(errors.length).toBeGreaterThan(0)
    expect(rec.end?.state).toBeNull()
  })

  it.each([
    [
      'a getter that throws',
      'getter-threw',
      (n: number) =>
        Object.defineProperty({ n }, 'boom', {
          enumerable: true,
          get() {
            throw new Error('getter exploded')
          },
        }),
    ],
    [
      'a revoked proxy',
      'revoked-proxy',
      (n: number) => {
        const { proxy, revoke } = Proxy.revocable({ n }, {})
        revoke()
        return { n, proxy }
      },
    ],
  ])('%s inside the state: same results and state; the log leaves it out and lists it, every step hashed, no fault', (_name, kind, hostile) => {
    const without = runPlainApp(undefined, hostile)
    const { recorder, good, errors } = recorderWith({ checkpointEvery: 3 })
    const withRecorder = runPlainApp(recorder.enhancer, hostile)
    expect(withRecorder.results).toEqual(without.results)
    expect(withRecorder.notifications).toBe(without.notifications)
    expect(withRecorder.states.map((s: any) => s.n)).toEqual(without.states.map((s: any) => s.n))
    expect(withRecorder.states.map((s: any) => Object.keys(s.extra))).toEqual(without.states.map((s: any) => Object.keys(s.extra)))
    recorder.flushSync()
    const rec = parseRecording(good.text())
    expect(rec.entries.filter(isActionEntry).map((e) => e.kind)).toEqual(['inc', 'inc', 'hostile', 'inc', 'hostile', 'inc'])
    // Left out as JSON leaves out a function, and listed (src/internal/readable.ts): before, every
    // step from the first such value on had no hash and an @@error for hashing and serialising.
    expect(errorsIn(rec)).toEqual([])
    expect(errors).toEqual([])
    expect(rec.entries.filter(isActionEntry).every((e) => typeof e.hash === 'string')).toBe(true)
    expect(rec.entries.filter(isActionEntry).flatMap((e) => ((e as { stateLossy?: { kind: string }[] }).stateLossy ?? []).map((l) => l.kind))).toContain(kind)
  })

  it('getters that throw and revoked proxies inside actions: same results; the entry says what was left out', () => {
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    const action = () => ({
      type: 'hostile-action',
      payload: {
        proxy,
        get boom() {
          throw new Error('getter exploded')
        },
      },
    })
    const reducer: Reducer = (s: number = 0, a: any) => (a.type === 'hostile-action' ? s + 1 : s)
    const plain = createStore(reducer)
    const { recorder, good } = recorderWith()
    const recorded = createStore(reducer, recorder.enhancer)
    const a1 = action()
    const a2 = action()
    expect(plain.dispatch(a1)).toBe(a1)
    expect(recorded.dispatch(a2)).toBe(a2)
    expect(recorded.getState()).toBe(plain.getState())
    recorder.flushSync()
    const [entry] = parseRecording(good.text()).entries.filter(isActionEntry)
    expect(entry.recordable).toBe(false)
    expect(entry.omitted).toEqual(
      expect.arrayContaining([
        { path: 'payload.proxy', kind: 'revoked-proxy' },
        { path: 'payload.boom', kind: 'getter-threw' },
      ]),
    )
  })
})

describe('faults in the clock', () => {
  it('a clock that goes backwards, throws or returns NaN: same results; t never decreases; the log says the clock misbehaved', async () => {
    let now = Date.parse('2026-11-21T12:00:00.000Z')
    let calls = 0
    const clock = () => {
      calls++
      if (calls % 7 === 0) throw new Error('clock broke')
      if (calls % 11 === 0) return NaN
      now += calls % 5 === 0 ? -60_000 : 3 // every fifth reading jumps a minute back
      return now
    }
    const { recorder, good, errors } = recorderWith({ clock })
    expect(await runTodoApp(recorder)).toEqual(baseline)
    await recorder.close()
    const rec = parseRecording(good.text())
    const ts = [...rec.entries, rec.end!].map((e) => e.t)
    expect(ts).toEqual([...ts].sort((a, b) => a - b))
    for (const e of rec.entries) expect(Number.isNaN(Date.parse(e.ts))).toBe(false)
    expect(errorsIn(rec).some((b) => b.source === 'clock')).toBe(true)
    expect(errors.some((e) => e.source === 'clock')).toBe(true)
    expect(replay(rec, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true })
  })
})

describe("the app's own errors pass through unchanged", () => {
  it('a reducer that throws: the same error reaches the caller, the state is unchanged, and its entry says it threw', () => {
    const reducer: Reducer = (s: number = 0, a: any) => {
      if (a.type === 'explode') throw new Error('reducer exploded')
      return a.type === 'inc' ? s + 1 : s
    }
    const plain = createStore(reducer)
    const { recorder } = recorderWith()
    const recorded = createStore(reducer, recorder.enhancer)
    for (const store of [plain, recorded]) {
      store.dispatch({ type: 'inc' })
      expect(() => store.dispatch({ type: 'explode' })).toThrow('reducer exploded')
      store.dispatch({ type: 'inc' })
    }
    expect(recorded.getState()).toBe(plain.getState())
    const entries = recorder.snapshot().entries.filter(isActionEntry)
    expect(entries.map((e) => [e.kind, e.threw ?? null])).toEqual([['inc', null], ['explode', { name: 'Error', message: 'reducer exploded' }], ['inc', null]])
    // The state the throw left is the one before it.
    expect(entries[1].hash).toBe(entries[0].hash)
    expect(replay(recorder.snapshot(), { reducer })).toMatchObject({ ok: true, verified: true })
  })

  it('a subscriber that throws: the same error reaches the caller and the action is still recorded', () => {
    const reducer: Reducer = (s: number = 0, a: any) => (a.type === 'inc' ? s + 1 : s)
    const { recorder } = recorderWith()
    const plain = createStore(reducer)
    const recorded = createStore(reducer, recorder.enhancer)
    for (const store of [plain, recorded]) {
      const off = store.subscribe(() => {
        throw new Error('subscriber exploded')
      })
      expect(() => store.dispatch({ type: 'inc' })).toThrow('subscriber exploded')
      off()
    }
    expect(recorded.getState()).toBe(plain.getState())
    expect(recorder.snapshot().entries.map((e) => e.kind)).toEqual(['inc'])
  })
})
