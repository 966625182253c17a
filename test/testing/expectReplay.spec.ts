import { afterAll, describe, expect, it } from 'vitest'
import { buggy, inMemoryReport, logDir, session } from './shared'
import { createFlightRecorder, ReplayDivergenceError } from 'redux-flight-recorder'
import { formatDivergence, replay, type ReplayResult } from 'redux-flight-recorder/replay'
import { expectReplay, flightRecorderMatchers } from 'redux-flight-recorder/testing'
import { added, makeReducer, makeStore, rootReducer } from '../helpers/todoApp'

const { good, remove } = await logDir()
afterAll(remove)

describe('expectReplay', () => {
  it('returns the result when the recording replays', () => {
    expect(expectReplay(good, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true, steps: 2 })
  })

  it('throws a ReplayDivergenceError carrying code, seq, turn, the report and the result', () => {
    const result = replay(good, { reducer: buggy })
    try {
      expectReplay(good, { reducer: buggy })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ReplayDivergenceError)
      const e = error as ReplayDivergenceError & { result: ReplayResult }
      expect(e).toMatchObject({ code: 'hash-mismatch', seq: 2, turn: 't2', name: 'ReplayDivergenceError' })
      // The report, with an update hint for a recording held in memory (-u cannot update it).
      expect(e.message).toBe(`[redux-flight-recorder] The recording did not replay:\n${inMemoryReport(formatDivergence(result))}`)
      expect(e.message).toContain('record the session again')
      expect(e.message).not.toContain('or run the tests with -u')
      expect(e.result.divergence!.diff).toEqual([{ path: 'todos.entities.a.done', recorded: true, replayed: false }])
      // Not an own property: Vitest prints every own property of a failing test's error (a replay's
      // result holds whole states: kilobytes of them after each failure, with --reporter=verbose).
      expect(Object.getOwnPropertyNames(e)).not.toContain('result')
      expect(Object.getOwnPropertyNames(e)).toEqual(expect.arrayContaining(['code', 'seq', 'turn']))
      expect('result' in e).toBe(true)
    }
  })

  it('fails a replay in which nothing could be compared, unless allowUnverified', async () => {
    const rec = await session({ hash: false })
    const { end: _end, ...noEnd } = rec
    expect(() => expectReplay(noEnd, { reducer: buggy })).toThrow(/nothing could be compared/)
    try {
      expectReplay(noEnd, { reducer: rootReducer })
    } catch (error) {
      expect((error as ReplayDivergenceError).code).toBe('unverified')
    }
    expect(expectReplay(noEnd, { reducer: buggy, allowUnverified: true }).ok).toBe(true)
    // With @@end, the final states are compared even without hashes.
    expect(() => expectReplay(rec, { reducer: buggy })).toThrow(/todos\.entities\.a\.done: true → false/)
  })

  it('fails a replay that stopped early, saying why', () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'x', done: false }))
    store.replaceReducer(makeReducer())
    const rec = recorder.snapshot()
    expect(() => expectReplay(rec, { reducer: rootReducer })).toThrow(/pass `onReplaceReducer`/)
  })

  it('given a file name instead of the log, says to use expectReplayFile (it read as "Line 1 … not JSON")', () => {
    for (const name of ['test/sessions/checkout.jsonl', 'bug.ndjson ']) {
      expect(() => expectReplay(name, { reducer: rootReducer })).toThrow(/looks like a file name .*use `expectReplayFile\(path, options\)`/)
    }
    expect.extend(flightRecorderMatchers)
    expect(() => (expect('a.jsonl') as unknown as { toReplayOn(r: unknown): void }).toReplayOn(rootReducer)).toThrow(/`toReplayOn` takes a log's text/)
  })
})
