import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStore } from 'redux'
import { instrument } from '@redux-devtools/instrument'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { actionAt, makeStore, reducer } from '../fixtures/cli/todoStore.mjs'
import { CLI, TODO_STORE, requireDist, runNode, tempDir, type Exit } from '../node/helpers'

// Issue 15, case 5: each item of the command line, and --json on every subcommand.
let dir: string
const cli = (args: string[]): Exit => runNode(CLI, args, { cwd: dir })

async function recordTo(name: string, count: number, options: Record<string, unknown> = {}, change?: (i: number) => unknown) {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], meta: { app: 'todo-cli-test' }, ...options })
  const store = makeStore(recorder)
  for (let i = 0; i < count; i++) store.dispatch((change ? change(i) : actionAt(i)) as never)
  await recorder.close()
  writeFileSync(join(dir, name), sink.text())
}

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli15-')
  await recordTo('good.jsonl', 30)
  await recordTo('nohash.jsonl', 10, { hash: false })
  await recordTo('other-app.jsonl', 5, { meta: { app: 'billing@3.2.0' } })
})

describe('flight-recorder (issue 15)', () => {
  it('verify names a log converted from a DevTools export without computed states as such, not as `hash: false`', () => {
    const store = createStore(reducer, instrument() as never) as ReturnType<typeof createStore> & { liftedStore: { getState(): { computedStates?: unknown } } }
    for (let i = 0; i < 10; i++) store.dispatch(actionAt(i))
    const lifted = { ...store.liftedStore.getState() }
    delete lifted.computedStates
    writeFileSync(join(dir, 'lifted.json'), JSON.stringify({ payload: JSON.stringify(lifted) }))
    expect(cli(['convert', 'lifted.json', '--from', 'devtools', '-o', 'conv.jsonl']).code).toBe(0)
    const v = cli(['verify', 'conv.jsonl', '--store', TODO_STORE])
    expect(v.stderr).toMatch(/converted from a Redux DevTools export without computed states/)
    expect(v.stderr).not.toMatch(/recorded with `hash: false`/)
  })

  it('verify --strict on a log it could not fully verify prints FAIL, never ok, and exits 1', () => {
    const v = cli(['verify', 'nohash.jsonl', '--store', TODO_STORE, '--strict'])
    expect(v.code).toBe(1)
    expect(v.stdout).toMatch(/^FAIL {2}nohash\.jsonl: .*NOT fully verified/)
    expect(v.stdout).not.toMatch(/^ok/m)
  })

  it("verify names the app a log was recorded by (the header's meta.app) ahead of the divergence", () => {
    const text = readFileSync(join(dir, 'other-app.jsonl'), 'utf8').replace(/"hash":"[0-9a-f]{16}"/g, (m, i: number) => (i > 400 ? '"hash":"0000000000000000"' : m))
    writeFileSync(join(dir, 'other-app.jsonl'), text)
    const v = cli(['verify', 'other-app.jsonl', '--store', TODO_STORE])
    expect(v.code).toBe(1)
    const lines = v.stdout.split('\n')
    expect(lines[1]).toBe('  recorded by:   billing@3.2.0')
    expect(lines[2]).toMatch(/^Replay diverged at seq/)
  })

  it('convert -o creates the missing folders', () => {
    const r = cli(['convert', 'good.jsonl', '--to', 'devtools', '-o', 'out/deeper/x.json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, 'out/deeper/x.json'), 'utf8')).payload).toEqual(expect.any(String))
  })

  it('scaffold-test writes its test for a TypeScript store module without the tsx loader', () => {
    writeFileSync(join(dir, 'store.ts'), "import type { Reducer } from 'redux'\nexport const reducer: Reducer = (s = {}) => s\n")
    const r = cli(['scaffold-test', 'good.jsonl', '--store', 'store.ts'])
    expect(r.stderr).not.toMatch(/needs a loader|TypeScript, which Node cannot import/)
    expect(r.code).toBe(0)
    const test = readFileSync(join(dir, 'good.replay.test.ts'), 'utf8')
    expect(test).toMatch(/import \{ reducer \} from '\.\/store\.js'/)
    expect(test).toMatch(/expectReplayFile\(log, \{ reducer \}\)/)
  })

  it('verify, convert, scaffold-test (and inspect) have --json whose ok agrees with the exit code, errors included; verify --json carries the localized divergence', async () => {
    const ok = cli(['verify', 'good.jsonl', '--store', TODO_STORE, '--json'])
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, exitCode: 0, verified: true, app: 'todo-cli-test' })
    // A regression at its step: the fixture store toggles the wrong way with BUGGY_TOGGLE=1.
    const bad = runNode(CLI, ['verify', 'good.jsonl', '--store', TODO_STORE, '--json'], { cwd: dir, env: { BUGGY_TOGGLE: '1' } })
    expect(bad.code).toBe(1)
    const out = JSON.parse(bad.stdout)
    expect([out.ok, out.exitCode]).toEqual([false, 1])
    expect(out.divergence.step).toEqual(expect.any(Array))
    expect(out.divergence.stepNote).toEqual(expect.any(String))
    expect(out.report).toMatch(/this step, replayed/)
    const conv = cli(['convert', 'good.jsonl', '--to', 'devtools', '-o', 'j.json', '--json'])
    expect([conv.code, JSON.parse(conv.stdout).ok]).toEqual([0, true])
    const scaffold = cli(['scaffold-test', 'good.jsonl', '--store', TODO_STORE, '-o', 'j.test.js', '--json'])
    expect([scaffold.code, JSON.parse(scaffold.stdout).ok]).toEqual([0, true])
    const inspect = cli(['inspect', 'good.jsonl', '--json'])
    expect([inspect.code, JSON.parse(inspect.stdout).ok, JSON.parse(inspect.stdout).exitCode]).toEqual([0, true, 0])
    const missing = cli(['verify', 'nope.jsonl', '--store', TODO_STORE, '--json'])
    expect([missing.code, JSON.parse(missing.stdout).ok]).toEqual([2, false])
    expect(existsSync(join(dir, 'j.test.js'))).toBe(true)
  })
})
