import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, encodeRecording, memorySink, FlightRecorderError, formatDivergence, replay, ReplayDivergenceError, type Recording, type ReplayResult } from 'redux-flight-recorder'
import { expectReplay, expectReplayFile, flightRecorderMatchers, recordSession, replaySuite } from 'redux-flight-recorder/testing'
import { added, makeReducer, makeStore, rootReducer, toggled } from '../helpers/todoApp'

declare module 'vitest' {
  interface Assertion<T> {
    toReplayOn(reducerOrOptions: unknown): T
  }
}
expect.extend(flightRecorderMatchers)

const buggy = makeReducer({ buggyToggle: true })

async function session(options = {}): Promise<Recording> {
  return recordSession(makeStore, (store) => {
    store.dispatch(added({ id: 'a', title: 'milk', done: false }))
    store.dispatch(toggled('a'))
  }, options)
}

// Files for replaySuite must exist when the suite is declared.
const dir = mkdtempSync(join(tmpdir(), 'fr-testing-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const good = await session()
const goodText = encodeRecording(good)
writeFileSync(join(dir, 'one.jsonl'), goodText)
writeFileSync(join(dir, 'two.jsonl'), goodText)
writeFileSync(join(dir, 'three.jsonl'), goodText)
writeFileSync(join(dir, 'notes.txt'), 'not a log')

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
      expect(e.message).toBe(`[redux-flight-recorder] The recording did not replay:\n${formatDivergence(result)}`)
      expect(e.result.divergence!.diff).toEqual([{ path: 'todos.entities.a.done', recorded: true, replayed: false }])
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
})

describe('expectReplayFile', () => {
  it('streams a log file and throws with the file named in the message', async () => {
    const file = join(dir, 'one.jsonl')
    await expect(expectReplayFile(file, { reducer: rootReducer })).resolves.toMatchObject({ ok: true })
    await expect(expectReplayFile(file, { reducer: buggy })).rejects.toThrow(`The log ${file} did not replay:\nReplay diverged at seq 2 (turn t2)`)
  })

  it('says when the file does not exist', async () => {
    const missing = join(dir, 'missing.jsonl')
    await expect(expectReplayFile(missing, { reducer: rootReducer })).rejects.toBeInstanceOf(FlightRecorderError)
    await expect(expectReplayFile(missing, { reducer: rootReducer })).rejects.toThrow(/No log file at/)
  })
})

describe('flightRecorderMatchers', () => {
  it('toReplayOn passes with a reducer or options and fails with the report', () => {
    expect(good).toReplayOn(rootReducer)
    expect(goodText).toReplayOn({ reducer: rootReducer })
    expect(good).not.toReplayOn(buggy)
    expect(() => expect(good).toReplayOn(buggy)).toThrow(`expected the recording to replay:\n${formatDivergence(replay(good, { reducer: buggy }))}`)
    expect(() => expect(good).not.toReplayOn(rootReducer)).toThrow(/expected the recording not to replay, but it replayed ok \(2 steps, 3 checks\)/)
  })
})

describe('recordSession', () => {
  it('returns the closed recording of the session', async () => {
    const rec = await session({ meta: { app: 'test' } })
    expect(rec.header.meta).toEqual({ app: 'test' })
    expect(rec.entries.map((e) => e.kind)).toEqual(['todos/added', 'todos/toggled'])
    expect(rec.end).toMatchObject({ count: 2 })
    expect(rec.entries[0].turn).toBe('t1')
  })

  it('closes the recorder (final @@end written) and rethrows when the script throws', async () => {
    const sink = memorySink()
    await expect(
      recordSession(
        makeStore,
        (store) => {
          store.dispatch(added({ id: 'a', title: 'x', done: false }))
          throw new Error('script failed')
        },
        { sinks: [sink] },
      ),
    ).rejects.toThrow('script failed')
    expect(JSON.parse(sink.lines[sink.lines.length - 1])).toMatchObject({ kind: '@@end', count: 1 })
  })

  it('rejects bad arguments', async () => {
    await expect(recordSession(null as never, null as never)).rejects.toThrow(/Expected recordSession\(build, script\)/)
  })
})

describe('replaySuite', () => {
  type Declared = { name: string; fn: () => Promise<unknown>; timeout?: number }
  const collect = (): [Declared[], (name: string, fn: () => Promise<unknown>, timeout?: number) => void] => {
    const declared: Declared[] = []
    return [declared, (name, fn, timeout) => declared.push({ name, fn, timeout })]
  }

  it('declares one test per log file, named by its path, each replaying the file', async () => {
    const [declared, test] = collect()
    const files = replaySuite('*.jsonl', { reducer: rootReducer, test, cwd: dir, timeout: 1234 })
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['one.jsonl', 'three.jsonl', 'two.jsonl'])
    expect(declared.map((d) => d.name)).toEqual(['replays one.jsonl', 'replays three.jsonl', 'replays two.jsonl'])
    expect(declared.every((d) => d.timeout === 1234)).toBe(true)
    await Promise.all(declared.map((d) => d.fn()))
    const [failing, test2] = collect()
    replaySuite([join(dir, 'one.jsonl')], { reducer: buggy, test: test2 })
    await expect(failing[0].fn()).rejects.toThrow(/todos\.entities\.a\.done: true → false/)
  })

  it('splits the files into partitions that together cover every file once', () => {
    const names = [1, 2, 3].flatMap((index) => replaySuite('*.jsonl', { reducer: rootReducer, test: () => {}, cwd: dir, partition: { index, count: 3 } }))
    expect(names.sort()).toEqual(replaySuite('*.jsonl', { reducer: rootReducer, test: () => {}, cwd: dir }).sort())
    expect(() => replaySuite('*.jsonl', { reducer: rootReducer, test: () => {}, cwd: dir, partition: { index: 4, count: 3 } })).toThrow(/`partition`/)
  })

  it('says what is missing', () => {
    expect(() => replaySuite('nothing/*.jsonl', { reducer: rootReducer, test: () => {}, cwd: dir })).toThrow(/found no log files for nothing\/\*\.jsonl/)
    expect(() => replaySuite('*.jsonl', { reducer: rootReducer, cwd: dir })).toThrow(/pass `test: it`/)
    expect(() => replaySuite([], { reducer: rootReducer, test: () => {} })).toThrow(/glob or a non-empty array/)
  })

  // The real thing: tests declared in this file through Vitest's `it`.
  describe('declared with Vitest', () => {
    replaySuite('**/*.jsonl', { reducer: rootReducer, test: it, cwd: dir })
  })
})
