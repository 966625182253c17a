import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { encodeRecording, formatDivergence, parseRecording, replay, replayStream } from 'redux-flight-recorder/replay'
import { expectReplay } from 'redux-flight-recorder/testing'
import { added, makeReducer, makeStore, rootReducer, toggled } from '../helpers/todoApp'

// Acceptance run, session 34: React's <StrictMode> (development) calls a `useState` initializer
// twice and keeps the first store, so every such log starts with two `new-store` entries (the
// second store, then the first again) before any action. Every divergence report on it then said
// "The log moved to a new store at seq 2 … pass `onReplaceReducer`", and `vitest -u` refused to
// rewrite the log. A move to a new store can only explain a divergence after actions recorded
// under the earlier store's reducer; before every action it changes nothing replay runs.

const MOVED = 'The log moved to a new store'

let warn: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => warn.mockRestore())

/** What a StrictMode page records: two stores built with one recorder, the first kept and dispatched to. */
function strictModeLog(): string {
  const recorder = createFlightRecorder()
  const kept = makeStore(recorder)
  makeStore(recorder) // React calls the initializer again and throws this store away
  kept.dispatch(added({ id: 'a', title: 'a', done: false }))
  kept.dispatch(toggled('a'))
  kept.dispatch(added({ id: 'b', title: 'b', done: false }))
  return recorder.toJSONL()
}

describe('new stores before any action (React StrictMode builds the store twice)', () => {
  it('the log starts with two new-store entries and replays to the kept store', () => {
    const log = strictModeLog()
    const kinds = parseRecording(log).entries.map((e) => (e.kind === '@@lifecycle' ? `new-store@${e.seq}` : e.kind))
    expect(kinds).toEqual(['new-store@1', 'new-store@2', 'todos/added', 'todos/toggled', 'todos/added'])
    expect(replay(log, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true, steps: 3 })
  })

  it('a changed reducer: the divergence report has no new-store hint (replay, replayStream, formatDivergence, expectReplay)', async () => {
    const log = strictModeLog()
    const changed = makeReducer({ buggyToggle: true })
    const result = replay(log, { reducer: changed })
    expect(result.divergence).toMatchObject({ seq: 4, kind: 'todos/toggled', reason: 'hash-mismatch' })
    expect(result.divergence!.hint).toBeUndefined()
    expect(formatDivergence(result)).not.toContain(MOVED)
    async function* lines() {
      yield log
    }
    const streamed = await replayStream(lines(), { reducer: changed })
    expect(streamed.divergence).toMatchObject({ seq: 4 })
    expect(streamed.divergence!.hint).toBeUndefined()
    let report = ''
    try {
      expectReplay(log, { reducer: changed })
    } catch (error) {
      report = String((error as Error).message)
    }
    expect(report).toContain("Replay diverged at seq 4 (turn t2), action 'todos/toggled'")
    expect(report).not.toContain(MOVED)
    // onReplaceReducer is still asked at each new store.
    const asked: number[] = []
    replay(log, { reducer: changed, onReplaceReducer: (e) => void asked.push(e.seq) })
    expect(asked).toEqual([1, 2])
  })

  it('a hot reload after actions is still hinted, at the first of the new stores made before the next action', () => {
    const recorder = createFlightRecorder()
    const before = makeStore(recorder)
    before.dispatch(added({ id: 'a', title: 'a', done: false }))
    // The reloaded module builds its store twice (a StrictMode page) and keeps the first.
    const kept = makeStore(recorder)
    makeStore(recorder)
    kept.dispatch(added({ id: 'b', title: 'b', done: false }))
    kept.dispatch(toggled('b'))
    const log = parseRecording(recorder.toJSONL())
    const stores = log.entries.filter((e) => e.kind === '@@lifecycle').map((e) => e.seq)
    expect(stores).toEqual([2, 3, 4])
    const result = replay(log, { reducer: makeReducer({ buggyToggle: true }) })
    expect(result.divergence).toMatchObject({ seq: 6, kind: 'todos/toggled' })
    expect(result.divergence!.hint).toBe(`${MOVED} at seq 2 (a hot reload, or a store built again); replay kept the reducer it had. If that store's reducer differs, pass \`onReplaceReducer\` to supply it.`)
  })

  it('entries missing before a new store may be actions: still hinted', () => {
    const recorder = createFlightRecorder()
    const before = makeStore(recorder)
    before.dispatch(added({ id: 'a', title: 'a', done: false }))
    before.dispatch(added({ id: 'b', title: 'b', done: false }))
    const after = makeStore(recorder)
    after.dispatch(added({ id: 'c', title: 'c', done: false }))
    after.dispatch(toggled('c'))
    const log = parseRecording(recorder.toJSONL())
    // Both actions lost (seq 1 and 2): the log goes from its header to the new store at seq 3.
    const gapped = encodeRecording({ ...log, entries: log.entries.filter((e) => e.seq > 2) })
    const result = replay(gapped, { reducer: makeReducer({ buggyToggle: true }) })
    expect(result.divergence).toMatchObject({ seq: 5, kind: 'todos/toggled' })
    expect(result.divergence!.hint).toContain(`${MOVED} at seq 3`)
  })
})

describe('onReplaceReducer at a new store, with a replay store whose replaceReducer dispatches nothing', () => {
  it('the first action after the move runs under the new reducer (only Redux own REPLACE is kept from it)', () => {
    const recorder = createFlightRecorder()
    const first = makeStore(recorder)
    first.dispatch(added({ id: 'a', title: 'a', done: false }))
    const second = makeStore(recorder) // a hot reload: the recorder goes on in the new store
    second.dispatch(added({ id: 'b', title: 'b', done: false }))
    second.dispatch(toggled('b'))
    const log = recorder.toJSONL()
    // The app's own store: Redux's API, but replacing the reducer dispatches no action.
    const createStore = (preloaded: unknown) => {
      let state = preloaded
      let reducer = rootReducer as (s: unknown, a: { type: string }) => unknown
      const listeners = new Set<() => void>()
      return {
        getState: () => state,
        dispatch(action: { type: string }) {
          state = reducer(state, action)
          for (const l of listeners) l()
          return action
        },
        subscribe(l: () => void) {
          listeners.add(l)
          return () => listeners.delete(l)
        },
        replaceReducer(next: typeof reducer) {
          reducer = next
        },
      }
    }
    const result = replay(log, { createStore: createStore as never, onReplaceReducer: () => rootReducer })
    expect(result.ok, result.ok ? '' : formatDivergence(result)).toBe(true)
    expect(result).toMatchObject({ verified: true, steps: 3 })
    expect(result.state).toEqual(second.getState())
  })
})
