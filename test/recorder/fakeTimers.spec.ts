import { createStore, type Reducer } from 'redux'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink, type Sink } from 'redux-flight-recorder'
import { isActionEntry, parseRecording } from 'redux-flight-recorder/replay'
import { expectReplay, recordSession } from 'redux-flight-recorder/testing'

/**
 * Component tests usually run under fake timers (`vi.useFakeTimers()`, `jest.useFakeTimers()`):
 * `flush()`, `close()` and `recordSession()` must still resolve, without the test advancing the
 * clock, and a test that leaves a turn of deferred work scheduled on a fake must not make the next
 * tests' `close()` hang (src/slices.ts). Whether a promise settles is judged after a number of
 * real event-loop turns (the real `setImmediate`, taken before any test fakes it), not by a clock.
 */
const realImmediate = setImmediate

/** Whether `p` settles within `turns` real event-loop turns. */
async function settlesWithin(p: Promise<unknown>, turns = 20): Promise<boolean> {
  let settled = false
  void p.then(
    () => (settled = true),
    () => (settled = true),
  )
  for (let i = 0; i < turns && !settled; i++) await new Promise((r) => realImmediate(r))
  return settled
}

interface Counter {
  n: number
}
const reducer: Reducer<Counter> = (s = { n: 0 }, a) => (a.type === 'inc' ? { n: s.n + 1 } : s)

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

const fakes: [string, Parameters<typeof vi.useFakeTimers>[0]][] = [
  ['the default fakes', undefined],
  ['setImmediate only', { toFake: ['setImmediate'] }],
  ['setTimeout and setInterval only', { toFake: ['setTimeout', 'setInterval'] }],
  ['every timer, performance, Date and queueMicrotask', { toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'Date', 'performance', 'queueMicrotask'] }],
]

describe.each(fakes)('under fake timers (%s)', (_, config) => {
  it('flush() and close() resolve with a sink, and the log holds every action and @@end', async () => {
    vi.useFakeTimers(config)
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = createStore(reducer, recorder.enhancer)
    store.dispatch({ type: 'inc' })
    store.dispatch({ type: 'inc' })
    expect(await settlesWithin(recorder.flush())).toBe(true)
    store.dispatch({ type: 'inc' })
    expect(await settlesWithin(recorder.close())).toBe(true)
    const log = parseRecording(sink.text())
    expect(log.entries.filter(isActionEntry)).toHaveLength(3)
    expect(sink.text().trimEnd().split('\n').at(-1)).toContain('"@@end"')
    expectReplay(log, { reducer })
  })

  it('close() resolves without sinks', async () => {
    vi.useFakeTimers(config)
    const recorder = createFlightRecorder()
    const store = createStore(reducer, recorder.enhancer)
    store.dispatch({ type: 'inc' })
    expect(await settlesWithin(recorder.close())).toBe(true)
  })

  it('recordSession() resolves with a recording that replays', async () => {
    vi.useFakeTimers(config)
    const session = recordSession(
      (rec) => createStore(reducer, rec.enhancer),
      (store) => {
        store.dispatch({ type: 'inc' })
      },
    )
    expect(await settlesWithin(session)).toBe(true)
    expectReplay(await session, { reducer })
  })
})

it('flush() waits for a write already in flight without a timer (the write is awaited itself)', async () => {
  vi.useFakeTimers()
  const writes: (() => void)[] = []
  const lines: string[] = []
  const slow: Sink = {
    write: (batch) => {
      lines.push(...batch)
      return new Promise<void>((resolve) => writes.push(resolve))
    },
  }
  const recorder = createFlightRecorder({ sinks: [slow] })
  const store = createStore(reducer, recorder.enhancer)
  store.dispatch({ type: 'inc' })
  const first = recorder.flush() // starts the write
  const second = recorder.flush() // finds it in flight
  for (let i = 0; i < 1000 && writes.length === 0; i++) await Promise.resolve()
  expect(writes).toHaveLength(1)
  writes[0]()
  expect(await settlesWithin(Promise.all([first, second]))).toBe(true)
  expect(lines.filter((l) => l.includes('"inc"'))).toHaveLength(1)
})

it('the wait for a sink that never finishes a write follows the fake clock (docs/guides/testing.md)', async () => {
  vi.useFakeTimers()
  const errors: string[] = []
  const stuck: Sink = { write: () => new Promise<void>(() => {}) }
  const recorder = createFlightRecorder({ sinks: [stuck], sinkTimeoutMs: 5000, onError: (e) => errors.push(e.message) })
  createStore(reducer, recorder.enhancer).dispatch({ type: 'inc' })
  const closing = recorder.close()
  expect(await settlesWithin(closing)).toBe(false)
  await vi.advanceTimersByTimeAsync(5000)
  expect(await settlesWithin(closing)).toBe(true)
  expect(errors.some((m) => m.includes('did not finish writing within 5000 ms'))).toBe(true)
})

it('a fake timer function that is a mock (Jest legacy fake timers) is not waited for either', async () => {
  // Jest's legacy fake timers replace the timer functions with mocks, which never run by themselves.
  const mock = vi.fn()
  vi.stubGlobal('setImmediate', mock)
  vi.stubGlobal('setTimeout', mock)
  const recorder = createFlightRecorder({ sinks: [memorySink()] })
  const store = createStore(reducer, recorder.enhancer)
  store.dispatch({ type: 'inc' })
  expect(await settlesWithin(recorder.close())).toBe(true)
  expect(mock).not.toHaveBeenCalled()
})

describe('a turn scheduled on timers that are gone does not hang later recorders', () => {
  it('fake timers restored without running the pending ones', async () => {
    // The user's report: one test records under fake timers and restores real ones.
    vi.useFakeTimers()
    const first = createFlightRecorder({ sinks: [memorySink()] })
    createStore(reducer, first.enhancer).dispatch({ type: 'inc' })
    vi.useRealTimers()
    const recorder = createFlightRecorder({ sinks: [memorySink()] })
    createStore(reducer, recorder.enhancer).dispatch({ type: 'inc' })
    expect(await settlesWithin(recorder.close())).toBe(true)
  })

  it('a turn scheduled with a replaced setImmediate that never runs (unmarked) is scheduled again', async () => {
    // A stand-in no check can tell from the real one: its callbacks never run.
    vi.stubGlobal('setImmediate', () => ({}))
    const first = createFlightRecorder({ sinks: [memorySink()] })
    createStore(reducer, first.enhancer).dispatch({ type: 'inc' })
    vi.unstubAllGlobals()
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    createStore(reducer, recorder.enhancer).dispatch({ type: 'inc' })
    expect(await settlesWithin(recorder.close())).toBe(true)
    expect(parseRecording(sink.text()).entries.filter(isActionEntry)).toHaveLength(1)
    // The first recorder's deferred work ran too, in the same turns.
    expect(await settlesWithin(first.close())).toBe(true)
  })
})

// Redux Toolkit's buildMiddleware spec (test/upstream/toolkit/query/buildMiddleware.spec.ts) turns
// fake timers on in a test whose store a `beforeEach` made: the recorder had started on the real
// `performance.now()`, and the fake one starts near 0.
it('fake timers turned on (and off) after the recorder started: no clock fault, and `t` goes on at the new clock\'s pace', async () => {
  const faults: unknown[] = []
  const recorder = createFlightRecorder({ onError: (e) => void faults.push(e) })
  const store = createStore(reducer, recorder.enhancer)
  store.dispatch({ type: 'inc' })
  await new Promise((r) => setTimeout(r, 20))
  store.dispatch({ type: 'inc' })
  vi.useFakeTimers()
  store.dispatch({ type: 'inc' })
  vi.advanceTimersByTime(50)
  store.dispatch({ type: 'inc' })
  vi.useRealTimers()
  store.dispatch({ type: 'inc' })
  expect(faults).toEqual([])
  const log = recorder.snapshot()
  expect(log.entries.filter((e) => e.kind === '@@error')).toEqual([])
  const t = log.entries.filter(isActionEntry).map((e) => e.t)
  expect(t).toHaveLength(5)
  expect(t[1] - t[0]).toBeGreaterThanOrEqual(15)
  for (let i = 1; i < t.length; i++) expect(t[i]).toBeGreaterThanOrEqual(t[i - 1])
  expect(t[3] - t[2]).toBeCloseTo(50, 0)
  expectReplay(log, { reducer })
  await recorder.close()
})
