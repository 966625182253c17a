import { configureStore } from '@reduxjs/toolkit'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { parseRecording } from 'redux-flight-recorder/replay'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { StateJson } from '../../src/stateJson'
import { added, makeStore, rootReducer, toggled } from '../helpers/todoApp'

// The flush tick used to write nothing while any full state was being serialised in slices, for up
// to four intervals. A worker whose event loop never idles, recording checkpoints often, always has
// one being prepared (its slices get little time), so its file lagged seconds behind: killed with
// SIGKILL, it left nothing (acceptance run J). Such a loop cannot be made on demand in a test: the
// "always one being prepared" it causes is stood in for by `StateJson.pending`, and the flush
// interval is a fake timer, so each tick is counted; slices and writes run on real turns.

const turns = async (n = 4) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve))
}

/** A recorder (flush interval a fake 100 ms, a checkpoint every 2 actions) on ~300 KB of state: its text is waited for (written at once, it would be a long task). */
function largeStateRecorder() {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], flushIntervalMs: 100, checkpointEvery: 2, maxBytes: 64 * 1024 * 1024 })
  const store = makeStore(recorder)
  const big = 'b'.repeat(1000)
  for (let i = 0; i < 300; i++) store.dispatch(added({ id: `big${i}`, title: big, done: false }))
  return { sink, recorder, store }
}

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

describe('the flush tick while full states are being prepared in slices', () => {
  it('writes at the first tick when the state is small (its text costs nothing to write at once)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], flushIntervalMs: 100, checkpointEvery: 2 })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'first', title: 'first', done: false }))
    // (The full-state writer, a chunk of its own, is there after the first flush.)
    await recorder.flush()
    vi.spyOn(StateJson.prototype, 'pending', 'get').mockReturnValue(1)
    for (let i = 0; i < 3; i++) store.dispatch(added({ id: `t${i}`, title: `todo ${i}`, done: false }))
    await turns()
    vi.advanceTimersByTime(100)
    await turns()
    expect(sink.lines.map((l) => JSON.parse(l).kind)).toEqual(['@@session', 'todos/added', 'todos/added', '@@checkpoint', 'todos/added', 'todos/added', '@@checkpoint'])
    vi.restoreAllMocks()
    await recorder.close()
  })

  it('with a large state, writes the lines before a checkpoint still being prepared at once; after four intervals each tick moves its text on by a bounded step, and it goes once ready', async () => {
    const { sink, recorder, store } = largeStateRecorder()
    await turns()
    vi.advanceTimersByTime(100)
    await turns()
    await recorder.flush()
    const before = sink.lines.length
    // From here the checkpoints are "being prepared" (as in a loop that starves their slices).
    vi.spyOn(StateJson.prototype, 'pending', 'get').mockReturnValue(1)
    vi.spyOn(StateJson.prototype, 'isReady').mockReturnValue(false)
    store.dispatch(toggled('big0'))
    store.dispatch(toggled('big1')) // a checkpoint follows it (every 2 actions)
    store.dispatch(toggled('big2'))
    await turns()
    vi.advanceTimersByTime(100)
    await turns()
    const kinds = () => sink.lines.slice(before).map((l) => JSON.parse(l.slice(0, 200).replace(/,"state":.*$/, '}')).kind)
    // The two actions before the checkpoint went; the checkpoint and what follows it wait.
    expect(kinds()).toEqual(['todos/toggled', 'todos/toggled'])
    for (let i = 0; i < 3; i++) {
      vi.advanceTimersByTime(100)
      await turns()
    }
    expect(kinds()).toEqual(['todos/toggled', 'todos/toggled'])
    // From the fifth tick on, each moves the text on by up to 25 ms of its own and waits on (it
    // used to write the whole state at once here: 65-80 ms for 10 MB in Chromium, one task).
    const advance = vi.spyOn(StateJson.prototype, 'advance')
    const write = vi.spyOn(StateJson.prototype, 'write')
    for (let i = 0; i < 3; i++) {
      vi.advanceTimersByTime(100)
      await turns()
    }
    expect(advance.mock.calls).toEqual([[25], [25], [25]])
    expect(write).not.toHaveBeenCalled()
    expect(kinds()).toEqual(['todos/toggled', 'todos/toggled'])
    // Once its text is ready (the mocks gone: the real one was finished by now), the next tick writes it.
    vi.restoreAllMocks()
    vi.advanceTimersByTime(100)
    await turns()
    expect(kinds()).toEqual(['todos/toggled', 'todos/toggled', '@@checkpoint', 'todos/toggled'])
    await recorder.close()
    const log = parseRecording(sink.lines.join('\n') + '\n')
    expect(log.entries.filter((e) => e.kind === 'todos/toggled')).toHaveLength(3)
  })

  it('prepares the full states recorded before the state writer arrived (a page of data loaded as the app starts), not only the header', async () => {
    // The tick waits only for states being prepared: one recorded before the writer (a chunk of its
    // own) arrived was written at once by the next tick (~90 ms for 10 MB in Chromium, one task).
    const prepare = vi.spyOn(StateJson.prototype, 'prepare')
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], checkpointEvery: 2 })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    store.dispatch(added({ id: 'b', title: 'b', done: false })) // a checkpoint follows
    const checkpointState = store.getState()
    expect(prepare).not.toHaveBeenCalled()
    await vi.waitFor(() => expect(prepare).toHaveBeenCalledWith(checkpointState), { timeout: 5000, interval: 5 })
    await recorder.close()
    expect(parseRecording(sink.text()).entries.map((e) => e.kind)).toEqual(['todos/added', 'todos/added', '@@checkpoint'])
  })

  it('the first large state after small ones (a page of data loaded) is moved on by bounded steps at the tick, not written at once', async () => {
    // The tick judged a state by the last one written: after a small header it wrote a 12 MB
    // checkpoint at once (~105 ms); and a checkpoint asked for was recorded after that decision.
    const sink = memorySink()
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const recorder = createFlightRecorder({ sinks: [sink], flushIntervalMs: 100, maxBytes: 64 * 1024 * 1024, checkpointEvery: 601 })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'small', title: 'small', done: false }))
    await recorder.flush()
    const advance = vi.spyOn(StateJson.prototype, 'advance')
    const write = vi.spyOn(StateJson.prototype, 'write')
    // ~600 KB, then a checkpoint of it (the 601st action), its text not begun when the tick comes.
    for (let i = 0; i < 600; i++) store.dispatch(added({ id: `big${i}`, title: 'b'.repeat(1000), done: false }))
    vi.advanceTimersByTime(100)
    // The tick moved the new state's text on by a bounded step rather than writing it whole.
    expect(advance).toHaveBeenCalledWith(25)
    for (const call of write.mock.results) expect(call.type).toBe('return')
    await recorder.close()
    expect(parseRecording(sink.text()).entries.filter((e) => e.kind === 'todos/added')).toHaveLength(601)
  })

  it('a state whose text is never ready is written after 64 intervals', async () => {
    const { sink, recorder, store } = largeStateRecorder()
    await recorder.flush()
    const before = sink.lines.length
    vi.spyOn(StateJson.prototype, 'pending', 'get').mockReturnValue(1)
    vi.spyOn(StateJson.prototype, 'isReady').mockReturnValue(false)
    const advance = vi.spyOn(StateJson.prototype, 'advance').mockImplementation(() => {})
    store.dispatch(toggled('big0'))
    store.dispatch(toggled('big1'))
    const kinds = () => sink.lines.slice(before).map((l) => JSON.parse(l.slice(0, 200).replace(/,"state":.*$/, '}')).kind)
    // (Whether the first tick or two wait depends on what the slices finished before the mocks
    // (the writer arrives after the first actions): counted from the ticks that moved it on.)
    let ticks = 0
    while (kinds().length < 3 && ticks < 80) {
      vi.advanceTimersByTime(100)
      await turns(2)
      ticks++
      if (ticks === 60) expect(kinds()).toEqual(['todos/toggled', 'todos/toggled'])
    }
    expect(kinds()).toEqual(['todos/toggled', 'todos/toggled', '@@checkpoint'])
    // At least 60 ticks moved it on and waited (every tick does when the last state written was
    // small: it cannot tell this one's size otherwise), the last wrote the rest.
    expect(advance.mock.calls.length).toBeGreaterThanOrEqual(61)
    expect(advance.mock.calls.every(([ms]) => ms === 25)).toBe(true)
    vi.restoreAllMocks()
    await recorder.close()
  })

  it("with a large initial state, waits for the header's state being prepared before the first write, rather than write it at once", async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const prepare = vi.spyOn(StateJson.prototype, 'prepare')
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], flushIntervalMs: 100, maxBytes: 64 * 1024 * 1024 })
    // ~300 KB of state from the start (a persisted session restored, a page rendered on the server).
    const ids = Array.from({ length: 300 }, (_, i) => `big${i}`)
    const todos = { ids, entities: Object.fromEntries(ids.map((id) => [id, { id, title: 'b'.repeat(1000), done: false }])), syncing: false, lastError: null }
    const store = configureStore({ reducer: rootReducer, preloadedState: { todos, filter: { show: 'all', audit: 0 } } as never, enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch(toggled('big0'))
    // The full-state writer (a chunk of its own) has arrived, prepared the header's state and so
    // knows it is large; from here on that state counts as still being prepared.
    await vi.waitFor(() => expect(prepare).toHaveBeenCalled(), { timeout: 5000, interval: 5 })
    await turns(8)
    vi.spyOn(StateJson.prototype, 'pending', 'get').mockReturnValue(1)
    vi.spyOn(StateJson.prototype, 'isReady').mockReturnValue(false)
    const advance = vi.spyOn(StateJson.prototype, 'advance')
    for (let i = 0; i < 6; i++) {
      vi.advanceTimersByTime(100)
      await turns()
      expect(sink.lines).toEqual([])
    }
    // The fifth and sixth ticks moved its text on (by a bounded step each), not wrote it at once.
    expect(advance).toHaveBeenCalledTimes(2)
    vi.restoreAllMocks()
    vi.advanceTimersByTime(100)
    await turns()
    expect(sink.lines.map((l) => JSON.parse(l.replace(/,"state":.*,"hash"/, ',"hash"')).kind)).toEqual(['@@session', 'todos/toggled'])
    vi.restoreAllMocks()
    await recorder.close()
  })
})
