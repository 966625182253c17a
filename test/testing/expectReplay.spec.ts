import { afterAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buggy, inMemoryReport, logDir, session } from './shared'
import { createFlightRecorder, ReplayDivergenceError } from 'redux-flight-recorder'
import { encodeRecording, formatDivergence, isActionEntry, replay, shrinkRecording, type ReplayResult } from 'redux-flight-recorder/replay'
import { expectReplay, expectReplayFile, flightRecorderMatchers } from 'redux-flight-recorder/testing'
import { added, makeReducer, makeStore, rootReducer, toggled } from '../helpers/todoApp'

const { dir, good, remove } = await logDir()
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

  it("says a log shrunk without --baseline has no hashes for that reason, and how to give it the fixed reducer's (acceptance run, session 36)", async () => {
    const rec = await session()
    // Today's reducer throws on toggling a todo it holds: `shrink` without a baseline leaves the hashes out.
    const throwing: typeof rootReducer = (state, action) => {
      if (toggled.match(action) && state?.todos?.entities[action.payload]) throw new TypeError('toggle is broken')
      return rootReducer(state, action)
    }
    const min = shrinkRecording(rec, { reducer: throwing })
    expect(min.header.shrunk).toMatchObject({ rehashed: false })
    expect(min.entries.filter(isActionEntry).map((e) => e.hash)).toEqual([null, null])
    // Fixed: it replays, and nothing could be compared, for that reason.
    let message = ''
    try {
      expectReplay(min, { reducer: rootReducer })
    } catch (error) {
      expect((error as ReplayDivergenceError).code).toBe('unverified')
      message = (error as Error).message
    }
    expect(message).toContain(
      'The log replayed 2 steps but nothing could be compared: it was shrunk without `--baseline`, so it has no state hashes and no checkpoint or @@end. ' +
        "Give it the fixed reducer's hashes: flight-recorder rehash <log> --store <module> --in-place; or pass `allowUnverified: true` to check only that it replays without throwing.",
    )
    expect(message).not.toContain('Record with the default `hash`')
    // A log file: the command names it.
    const path = join(dir, 'min.jsonl')
    writeFileSync(path, encodeRecording(min))
    await expect(expectReplayFile(path, { reducer: rootReducer })).rejects.toThrow(`flight-recorder rehash ${path} --store <module> --in-place`)
    expect(expectReplay(min, { reducer: rootReducer, allowUnverified: true }).ok).toBe(true)
    // A log that lost its hashes another way keeps the other advice.
    const { end: _end, ...noEnd } = await session({ hash: false })
    expect(() => expectReplay(noEnd, { reducer: rootReducer })).toThrow('and no checkpoint or @@end. Record with the default `hash`, or pass `allowUnverified: true`.')
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
