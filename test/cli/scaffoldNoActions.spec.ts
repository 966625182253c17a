// Acceptance run 141: `scaffold-test` on a log with no actions (a recorder closed before any
// dispatch: a header and `@@end`) exited 0 and wrote a test that could never pass ("The log has no
// actions to replay …"). It refuses such a log as unusable input: one line, exit 2, and with
// --json one result whose ok is false. Runs the built CLI (dist/cli.js).
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeStore } from '../fixtures/cli/todoStore.mjs'
import { CLI, TODO_STORE, requireDist, runNode, tempDir } from '../node/helpers'

let idle: string

beforeAll(async () => {
  await requireDist()
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink] })
  makeStore(recorder)
  await recorder.close()
  idle = sink.text()
}, 60_000)

/** A directory of its own holding only idle.jsonl. */
function idleDir(): string {
  const dir = tempDir('fr-scaffold-idle-')
  writeFileSync(join(dir, 'idle.jsonl'), idle)
  return dir
}

describe('scaffold-test on a log with no actions', () => {
  it('refuses it with one line and exit 2, writing no test', () => {
    const dir = idleDir()
    expect(idle.split('\n').filter(Boolean).map((l) => JSON.parse(l).kind)).toEqual(['@@session', '@@end'])
    const r = runNode(CLI, ['scaffold-test', 'idle.jsonl', '--store', TODO_STORE], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      'flight-recorder: idle.jsonl has no actions to replay, so a test of it would check nothing about the reducer (expectReplay fails such a test): record a session with actions, then scaffold its test.\n',
    )
    expect(existsSync(join(dir, 'idle.replay.test.js'))).toBe(false)
    rmSync(dir, { recursive: true, force: true })
  })

  it('with --json, prints one result with ok false and exit code 2', () => {
    const dir = idleDir()
    const r = runNode(CLI, ['scaffold-test', 'idle.jsonl', '--store', TODO_STORE, '--json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, exitCode: 2, error: expect.stringMatching(/^idle\.jsonl has no actions to replay, so a test of it would check nothing about the reducer/) })
    expect(readdirSync(dir)).toEqual(['idle.jsonl'])
    rmSync(dir, { recursive: true, force: true })
  })

  it('still scaffolds a log whose actions were lost (a gap): its test accepts the log as incomplete', async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = makeStore(recorder)
    for (let i = 1; i <= 3; i++) store.dispatch({ type: 'todos/added', payload: { id: `t${i}`, title: `T${i}`, done: false } })
    await recorder.close()
    // The actions' lines lost (seqs 1–3): the header and @@end remain.
    const lines = sink.text().split('\n').filter(Boolean)
    expect(lines.map((l) => JSON.parse(l).kind)).toEqual(['@@session', 'todos/added', 'todos/added', 'todos/added', '@@end'])
    const dir = tempDir('fr-scaffold-lost-')
    writeFileSync(join(dir, 'lost.jsonl'), [lines[0], lines[4]].join('\n') + '\n')
    const r = runNode(CLI, ['scaffold-test', 'lost.jsonl', '--store', TODO_STORE], { cwd: dir })
    expect(r.stderr).toMatch(/^note: the log is incomplete/)
    expect(r.code).toBe(0)
    expect(readFileSync(join(dir, 'lost.replay.test.js'), 'utf8')).toContain('allowIncomplete: true')
    rmSync(dir, { recursive: true, force: true })
  })
})
