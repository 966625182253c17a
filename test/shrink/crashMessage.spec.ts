// Acceptance run 141: `shrink` without `--baseline` kept a candidate that crashed for another
// reason with the same error name. The bug report's reducer crashed renaming an imported todo
// (`history` missing: "reading 'push'"); the one action kept renamed a todo that was not there
// ("reading 'history'"), so the scaffolded test went on failing once the bug was fixed. A crash is
// now the same only with the same message too, runs of digits aside (a count, an index).
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ActionEntry, Recording } from 'redux-flight-recorder'
import { encodeRecording, isActionEntry, parseRecording, replay, shrinkRecording } from 'redux-flight-recorder/replay'
import { expectReplay, recordSession } from 'redux-flight-recorder/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, ROOT, requireDist, runNode, tempDir, vitestProject } from '../node/helpers'
import { bugReportSession, makeReducer, makeStore } from './fixtures/todoHistory.mjs'

const buggy = makeReducer()
const fixed = makeReducer({ fixed: true })
const PUSH = "Cannot read properties of undefined (reading 'push')"

const actionsOf = (rec: Recording) => rec.entries.filter(isActionEntry) as ActionEntry[]
const kinds = (rec: Recording) => actionsOf(rec).map((e) => e.kind)

let report: Recording

beforeAll(async () => {
  report = await recordSession((rec) => makeStore(rec), bugReportSession)
})

describe('shrinkRecording keeps the crash of the log, not another one with the same error name', () => {
  it("keeps the action that made the entity: the shrunk log fails on the buggy reducer and passes on the fixed one", () => {
    // The bug report: the app crashed on its last action, renaming the imported todo.
    expect(actionsOf(report).at(-1)).toMatchObject({ kind: 'todos/renamed', threw: { name: 'TypeError', message: PUSH } })

    const min = shrinkRecording(report, { reducer: buggy })
    expect(kinds(min)).toEqual(['todos/imported', 'todos/renamed'])
    expect(min.shrink.failure).toEqual({ reason: 'reducer-threw', kind: 'todos/renamed', errorName: 'TypeError', errorMessage: PUSH })
    expect(min.shrink.minimal).toBe(true)

    // What scaffold-test's test checks of a log shrunk without a baseline: it fails until the bug
    // is fixed, and passes after.
    const text = encodeRecording(min)
    expect(replay(text, { reducer: buggy }).divergence).toMatchObject({ reason: 'reducer-threw', kind: 'todos/renamed', error: { message: PUSH } })
    expect(() => expectReplay(text, { reducer: buggy, allowUnverified: true })).toThrow(/reading 'push'/)
    expectReplay(text, { reducer: fixed, allowUnverified: true })
  })

  it('takes the same message with other numbers as the same crash, and another message as another crash', () => {
    // `pick` past the end names the index and the length (fewer `add`s, another length); with no
    // item at all it throws another RangeError.
    const reducer = (s: { items: number } = { items: 0 }, a: { type: string; index?: number }) => {
      if (a.type === 'add') return { items: s.items + 1 }
      if (a.type === 'pick' && s.items === 0) throw new RangeError('nothing to pick')
      if (a.type === 'pick' && a.index! >= s.items) throw new RangeError(`index ${a.index} past the end (${s.items} items)`)
      return s
    }
    const entry = (seq: number, action: { type: string; index?: number }) => ({ seq, ts: '2026-01-01T00:00:00.000Z', t: seq, turn: `t${seq}`, kind: action.type, action })
    const log: Recording = {
      header: { kind: '@@session', v: 1, session: 's', ts: '2026-01-01T00:00:00.000Z', hash_alg: 'none', meta: {}, redact: { state: [], actions: [] }, from_seq: 1, state: { items: 0 }, hash: null },
      entries: [{ type: 'add' }, { type: 'add' }, { type: 'noop' }, { type: 'add' }, { type: 'pick', index: 12 }].map((a, i) => entry(i + 1, a)),
      warnings: [],
    }
    const min = shrinkRecording(log, { reducer })
    // `pick` alone throws 'nothing to pick': not kept. One `add` before it: 'index 12 past the end (1 items)', kept.
    expect(kinds(min)).toEqual(['add', 'pick'])
    expect(min.shrink.failure).toMatchObject({ errorName: 'RangeError', errorMessage: 'index 12 past the end (3 items)' })
    expect(min.shrink.result.divergence?.error?.message).toBe('index 12 past the end (1 items)')
  })
})

describe('flight-recorder shrink, then scaffold-test: the test fails until the bug is fixed, and passes after', () => {
  let project: string

  beforeAll(async () => {
    await requireDist()
    // A project of its own: the store module, the bug report, and node_modules pointing at this one.
    project = vitestProject('fr-shrink-message-')
    copyFileSync(join(ROOT, 'test/shrink/fixtures/todoHistory.mjs'), join(project, 'todos.mjs'))
    writeFileSync(join(project, 'report.jsonl'), encodeRecording(report))
  })

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true })
  })

  it('keeps the crash the log holds, says its message, and the scaffolded test passes on the fixed reducer', () => {
    const cli = (args: string[], env: Record<string, string> = {}) => runNode(CLI, args, { cwd: project, env: { FORCE_COLOR: '0', ...env } })
    const shrunk = cli(['shrink', 'report.jsonl', '--store', 'todos.mjs', '-o', 'min.jsonl'])
    expect(shrunk.code, shrunk.stderr).toBe(0)
    expect(shrunk.stdout).toContain(`it fails like the original: reducer-threw at todos/renamed (TypeError: ${PUSH})\n`)
    expect(kinds(parseRecording(readFileSync(join(project, 'min.jsonl'), 'utf8')))).toEqual(['todos/imported', 'todos/renamed'])

    const scaffolded = cli(['scaffold-test', 'min.jsonl', '--store', 'todos.mjs'])
    expect(scaffolded.code, scaffolded.stderr).toBe(0)
    expect(scaffolded.stdout).toBe('wrote min.replay.test.js\n')

    const vitest = (env: Record<string, string>) => runNode(join(ROOT, 'node_modules/vitest/vitest.mjs'), ['run', '--root', project], { cwd: project, env: { FORCE_COLOR: '0', ...env } })
    const before = vitest({})
    expect(before.code, before.stdout + before.stderr).toBe(1)
    expect(before.stdout + before.stderr).toContain(`reducer threw: TypeError: ${PUSH}`)
    const after = vitest({ FIXED: '1' })
    expect(after.code, after.stdout + after.stderr).toBe(0)
  }, 120_000)
})
