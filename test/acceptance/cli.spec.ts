import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { applyMiddleware, compose, legacy_createStore as createStore, type StoreEnhancer } from 'redux'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { run } from '../../src/cli/run'
import { actionAt, makeStore } from '../fixtures/cli/todoStore.mjs'

// Acceptance, as a user runs the command line on the logs their app wrote: what `verify` says
// about a log it could not fully check, and what `scaffold-test` says about a TypeScript store
// module that exports the reducer under another name (getting started's `todos.ts` exports
// `rootReducer`). In process (`run` is what the bin calls), so no build is needed.
const TODO_STORE = resolve(__dirname, '../fixtures/cli/todoStore.mjs')
let dir: string

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await run(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t), tty: false, columns: 80, cwd: dir })
  return { code, stdout, stderr }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fr-accept-cli-'))
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink] })
  const store = makeStore(recorder)
  for (let i = 0; i < 8; i++) store.dispatch(actionAt(i) as never)
  await recorder.close()
  const lines = sink.text().split('\n')
  writeFileSync(join(dir, 'full.jsonl'), sink.text())
  // The writer stopped in the middle of the line for seq 6: seq 6, 7, 8 and @@end never arrived.
  const cut = lines.findIndex((l) => l.startsWith('{"seq":6,'))
  writeFileSync(join(dir, 'cut.jsonl'), lines.slice(0, cut).join('\n') + '\n' + lines[cut].slice(0, 40))
  // The same app with `toggled` regressed (it no longer flips `done`).
  // Values the log holds in another form: a Date in an action, a Map in the state.
  const lossySink = memorySink()
  const lossyRecorder = createFlightRecorder({ sinks: [lossySink], lossy: { warn: false } })
  const lossyStore = createStore((s: { tags: Map<string, number>; at: string } = { tags: new Map([['a', 1]]), at: '' }, a: { type: string; payload?: { at: Date } }) =>
    a.type === 'stamped' ? { ...s, at: String(a.payload?.at) } : s, compose(applyMiddleware(lossyRecorder.middleware), lossyRecorder.enhancer) as StoreEnhancer)
  lossyStore.dispatch({ type: 'stamped', payload: { at: new Date(0) } })
  await lossyRecorder.close()
  writeFileSync(join(dir, 'lossy.jsonl'), lossySink.text())
  writeFileSync(join(dir, 'buggyStore.mjs'), `import { makeReducer } from ${JSON.stringify(TODO_STORE)}\nexport const reducer = makeReducer({ buggyToggle: true })\n`)
}, 60_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('flight-recorder verify, on a log whose last line was cut short', () => {
  it('--strict fails it (exit 1, `ok: false`) and says why: the steps after the cut were never checked', async () => {
    const v = await cli('verify', 'cut.jsonl', '--store', TODO_STORE, '--strict', '--json')
    const out = JSON.parse(v.stdout)
    expect(out.replayOk).toBe(true)
    expect(out.ok).toBe(false)
    expect(v.code).toBe(1)
    expect(out.notFullyVerified).toMatch(/incomplete.*cut short/)
  })

  it('without --strict it exits 0 as documented, but does not print a plain `ok`: it says NOT fully verified', async () => {
    const v = await cli('verify', 'cut.jsonl', '--store', TODO_STORE)
    expect(v.code).toBe(0)
    expect(v.stdout).toMatch(/^ok {2}cut\.jsonl: 5 actions replayed on .*, NOT fully verified$/m)
    expect(v.stderr).toMatch(/cut short/)
  })

  it('the complete log still passes --strict with a plain ok', async () => {
    const v = await cli('verify', 'full.jsonl', '--store', TODO_STORE, '--strict')
    expect(v.code).toBe(0)
    expect(v.stdout).toMatch(/^ok {2}full\.jsonl: 8 actions replayed on .*, 8 steps' hashes checked \(fr64\), 1 full state \(checkpoints, @@end\) compared$/m)
  })
})

describe('flight-recorder verify --json, on a log that diverges', () => {
  it('does not claim the log had steps without a hash: the replay diverged, the log is whole', async () => {
    const v = await cli('verify', 'full.jsonl', '--store', 'buggyStore.mjs', '--json')
    const out = JSON.parse(v.stdout)
    expect(v.code).toBe(1)
    expect(out.ok).toBe(false)
    expect(out.divergence.reason).toBe('hash-mismatch')
    expect(out.divergence.kind).toBe('todos/toggled')
    expect(out.notFullyVerified).toBeNull()
  })
})

describe('flight-recorder scaffold-test with a TypeScript store module', () => {
  it('that exports the reducer as `rootReducer` only: it names the missing export, not just the loader', async () => {
    // Getting started's todos.ts, cut down: the root reducer is exported as `rootReducer`.
    writeFileSync(
      join(dir, 'todos.ts'),
      "import { combineReducers } from 'redux'\nconst todos = (s: string[] = []) => s\nexport const rootReducer = combineReducers({ todos })\n",
    )
    const v = await cli('scaffold-test', 'full.jsonl', '--store', './todos.ts', '--json')
    const out = JSON.parse(v.stdout)
    expect(v.code).toBe(2)
    expect(out.ok).toBe(false)
    expect(out.error).toMatch(/exports neither `reducer` nor `createStore`/)
    expect(out.error).toMatch(/export \{ rootReducer as reducer \}/)
  })

  it('that exports `reducer`: it writes the test without a loader', async () => {
    writeFileSync(join(dir, 'store.ts'), "export { rootReducer as reducer } from './todos'\n")
    const v = await cli('scaffold-test', 'full.jsonl', '--store', './store.ts', '--json')
    expect(v.code).toBe(0)
    expect(JSON.parse(v.stdout)).toEqual({ ok: true, exitCode: 0, output: 'full.replay.test.ts', runner: 'vitest', actions: 8, accepts: [] })
    expect(readFileSync(join(dir, 'full.replay.test.ts'), 'utf8')).toContain("import { reducer } from './store.js'") // what tsc's nodenext requires; Vite finds store.ts
  })
})

describe('flight-recorder inspect, on a log with lossy values', () => {
  it('names each one, where it is and from which seq, in text and in --json', async () => {
    const text = await cli('inspect', 'lossy.jsonl')
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/values held in another form than the app had them/)
    expect(text.stdout).toMatch(/seq 0 +state\.tags is a Map: its contents are not in the log or the hash/)
    expect(text.stdout).toMatch(/seq 1 +payload\.at was a Date, logged as its ISO string/)
    const json = JSON.parse((await cli('inspect', 'lossy.jsonl', '--json')).stdout)
    expect(json.lossy).toEqual([
      expect.objectContaining({ where: 'state', path: 'tags', kind: 'map', firstSeq: 0, count: 2 }), // header and @@end
      expect.objectContaining({ where: 'action', path: 'payload.at', kind: 'date', firstSeq: 1, count: 1 }),
    ])
    const clean = JSON.parse((await cli('inspect', 'full.jsonl', '--json')).stdout)
    expect(clean.lossy).toEqual([])
  })
})

describe('every --json result agrees with the exit code', () => {
  const cases: Array<[string, string[]]> = [
    ['inspect', ['inspect', 'full.jsonl', '--json']],
    ['inspect, no such file', ['inspect', 'missing.jsonl', '--json']],
    ['verify', ['verify', 'full.jsonl', '--store', TODO_STORE, '--json']],
    ['verify --strict, cut log', ['verify', 'cut.jsonl', '--store', TODO_STORE, '--strict', '--json']],
    ['verify, no --store', ['verify', 'full.jsonl', '--json']],
    ['convert to devtools, into a new directory', ['convert', 'full.jsonl', '--to', 'devtools', '-o', 'out/x.json', '--json']],
    ['verify, diverging', ['verify', 'full.jsonl', '--store', 'buggyStore.mjs', '--json']],
    ['diff', ['diff', 'full.jsonl', 'cut.jsonl', '--json']],
    ['scaffold-test', ['scaffold-test', 'full.jsonl', '--store', TODO_STORE, '-o', 'json.test.js', '--json']],
    ['shrink, a failing log', ['shrink', 'full.jsonl', '--store', 'buggyStore.mjs', '-o', 'min.jsonl', '--json']],
    ['shrink, a log that does not fail', ['shrink', 'full.jsonl', '--store', TODO_STORE, '-o', 'min2.jsonl', '--json']],
    ['unknown command', ['bogus', '--json']],
  ]
  for (const [name, argv] of cases) {
    it(name, async () => {
      const v = await cli(...argv)
      const out = JSON.parse(v.stdout)
      expect(typeof out.ok).toBe('boolean')
      expect(out.ok).toBe(v.code === 0)
    })
  }
})
