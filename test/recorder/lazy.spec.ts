import { configureStore, createAsyncThunk, createSlice, type Reducer } from '@reduxjs/toolkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as eager from 'redux-flight-recorder'
import type { FlightRecorder, FlightRecorderOptions } from 'redux-flight-recorder'

// redux-flight-recorder/lazy: the recorder's core is a chunk loaded when the recorder is created,
// and what the store does before it arrives is queued and handed over. Each test imports the entry
// afresh (vi.resetModules), so that the core has not arrived when its recorder is created.

type Lazy = typeof import('redux-flight-recorder/lazy')
type Root = typeof import('redux-flight-recorder')

async function fresh(): Promise<{ lazy: Lazy; root: Root; replay: typeof import('redux-flight-recorder/replay') }> {
  vi.resetModules()
  return { lazy: await import('redux-flight-recorder/lazy'), root: await import('redux-flight-recorder'), replay: await import('redux-flight-recorder/replay') }
}

const todos = createSlice({
  name: 'todos',
  initialState: { items: [] as string[], loading: false },
  reducers: {
    added: (s, a: { payload: string }) => void s.items.push(a.payload),
    removed: (s, a: { payload: number }) => void s.items.splice(a.payload, 1),
  },
  extraReducers: (b) => {
    b.addCase(load.pending, (s) => void (s.loading = true))
    b.addCase(load.fulfilled, (s, a) => {
      s.loading = false
      s.items.push(...a.payload)
    })
  },
})
const load = createAsyncThunk('todos/load', async (n: number) => Array.from({ length: n }, (_, i) => `loaded ${i}`))
const { added, removed } = todos.actions

function makeStore(recorder: FlightRecorder) {
  return configureStore({
    reducer: todos.reducer,
    middleware: (g) => g().prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
}

/** A session using every call that can come before the core arrives; returns when the thunk has settled. */
async function session(recorder: FlightRecorder): Promise<ReturnType<typeof makeStore>> {
  recorder.mark('before the store')
  const store = makeStore(recorder)
  recorder.mark('boot', { build: 7 })
  store.dispatch(added('a'))
  store.dispatch({ type: 'todos/added', payload: 'named', meta: { turn: 'checkout' } })
  store.dispatch({ type: 'todos/added', payload: 'secret turn', meta: { turn: 'hidden' } })
  const thunk = store.dispatch(load(2))
  store.dispatch(added('b'))
  recorder.pause()
  store.dispatch(added('while paused'))
  recorder.resume()
  store.dispatch(removed(0))
  recorder.lifecycle('visibility', { hidden: true })
  store.replaceReducer(todos.reducer as Reducer)
  await thunk
  store.dispatch(added('after the thunk'))
  return store
}

/** The log without what differs between two runs of one session (its id, times). */
function comparable(text: string): unknown[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const v = JSON.parse(line) as Record<string, unknown>
      for (const k of ['session', 'ts', 't', 'startedAt']) delete v[k]
      // (createAsyncThunk's request id is random)
      const meta = (v.action as { meta?: { requestId?: string } } | undefined)?.meta
      if (meta?.requestId) meta.requestId = 'id'
      return v
    })
}

const options = (): FlightRecorderOptions => ({ redact: { actions: ['meta.turn'] }, checkpointEvery: 3 })

afterEach(() => {
  vi.restoreAllMocks()
})

describe('redux-flight-recorder/lazy', () => {
  it('queues what happens before the core arrives and hands it over: the log is the one the root entry writes', async () => {
    const { lazy, root } = await fresh()
    const late = lazy.createFlightRecorder(options())
    // The core has not arrived: the session below runs against the shell's queue.
    expect(() => late.snapshot()).toThrow(expect.objectContaining({ code: 'not-ready' }))
    const sessionDone = session(late)
    expect(() => late.toJSONL()).toThrow(root.FlightRecorderError)
    expect(late.stats()).toMatchObject({ actions: 6, closed: false })
    await sessionDone
    await late.ready()

    const now = eager.createFlightRecorder(options())
    await session(now)

    const lazyLog = comparable(late.toJSONL({ finalState: true }))
    expect(lazyLog).toEqual(comparable(now.toJSONL({ finalState: true })))
    // What it holds (so that the equality above is about something).
    const actions = lazyLog.filter((e) => (e as { action?: unknown }).action !== undefined) as { action: { type: string; payload?: unknown }; turn: string | null }[]
    expect(actions.map((e) => e.action.payload ?? e.action.type)).toEqual(['a', 'named', 'secret turn', 'todos/load/pending', 'b', 0, ['loaded 0', 'loaded 1'], 'after the thunk'])
    // `meta.turn` is redacted: the action that names one gets a number, as any other.
    expect(actions.map((e) => e.turn)).toEqual(['t1', 't2', 't3', 't4', 't5', 't6', 't4', 't7'])
    expect(lazyLog.map((e) => (e as { kind?: string }).kind).filter(Boolean)).toEqual(
      expect.arrayContaining(['@@mark', '@@checkpoint', '@@lifecycle', '@@replaceReducer']),
    )
    expect(late.stats()).toEqual({ ...now.stats(), bytes: 0 })
  })

  it('a second store and clear() before the core arrives: the same log as the root entry writes', async () => {
    const { lazy } = await fresh()
    const run = (recorder: FlightRecorder) => {
      const first = makeStore(recorder)
      first.dispatch(added('in the first store'))
      recorder.clear()
      first.dispatch(added('after clear'))
      const second = makeStore(recorder) // a hot reload, a store per test
      second.dispatch(added('in the second store'))
      first.dispatch(added('the first store, no longer recorded'))
    }
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const late = lazy.createFlightRecorder()
    run(late)
    expect(() => late.snapshot()).toThrow(expect.objectContaining({ code: 'not-ready' }))
    await late.ready()
    const now = eager.createFlightRecorder()
    run(now)
    const log = comparable(late.toJSONL())
    expect(log).toEqual(comparable(now.toJSONL()))
    expect(log.map((e) => (e as { action?: { payload: string } }).action?.payload ?? (e as { body?: { event?: string } }).body?.event ?? (e as { kind: string }).kind)).toEqual([
      '@@session',
      'after clear',
      'new-store',
      'in the second store',
    ])
  })

  it('queues at most maxEntries before the core arrives, says how many went, and the log goes on from the state it finds', async () => {
    const { lazy, replay, root } = await fresh()
    const onError = vi.fn()
    const sink = root.memorySink()
    const recorder = lazy.createFlightRecorder({ maxEntries: 5, onError, sinks: [sink] })
    const store = makeStore(recorder)
    for (let i = 0; i < 12; i++) store.dispatch(added(`early ${i}`))
    // What the log will hold: the actions the queue kept.
    expect(recorder.stats()).toMatchObject({ actions: 5, entries: 5 })
    await recorder.ready()
    expect(onError).toHaveBeenCalledTimes(1)
    expect(onError.mock.calls[0][0]).toMatchObject({ source: 'record', message: expect.stringContaining("7 reducer calls, marks or lifecycle events came before the recorder's core arrived, past the 5 `maxEntries`") })
    store.dispatch(added('after'))
    await recorder.close()
    const recording = replay.parseRecording(sink.text())
    expect(recording.entries.filter(replay.isActionEntry).map((e) => (e.action as unknown as { payload: string }).payload)).toEqual(['early 0', 'early 1', 'early 2', 'early 3', 'early 4', 'after'])
    // The state the core found is in the log, so replay goes on from it and verifies the rest.
    const result = replay.replay(recording, { reducer: todos.reducer as Reducer })
    expect(result.ok ? '' : replay.formatDivergence(result)).toBe('')
    expect(result.state).toEqual(store.getState())
    expect(store.getState().items).toHaveLength(13)
  })

  it('replays and verifies a log recorded before the core arrived', async () => {
    const { lazy, replay } = await fresh()
    const recorder = lazy.createFlightRecorder()
    const store = await session(recorder)
    await recorder.ready()
    const recording = recorder.snapshot({ finalState: true })
    // Not redacted here: the action that names its turn keeps it.
    expect(recording.entries.filter(replay.isActionEntry).map((e) => e.turn)).toEqual(['t1', 'checkout', 'hidden', 't2', 't3', 't4', 't2', 't5'])
    const result = replay.replay(recording, { reducer: todos.reducer as Reducer, onReplaceReducer: () => todos.reducer as Reducer })
    expect(result.ok ? '' : replay.formatDivergence(result)).toBe('')
    expect(result.verified).toBe(true)
    expect(result.state).toEqual(store.getState())
    expect(store.getState().items).toEqual(['named', 'secret turn', 'b', 'while paused', 'loaded 0', 'loaded 1', 'after the thunk'])
  })

  it('throws not-ready with the way out before the core arrives, and reads the log right after preloadFlightRecorder()', async () => {
    const { lazy, root } = await fresh()
    const early = lazy.createFlightRecorder()
    const store = makeStore(early)
    store.dispatch(added('x'))
    let error: unknown
    try {
      early.snapshot()
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(root.FlightRecorderError)
    expect(error).toMatchObject({ code: 'not-ready', message: expect.stringContaining('Await `recorder.ready()` first') })

    await lazy.preloadFlightRecorder()
    const later = lazy.createFlightRecorder()
    const second = makeStore(later)
    second.dispatch(added('y'))
    // Complete at creation: read synchronously.
    expect(later.snapshot().entries.map((e) => (e as { action?: { payload?: unknown } }).action?.payload)).toEqual(['y'])
  })

  it('close() before the core arrives: what the store does until the log ends is in it, as with the root entry (its close() finishes pending work first)', async () => {
    const { lazy, root } = await fresh()
    const run = async (recorder: FlightRecorder) => {
      const sink = root.memorySink()
      const store = makeStore(recorder)
      store.dispatch(added('kept'))
      const closing = recorder.close()
      recorder.mark('while closing')
      store.dispatch(added('while closing'))
      await closing
      store.dispatch(added('after close'))
      return { store, log: sink }
    }
    const lateSink = root.memorySink()
    const late = lazy.createFlightRecorder({ sinks: [lateSink] })
    const { store } = await run(late)
    const nowSink = root.memorySink()
    await run(eager.createFlightRecorder({ sinks: [nowSink] }))
    expect(comparable(lateSink.text())).toEqual(comparable(nowSink.text()))
    const log = lateSink.text().trim().split('\n').map((l) => JSON.parse(l) as { kind?: string; action?: { payload?: string }; label?: string })
    expect(log.filter((e) => e.action).map((e) => e.action!.payload)).toEqual(['kept', 'while closing'])
    expect(log.some((e) => e.label === 'while closing')).toBe(true)
    expect(log.at(-1)).toMatchObject({ kind: '@@end', state: { items: ['kept', 'while closing'], loading: false }, count: 2 })
    expect(store.getState().items).toEqual(['kept', 'while closing', 'after close'])
    expect(late.stats().closed).toBe(true)
  })

  it('flush() waits for the core and hands its sinks everything queued', async () => {
    const { lazy, root } = await fresh()
    const sink = root.memorySink()
    const recorder = lazy.createFlightRecorder({ sinks: [sink] })
    const store = makeStore(recorder)
    store.dispatch(added('one'))
    store.dispatch(added('two'))
    // Nothing serialised yet: flushSync has nothing to hand over before the core.
    recorder.flushSync()
    expect(sink.lines).toEqual([])
    await recorder.flush()
    const log = sink.text()
    expect(log).toContain('"payload":"two"')
  })

  it('refuses the devtools option at creation, naming the entry to use', async () => {
    const { lazy } = await fresh()
    const devtools = await import('redux-flight-recorder/devtools')
    expect(() => lazy.createFlightRecorder({ devtools: devtools.devToolsInstrument() } as never)).toThrow(/not supported by 'redux-flight-recorder\/lazy'.*Import `createFlightRecorder` from 'redux-flight-recorder'/)
  })

  it('checks options and redaction paths at creation, as the root entry does', async () => {
    const { lazy } = await fresh()
    expect(() => lazy.createFlightRecorder({ maxEntries: 1.5 })).toThrow(TypeError)
    expect(() => lazy.createFlightRecorder({ redact: { state: ['a..b'] } })).toThrow()
    expect(() => lazy.createFlightRecorder({ redact: { actions: ['a..b'] } })).toThrow()
  })

  it.each([false, true])('in production, the core refuses an invalid redaction path when it arrives (preloaded: %s): nothing is recorded, onError says why, the app goes on', async (preloaded) => {
    const { lazy, root } = await fresh()
    if (preloaded) await lazy.preloadFlightRecorder()
    const env = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      const onError = vi.fn()
      const recorder = lazy.createFlightRecorder({ redact: { actions: ['payload..token'] }, onError })
      const store = makeStore(recorder)
      store.dispatch(added('x'))
      await recorder.ready()
      store.dispatch(added('y'))
      expect(store.getState().items).toEqual(['x', 'y'])
      expect(onError).toHaveBeenCalledTimes(1)
      const fault = onError.mock.calls[0][0]
      expect(fault).toBeInstanceOf(root.RecorderFaultError)
      expect(fault.message).toContain('refused the options')
      expect(fault.cause).toBeInstanceOf(TypeError)
      expect(String(fault.cause.message)).toContain('redact.actions')
      expect(() => recorder.snapshot()).toThrow(expect.objectContaining({ code: 'core-failed' }))
      await recorder.close()
      expect(recorder.stats().closed).toBe(true)
    } finally {
      process.env.NODE_ENV = env
    }
  })

  it('disabled: records nothing, loads nothing, and says so when read', async () => {
    const { lazy } = await fresh()
    const recorder = lazy.createFlightRecorder({ enabled: false })
    const store = makeStore(recorder)
    store.dispatch(added('x'))
    expect(recorder.stats()).toMatchObject({ enabled: false, paused: false })
    await recorder.ready()
    expect(() => recorder.snapshot()).toThrow(expect.objectContaining({ code: 'disabled' }))
    expect(store.getState().items).toEqual(['x'])
    // close() runs what was given to onClose (recordPageLifecycle removes its listeners so), as the root entry's does.
    const cleanup = vi.fn()
    recorder.onClose(cleanup)
    await recorder.close()
    expect(cleanup).toHaveBeenCalledTimes(1)
    expect(recorder.stats().closed).toBe(true)
  })

  it('a core that cannot be loaded is reported through onError; the app goes on unrecorded', async () => {
    const { root } = await fresh()
    vi.doMock('../../src/recorder/recorder-core.ts', () => {
      throw new Error('chunk failed to load')
    })
    const lazy = await import('redux-flight-recorder/lazy')
    const onError = vi.fn()
    const recorder = lazy.createFlightRecorder({ onError })
    const store = makeStore(recorder)
    store.dispatch(added('x'))
    await recorder.ready()
    store.dispatch(added('y'))
    expect(store.getState().items).toEqual(['x', 'y'])
    expect(onError).toHaveBeenCalledTimes(1)
    const fault = onError.mock.calls[0][0]
    expect(fault).toBeInstanceOf(root.RecorderFaultError)
    expect(fault.message).toContain("core could not be loaded")
    expect(() => recorder.snapshot()).toThrow(expect.objectContaining({ code: 'core-failed' }))
    const cleanup = vi.fn()
    recorder.onClose(cleanup)
    await recorder.close()
    expect(cleanup).toHaveBeenCalledTimes(1)
    // The panel's indicator reads it: not recording.
    expect(recorder.stats().closed).toBe(true)
    // preloadFlightRecorder() does not reject (an app awaiting it at start would not start).
    await expect(lazy.preloadFlightRecorder()).resolves.toBeUndefined()
    vi.doUnmock('../../src/recorder/recorder-core.ts')
  })
})

describe('handing the queue over', () => {
  it('a queued call that throws is a fault of the log; the core goes on recording', async () => {
    const { lazy } = await fresh()
    const onError = vi.fn()
    const recorder = lazy.createFlightRecorder({ onError })
    const store = makeStore(recorder)
    store.dispatch(added('a'))
    // A lifecycle body whose keys cannot be read (the root entry's recorder throws to the caller).
    const body = new Proxy({}, { ownKeys: () => { throw new Error('no keys') } })
    recorder.lifecycle('odd', body as Record<string, unknown>)
    store.dispatch(added('b'))
    await recorder.ready()
    store.dispatch(added('c'))
    const entries = recorder.snapshot().entries
    expect(entries.filter((e) => e.kind === 'todos/added').map((e) => (e as unknown as { action: { payload: string } }).action.payload)).toEqual(['a', 'b', 'c'])
    expect(entries.some((e) => e.kind === '@@error')).toBe(true)
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ source: 'record' }))
    expect(recorder.stats().closed).toBe(false)
    await recorder.close()
  })

  it('past the queue, no turn is taken; a clock fault while the core takes over is written and heard', async () => {
    const { lazy, root } = await fresh()
    let now = 1_000_000
    let failing = false
    const onError = vi.fn()
    const sink = root.memorySink()
    const recorder = lazy.createFlightRecorder({ maxEntries: 3, clock: () => (failing ? NaN : (now += 10)), onError, sinks: [sink] })
    const store = makeStore(recorder)
    for (let i = 0; i < 6; i++) store.dispatch(added(`q${i}`))
    // The core's note of what it skipped reads the clock as it arrives: that reading fails.
    failing = true
    await recorder.ready()
    failing = false
    store.dispatch(added('after'))
    await recorder.close()
    // (The sink's log: the buffer holds only the last 3 entries.)
    const entries = sink.lines.slice(1).map((l) => JSON.parse(l) as { kind: string; turn?: string | null })
    const sources = onError.mock.calls.map(([e]) => (e as { source: string }).source)
    expect(sources).toContain('record')
    expect(sources).toContain('clock')
    // (The clock's fault came while the skip's @@error was being written: heard, not written, as
    // with the root entry's recorder.)
    expect(entries.filter((e) => e.kind === '@@error').length).toBeGreaterThan(0)
    // Turns: every number some entry's, and stats() counts those.
    const numbers = [...new Set(entries.filter((e) => e.kind === 'todos/added').map((e) => e.turn))].map((t) => Number(String(t).slice(1)))
    expect(numbers).toEqual(numbers.map((_, i) => i + 1))
    expect(numbers.length).toBe(4) // q0-q2 queued (maxEntries 3), q3-q5 skipped, then "after"
    expect(recorder.stats().turns).toBe(numbers.length)
  })
})

describe('a clock that fails once', () => {
  // The fault's @@error reads the clock too: it takes the failed reading's time, so `t` never goes
  // back (it was written at a new reading, 30, before the action at 10; before the core arrived
  // it was stamped when the core came, 70, before actions at 30-60).
  it.each(['root', 'lazy'] as const)('%s: @@error takes the time of the reading that failed, and t never goes back', async (which) => {
    const { lazy, root } = await fresh()
    let now = 1_000_000
    const onError = vi.fn()
    const recorder = (which === 'root' ? root : lazy).createFlightRecorder({ clock: () => ((now += 10) === 1_000_030 ? NaN : now), onError })
    const store = makeStore(recorder)
    for (let i = 0; i < 4; i++) store.dispatch(added(`a${i}`))
    await (recorder as { ready?: () => Promise<void> }).ready?.()
    const entries = recorder.snapshot().entries
    const ts = entries.map((e) => e.t)
    expect(ts).toEqual([...ts].sort((a, b) => a - b))
    expect(entries.filter((e) => e.kind === '@@error')).toHaveLength(1)
    expect(entries.filter((e) => e.kind === 'todos/added')).toHaveLength(4)
    expect(onError).toHaveBeenCalledTimes(1)
  })
})
