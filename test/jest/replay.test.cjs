// The testing helpers under Jest, on committed fixture logs, through the built package.
const { readFileSync } = require('node:fs')
const path = require('node:path')
const { ReplayDivergenceError } = require('redux-flight-recorder')
const { formatDivergence, replay } = require('redux-flight-recorder/replay')
const { expectReplay, expectReplayFile, flightRecorderMatchers, recordSession, replaySuite } = require('redux-flight-recorder/testing')
const { buggyReducer, makeReducer, makeStore, reducer } = require('./todoApp.cjs')

expect.extend(flightRecorderMatchers)

const fixtures = path.join(__dirname, 'fixtures')
const shopping = readFileSync(path.join(fixtures, 'shopping.jsonl'), 'utf8')

describe('expectReplay', () => {
  test('replays a fixture log', () => {
    const result = expectReplay(shopping, { reducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 5 })
  })

  test('throws a ReplayDivergenceError whose message is the divergence report', () => {
    let error
    try {
      expectReplay(shopping, { reducer: buggyReducer })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ReplayDivergenceError)
    expect(error).toMatchObject({ code: 'hash-mismatch', seq: 3, turn: 't3' })
    expect(error.message).toContain("Replay diverged at seq 3 (turn t3), action 'todos/toggled'")
    expect(error.message).toContain('todos.entities.a.done: true → false')
    // The report, its update hint said for a recording held in memory (-u cannot update it).
    const report = formatDivergence(replay(shopping, { reducer: buggyReducer }))
    const [before, after] = report.split(/ {2}if the reducer changed on purpose, update the log: .*/)
    expect(error.message).toContain(before + '  if the reducer changed on purpose, record the session again')
    expect(error.message).toContain('(expectReplayFile and replaySuite update their log files with -u)' + after)
  })
})

describe('expectReplayFile', () => {
  test('streams a fixture file', async () => {
    await expect(expectReplayFile(path.join(fixtures, 'chores.jsonl'), { reducer })).resolves.toMatchObject({ ok: true, steps: 15 })
  })

  test('rejects with the report for a changed reducer, diffed at the next checkpoint', async () => {
    await expect(expectReplayFile(path.join(fixtures, 'chores.jsonl'), { reducer: buggyReducer })).rejects.toThrow(
      /state differences at seq \d+ \(@@checkpoint\), recorded → replayed:\n {4}todos\.entities\.c3\.done: true → false/,
    )
  })
})

describe('toReplayOn', () => {
  test('passes on the recording reducer, with a reducer or options', () => {
    expect(shopping).toReplayOn(reducer)
    expect(shopping).toReplayOn({ reducer })
    expect(shopping).not.toReplayOn(buggyReducer)
  })

  test('fails with the report as its message (the one failing case whose message is checked)', () => {
    expect(() => expect(shopping).toReplayOn(buggyReducer)).toThrow(
      [
        'expected the recording to replay:',
        "Replay diverged at seq 3 (turn t3), action 'todos/toggled': the replayed state hashes differently from the recorded one.",
        '  action:        {"type":"todos/toggled","payload":"a"}',
      ].join('\n'),
    )
  })
})

describe('recordSession', () => {
  test('records a session that replays', async () => {
    const { actions } = makeReducer()
    const log = await recordSession(makeStore, (store) => {
      store.dispatch(actions.added({ id: 'j', title: 'jest', done: false }))
      store.dispatch(actions.toggled('j'))
    })
    expect(log.end).toBeDefined()
    expect(log).toReplayOn(reducer)
    expect(log).not.toReplayOn(buggyReducer)
  })
})

describe('replaySuite', () => {
  // One test per fixture file, declared with Jest's global `test`.
  const files = replaySuite('test/jest/fixtures/*.jsonl', { reducer, cwd: path.join(__dirname, '..', '..') })
  test('declared one test per fixture', () => {
    expect(files.map((f) => path.basename(f))).toEqual(['chores.jsonl', 'no-toggle.jsonl', 'shopping.jsonl'])
  })
})
