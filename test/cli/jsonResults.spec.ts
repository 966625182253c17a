// Every subcommand takes --json, and its result's `ok` agrees with the exit code: one success and
// one failure each, run through the built CLI (dist/cli.js). And verify's summary counts what it
// says: the steps whose own hash was checked, and the full states (checkpoints, @@end) compared.
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { parseRecording } from 'redux-flight-recorder/replay'
import { actionAt, makeStore } from '../fixtures/cli/todoStore.mjs'
import { CLI, TODO_STORE, requireDist, runNode, tempDir, type Exit } from '../node/helpers'

let dir: string
const cli = (args: string[], env?: Record<string, string>): Exit => runNode(CLI, args, { cwd: dir, env })

async function recordTo(name: string, count: number, options: Record<string, unknown> = {}, change?: (i: number) => unknown): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], meta: { app: 'todo-json-test' }, ...options })
  const store = makeStore(recorder)
  for (let i = 0; i < count; i++) store.dispatch((change ? change(i) : actionAt(i)) as never)
  await recorder.close()
  writeFileSync(join(dir, name), sink.text())
  return sink.text()
}

/** Standard output is one JSON result; its `ok` is true exactly when the exit code is 0. */
function result(r: Exit, code: number): Record<string, unknown> {
  expect(r.code, `exit code; stderr: ${r.stderr}`).toBe(code)
  let parsed: Record<string, unknown>
  try {
    parsed = JSON.parse(r.stdout) as Record<string, unknown>
  } catch {
    throw new Error(`[redux-flight-recorder] expected standard output to be one JSON result, but it was: ${r.stdout}`)
  }
  expect(parsed.ok).toBe(code === 0)
  // docs/cli.md: a command that finishes says its exit code in the result.
  expect(parsed.exitCode).toBe(code)
  // One line, as docs/cli.md says, so that scripts can read results line by line.
  expect(r.stdout.endsWith('\n') && !r.stdout.slice(0, -1).includes('\n'), `one line of JSON: ${r.stdout.slice(0, 200)}`).toBe(true)
  return parsed
}

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-json-')
  await recordTo('good.jsonl', 40, { checkpointEvery: 10 })
  await recordTo('other.jsonl', 40, { checkpointEvery: 10 }, (i) => (i === 24 ? { type: 'todos/toggled', payload: 't1' } : actionAt(i)))
  // The regressed store to shrink on, and the baseline that replays the log as recorded.
  const app = pathToFileURL(TODO_STORE).href
  writeFileSync(join(dir, 'broken.mjs'), `import { makeReducer } from '${app}'\nexport const reducer = makeReducer({ buggyToggle: true })\n`)
  writeFileSync(join(dir, 'fixed.mjs'), `import { makeReducer } from '${app}'\nexport const reducer = makeReducer()\n`)
}, 60_000)

describe('--json on every subcommand: ok agrees with the exit code', () => {
  it('inspect', () => {
    expect(result(cli(['inspect', 'good.jsonl', '--json']), 0)).toMatchObject({ actions: expect.anything() })
    expect(result(cli(['inspect', 'nope.jsonl', '--json']), 2).error).toMatch(/No such log file: nope\.jsonl/)
  })

  it('verify', () => {
    expect(result(cli(['verify', 'good.jsonl', '--store', TODO_STORE, '--json']), 0)).toMatchObject({ verified: true, replayOk: true })
    expect(result(cli(['verify', 'good.jsonl', '--store', TODO_STORE, '--json'], { BUGGY_TOGGLE: '1' }), 1)).toMatchObject({ replayOk: false, report: expect.stringMatching(/Replay diverged at seq 4/) })
  })

  it('convert', () => {
    const ok = result(cli(['convert', 'good.jsonl', '--to', 'devtools', '--json']), 0)
    expect(JSON.parse(ok.text as string).payload).toEqual(expect.any(String))
    expect(result(cli(['convert', 'good.jsonl', '--from', 'devtools', '--json']), 2).error).toMatch(/is a flight-recorder log, not a Redux DevTools export: .* flight-recorder convert good\.jsonl --to devtools$/)
  })

  it('diff', () => {
    expect(result(cli(['diff', 'good.jsonl', 'good.jsonl', '--json']), 0)).toMatchObject({ difference: null, agree: 40 })
    const differ = result(cli(['diff', 'good.jsonl', 'other.jsonl', '--json']), 1)
    expect(differ).toMatchObject({ agree: 24, difference: { at: 'action', index: 25, a: { action: { payload: 't21' } }, b: { action: { payload: 't1' } } } })
  })

  it('scaffold-test', () => {
    expect(result(cli(['scaffold-test', 'good.jsonl', '--store', TODO_STORE, '-o', 'good.test.js', '--json']), 0)).toMatchObject({ output: 'good.test.js' })
    expect(readFileSync(join(dir, 'good.test.js'), 'utf8')).toMatch(/expectReplayFile/)
    // It exists now: without --force that is an error.
    expect(result(cli(['scaffold-test', 'good.jsonl', '--store', TODO_STORE, '-o', 'good.test.js', '--json']), 2).error).toMatch(/exists; pass --force/)
  })

  it('shrink', () => {
    const shrunk = result(cli(['shrink', 'good.jsonl', '--store', 'broken.mjs', '--baseline', 'fixed.mjs', '-o', 'min.jsonl', '--json']), 0)
    expect(shrunk.to).toBeLessThan(shrunk.from as number)
    expect(parseRecording(readFileSync(join(dir, 'min.jsonl'), 'utf8')).entries.some((e) => e.kind === 'todos/toggled')).toBe(true)
    expect(result(cli(['shrink', 'good.jsonl', '--store', 'fixed.mjs', '--baseline', 'fixed.mjs', '-o', 'min2.jsonl', '--json']), 1)).toMatchObject({ nothingToShrink: true })
  })

  it('shrink and convert do not write over an existing file (the log itself included) without --force', async () => {
    const log = await recordTo('precious.jsonl', 40, { checkpointEvery: 10 })
    writeFileSync(join(dir, 'notes.txt'), 'keep me\n')
    const shrink = (out: string, ...more: string[]) => cli(['shrink', 'precious.jsonl', '--store', 'broken.mjs', '--baseline', 'fixed.mjs', '-o', out, '--json', ...more])
    expect(result(shrink('precious.jsonl'), 2).error).toMatch(/^precious\.jsonl exists \(it is the input\); pass --force to overwrite it\.$/)
    expect(result(shrink('notes.txt'), 2).error).toMatch(/^notes\.txt exists; pass --force/)
    const convert = (out: string, ...more: string[]) => cli(['convert', 'precious.jsonl', '--to', 'devtools', '-o', out, '--json', ...more])
    expect(result(convert('precious.jsonl'), 2).error).toMatch(/precious\.jsonl exists \(it is the input\); pass --force/)
    expect(result(convert('notes.txt'), 2).error).toMatch(/notes\.txt exists; pass --force/)
    // Nothing was written over.
    expect(readFileSync(join(dir, 'precious.jsonl'), 'utf8')).toBe(log)
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me\n')
    // With --force, as asked.
    expect(result(convert('notes.txt', '--force'), 0)).toMatchObject({ output: 'notes.txt' })
    expect(JSON.parse(readFileSync(join(dir, 'notes.txt'), 'utf8')).payload).toEqual(expect.any(String))
    expect(result(shrink('notes.txt', '--force'), 0).to).toBeLessThan(40)
    expect(parseRecording(readFileSync(join(dir, 'notes.txt'), 'utf8')).entries.some((e) => e.kind === 'todos/toggled')).toBe(true)
  })

  describe('serve', () => {
    let busy: Server
    afterAll(() => new Promise<void>((done) => (busy ? busy.close(() => done()) : done())))

    it('prints one JSON line with ok: true once it listens, and exits 0 on SIGTERM', async () => {
      const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--dir', join(dir, 'sessions'), '--admin-token', 'admin-token-1234', '--json'], {
        cwd: dir,
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
      try {
        const first = await new Promise<string>((done, fail) => {
          createInterface({ input: child.stdout! }).once('line', done)
          child.once('exit', (code) => fail(new Error(`[redux-flight-recorder] expected serve to print a line, but it exited with ${code}.`)))
        })
        const line = JSON.parse(first) as { ok: boolean; url: string; ingest: string; adminToken: string }
        expect(line).toMatchObject({ ok: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), adminToken: 'admin-token-1234' })
        expect(line.ingest).toBe(`${line.url}/ingest`)
        // It really listens at that URL.
        const listed = await fetch(`${line.url}/sessions`, { headers: { authorization: 'Bearer admin-token-1234' } })
        expect(listed.status).toBe(200)
      } finally {
        child.kill('SIGTERM')
      }
      expect(await exited).toBe(0)
    })

    it('prints ok: false and exits 2 when it cannot listen (the port is taken)', async () => {
      busy = createServer()
      const port = await new Promise<number>((done) => busy.listen(0, '127.0.0.1', () => done((busy.address() as { port: number }).port)))
      const r = await new Promise<Exit>((done) => {
        const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--dir', join(dir, 'sessions2'), '--json'], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' } })
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', (d: Buffer) => (stdout += d))
        child.stderr.on('data', (d: Buffer) => (stderr += d))
        child.once('close', (code, signal) => done({ code, signal, stdout, stderr }))
      })
      expect(result(r, 2).error).toMatch(new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is in use`))
    })

    it('prints ok: false and exits 2 when --dir cannot hold sessions (a file is in the way)', () => {
      writeFileSync(join(dir, 'a-file'), 'not a folder\n')
      const r = cli(['serve', '--port', '0', '--dir', 'a-file/sessions', '--json'])
      expect(result(r, 2).error).toMatch(/^Cannot keep sessions in a-file\/sessions: /)
      expect(r.stderr).toMatch(/^flight-recorder: Cannot keep sessions in a-file\/sessions: /)
    })
  })
})

describe('verify says what it counted', () => {
  /** From the log itself: the action entries, and the full states after the first action (checkpoints that do not rebase, @@end). */
  function countsOf(text: string): { steps: number; full: number } {
    const rec = parseRecording(text, { strict: false })
    const steps = rec.entries.filter((e) => 'action' in e)
    const first = steps[0].seq
    const checkpoints = rec.entries.filter((e) => e.kind === '@@checkpoint' && e.seq > first && !['resume', 'devtools'].includes(String((e as { reason?: unknown }).reason)))
    return { steps: steps.length, full: checkpoints.length + (rec.end && 'state' in rec.end ? 1 : 0) }
  }

  it("names the steps' own hashes and the full states apart, in text and in --json", () => {
    const text = readFileSync(join(dir, 'good.jsonl'), 'utf8')
    const { steps, full } = countsOf(text)
    expect([steps, full]).toEqual([40, 5])
    const r = cli(['verify', 'good.jsonl', '--store', TODO_STORE])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`ok  good.jsonl: 40 actions replayed on ${TODO_STORE}, 40 steps' hashes checked (fr64), 5 full states (checkpoints, @@end) compared\n`)
    const json = result(cli(['verify', 'good.jsonl', '--store', TODO_STORE, '--json']), 0)
    expect(json).toMatchObject({ steps: 40, stepHashesChecked: 40, fullStatesCompared: 5, checked: 45 })
  })

  it('counts only the steps that had a hash: a step whose hash is missing is not counted as checked', () => {
    const lines = readFileSync(join(dir, 'good.jsonl'), 'utf8').split('\n')
    const i = lines.findIndex((l) => l.includes('"seq":7,'))
    expect(lines[i]).toMatch(/"hash":"[0-9a-f]{16}"/)
    lines[i] = lines[i].replace(/,"hash":"[0-9a-f]{16}"/, '')
    writeFileSync(join(dir, 'one-unhashed.jsonl'), lines.join('\n'))
    const r = cli(['verify', 'one-unhashed.jsonl', '--store', TODO_STORE])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^ok {2}one-unhashed\.jsonl: 40 actions replayed on .*, 39 steps' hashes checked \(fr64\), 5 full states \(checkpoints, @@end\) compared, NOT fully verified\n$/)
    expect(result(cli(['verify', 'one-unhashed.jsonl', '--store', TODO_STORE, '--json', '--strict']), 1)).toMatchObject({ stepHashesChecked: 39, fullStatesCompared: 5 })
  })
})

describe('verify on a log with an action too large to log', () => {
  it('says why it is not fully verified: the action, not "a gap in the log, or skipped actions"', async () => {
    await recordTo('too-large.jsonl', 12, { maxEntryBytes: 1000, onError: () => {} }, (i) =>
      i === 3 ? { type: 'todos/added', payload: { id: 'big', title: 'x'.repeat(5000), done: false } } : actionAt(i),
    )
    const json = result(cli(['verify', 'too-large.jsonl', '--store', TODO_STORE, '--json']), 0)
    expect(json.notFullyVerified).toBe('an action was too large to log (see the warnings): the steps after it were not checked up to the next full state.')
  })
})

describe('verify --json with long strings in the differences', () => {
  it('carries them shortened around where they differ, with their lengths, as valid JSON', async () => {
    // The reducer builds a 200,000-character string; the replayed one changes its last character.
    const source = (bug: boolean) =>
      `export const reducer = (s = { body: '' }, a) => a.type === 'grow' ? { body: 'a'.repeat(a.payload) + ${bug ? "'!'" : "'Z'"} } : s\n`
    writeFileSync(join(dir, 'long-store.mjs'), source(true))
    const { reducer } = await import(`data:text/javascript,${encodeURIComponent(source(false))}`)
    const { configureStore } = await import('@reduxjs/toolkit')
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch({ type: 'grow', payload: 200_000 })
    await recorder.close()
    writeFileSync(join(dir, 'long.jsonl'), sink.text())
    const r = cli(['verify', 'long.jsonl', '--store', 'long-store.mjs', '--json'])
    const out = result(r, 1) as { divergence: { diff: { path: string; recorded: string; replayed: string; shortened: object }[] } }
    expect(r.stdout.length).toBeLessThan(10_000)
    expect(out.divergence.diff).toEqual([
      { path: 'body', recorded: 'a'.repeat(50) + 'Z', replayed: 'a'.repeat(50) + '!', shortened: { from: 199_950, at: 200_000, recordedLength: 200_001, replayedLength: 200_001 } },
    ])
  }, 60_000)

  it("shortens a long string in the diverging step's action the same way", async () => {
    // A 200,000-character paste (under maxEntryBytes) in the action; the replayed reducer keeps one character fewer.
    const source = (bug: boolean) => `export const reducer = (s = { n: 0 }, a) => a.type === 'paste' ? { n: a.payload.text.length${bug ? ' - 1' : ''} } : s\n`
    writeFileSync(join(dir, 'paste-store.mjs'), source(true))
    const { reducer } = await import(`data:text/javascript,${encodeURIComponent(source(false))}`)
    const { configureStore } = await import('@reduxjs/toolkit')
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch({ type: 'paste', payload: { text: 'p'.repeat(200_000), at: 3 } })
    await recorder.close()
    writeFileSync(join(dir, 'paste.jsonl'), sink.text())
    const r = cli(['verify', 'paste.jsonl', '--store', 'paste-store.mjs', '--json'])
    const out = result(r, 1) as { divergence: { kind: string; action: { type: string; payload: { text: string; at: number } } } }
    expect(r.stdout.length).toBeLessThan(10_000)
    expect(out.divergence.kind).toBe('paste')
    expect(out.divergence.action).toEqual({ type: 'paste', payload: { text: `${'p'.repeat(200)}…(199800 more characters)`, at: 3 } })
  }, 60_000)
})
