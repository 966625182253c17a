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

  it('with a large state, writes the lines before a checkpoint still being prepared at once, and the rest within four intervals', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], flushIntervalMs: 100, checkpointEvery: 2, maxBytes: 64 * 1024 * 1024 })
    const store = makeStore(recorder)
    // ~300 KB of state: its text is waited for (written at once, it would be a long task).
    const big = 'b'.repeat(1000)
    for (let i = 0; i < 300; i++) store.dispatch(added({ id: `big${i}`, title: big, done: false }))
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
    // The fifth tick waits no more.
    vi.advanceTimersByTime(100)
    await turns()
    expect(kinds()).toEqual(['todos/toggled', 'todos/toggled', '@@checkpoint', 'todos/toggled'])
    vi.restoreAllMocks()
    await recorder.close()
    const log = parseRecording(sink.lines.join('\n') + '\n')
    expect(log.entries.filter((e) => e.kind === 'todos/toggled')).toHaveLength(3)
  })

  it("with a large initial state, waits for the header's state being prepared before the first write (at most four intervals), rather than write it at once", async () => {
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
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(100)
      await turns()
      expect(sink.lines).toEqual([])
    }
    vi.advanceTimersByTime(100)
    await turns()
    expect(sink.lines.map((l) => JSON.parse(l.replace(/,"state":.*,"hash"/, ',"hash"')).kind)).toEqual(['@@session', 'todos/toggled'])
    vi.restoreAllMocks()
    await recorder.close()
  })
})
