import { spawnSync } from 'node:child_process'
import { gzipSync } from 'node:zlib'
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { compose, createStore, type StoreEnhancer } from 'redux'
import { ActionCreators, instrument } from '@redux-devtools/instrument'
import { devToolsInstrument } from 'redux-flight-recorder/devtools'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, type FlightRecorderOptions, type Recording } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { fileSink, sha256JsonHash } from 'redux-flight-recorder/node'
import { actionAt, makeStore, reducer } from '../fixtures/cli/todoStore.mjs'
import { CLI, ROOT, TODO_STORE, requireDist, runNode, tempDir, type Exit } from '../node/helpers'

let dir: string
let good: string
let goodRec: Recording

function cli(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Exit {
  return runNode(CLI, args, { cwd: opts.cwd ?? dir, env: opts.env })
}

/** Records a real session through fileSink into `path`; `change(i, action)` can alter actions. */
async function record(path: string, count: number, change?: (i: number, action: ReturnType<typeof actionAt>) => ReturnType<typeof actionAt>) {
  const recorder = createFlightRecorder({
    sinks: [fileSink(path, { processLifecycle: false })],
    flushIntervalMs: 60_000,
    meta: { app: 'todo-cli-test' },
    checkpointEvery: 50,
  })
  const store = makeStore(recorder)
  for (let i = 0; i < count; i++) store.dispatch(change ? change(i, actionAt(i)) : actionAt(i))
  return { recorder, store }
}

/** Records `count` actions into `path` with the recorder options given (a hash setting), and closes. */
async function recordClosed(path: string, count: number, options: Partial<FlightRecorderOptions>): Promise<void> {
  const recorder = createFlightRecorder({ sinks: [fileSink(path, { processLifecycle: false })], ...options })
  const store = makeStore(recorder)
  for (let i = 0; i < count; i++) store.dispatch(actionAt(i))
  await recorder.close()
}

/** The only thing a failure may print: one line on stderr, no stack trace. */
function expectOneLine(r: Exit, pattern: RegExp): void {
  expect(r.code).toBe(2)
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
  expect(r.stderr.trimEnd()).toMatch(pattern)
  expect(r.stderr).not.toMatch(/^\s+at /m)
  expect(r.stdout).toBe('')
}

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-')
  good = join(dir, 'session.jsonl')
  const { recorder, store } = await record(good, 60)
  recorder.mark('checkout started', { cart: 3 })
  recorder.lifecycle('custom-event', { detail: 'from the test' })
  // An action whose payload JSON cannot carry (a callback), which no reducer handles.
  const error = vi.spyOn(console, 'error').mockImplementation(() => {})
  store.dispatch({ type: 'analytics/track', payload: { name: 'open', callback: () => {} } })
  error.mockRestore()
  for (let i = 60; i < 80; i++) store.dispatch(actionAt(i))
  await recorder.close()
  goodRec = parseRecording(readFileSync(good, 'utf8'), { strict: true })
}, 70_000)

describe('flight-recorder', () => {
  it('prints help for the program and for each command, and exits 0', () => {
    const top = cli(['--help'])
    expect(top.code).toBe(0)
    expect(top.stdout).toMatch(/^Usage: flight-recorder <command>/)
    for (const command of ['inspect', 'verify', 'convert', 'diff', 'scaffold-test']) {
      const r = cli([command, '--help'])
      expect(r.code, command).toBe(0)
      expect(r.stdout).toContain(`Usage: flight-recorder ${command}`)
      expect(r.stdout).toMatch(/Exit codes:/)
      expect(cli(['help', command]).stdout).toBe(r.stdout)
    }
    const none = cli([])
    expect(none.code).toBe(2)
    expect(none.stdout).toMatch(/^Usage/)
  })

  it("lists --json in every command's help (every command takes it: docs/cli.md)", () => {
    for (const command of ['inspect', 'verify', 'convert', 'diff', 'scaffold-test', 'shrink', 'serve']) {
      const help = cli([command, '--help']).stdout
      expect(help, command).toMatch(/^ {2}--json +\S/m)
    }
  })

  it('rejects an unknown command or option with exit 2 and no stack trace', () => {
    expectOneLine(cli(['frobnicate']), /^flight-recorder: Unknown command 'frobnicate'/)
    expectOneLine(cli(['inspect', good, '--frob']), /^flight-recorder: Unknown option '--frob'\. \(see flight-recorder inspect --help\)$/)
  })

  describe('inspect', () => {
    it('summarises a real log: header, duration, actions by type and turn, omissions, lifecycle, marks', () => {
      const r = cli(['inspect', 'session.jsonl'])
      expect(r.code).toBe(0)
      expect(r.stderr).toBe('')
      const out = r.stdout
      expect(out).toMatch(/^log\s+session\.jsonl \([\d.]+ KB, \d+ lines\)/)
      expect(out).toContain(`session   ${goodRec.header.session}`)
      expect(out).toMatch(/meta\s+app=todo-cli-test/)
      expect(out).toMatch(/entries\s+seq 1–\d+: 81 actions in 81 turns, 1 checkpoint/)
      expect(out).toMatch(/ended\s+cleanly \(@@end at seq \d+: 81 actions in the session, 0 dropped\)/)
      const adds = goodRec.entries.filter((e) => e.kind === 'todos/added').length
      expect(out).toMatch(new RegExp(`\\n\\s+${adds}\\s+todos/added\\n`))
      expect(out).toMatch(/values the log could not carry \(1 action\)\n\s+1\s+payload\.callback: function\s+first at seq \d+/)
      expect(out).toMatch(/lifecycle\n\s+seq \d+\s+\+\S+ m?s\s+custom-event \{"detail":"from the test"\}/)
      expect(out).toMatch(/marks\n\s+seq \d+\s+\+\S+ m?s\s+checkout started \{"cart":3\}/)
    })

    it('gives the same summary as JSON with --json', () => {
      const r = cli(['inspect', good, '--json'])
      expect(r.code).toBe(0)
      const s = JSON.parse(r.stdout)
      expect(s).toMatchObject({
        session: goodRec.header.session,
        hashAlgorithm: 'fr64',
        actions: 81,
        nonRecordable: 1,
        omissions: [{ path: 'payload.callback', kind: 'function', count: 1 }],
        marks: [{ label: 'checkout started', body: { cart: 3 } }],
        lifecycle: [{ event: 'custom-event', detail: 'from the test' }],
        ended: { clean: true, count: 81, dropped: 0 },
        droppedTotal: 0,
      })
      expect(s.actionsByType.reduce((n: number, a: { count: number }) => n + a.count, 0)).toBe(81)
    })

    it('reads a log cut short by a crash and says so', () => {
      const text = readFileSync(good, 'utf8')
      const cut = join(dir, 'cut.jsonl')
      writeFileSync(cut, text.slice(0, text.length - 40))
      const r = cli(['inspect', cut])
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/ended\s+without @@end/)
      expect(r.stdout).toMatch(/warning: Line \d+ was cut short/)
    })

    it('shows lost entries: gaps in seq and @@dropped entries', () => {
      const lines = readFileSync(good, 'utf8').split('\n')
      // Lines 11–15 are seq 10–14; one @@dropped entry says 3 were given up elsewhere.
      const dropped = JSON.stringify({ seq: 10, ts: '', t: 0, turn: null, kind: '@@dropped', count: 3, reason: 'sink-queue-full' })
      writeFileSync(join(dir, 'gappy.jsonl'), [...lines.slice(0, 10), dropped, ...lines.slice(15)].join('\n'))
      const r = cli(['inspect', 'gappy.jsonl'])
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/drops \(3 entries lost\)\n\s+seq 10\s+3 entries\s+sink-queue-full\n\s+gap: Entries 11–14 are missing/)
    })

    it('names a gap alone as a gap, and counts the losses whose own reports were lost (as @@end counts them)', () => {
      const lines = readFileSync(good, 'utf8').split('\n').filter(Boolean)
      writeFileSync(join(dir, 'gap-only.jsonl'), [...lines.slice(0, 10), ...lines.slice(15)].join('\n') + '\n')
      const gap = cli(['inspect', 'gap-only.jsonl'])
      expect(gap.stdout).toMatch(/\ngaps\n\s+gap: Entries 10–14 are missing/)
      expect(gap.stdout).not.toContain('drops (')
      // @@end says 7 were dropped in the session; the one @@dropped line left says 3.
      const end = lines.at(-1)!.replace(/"dropped":\d+/, '"dropped":7')
      expect(end).toContain('"dropped":7')
      const dropped = JSON.stringify({ seq: 10, ts: '', t: 0, turn: null, kind: '@@dropped', count: 3, reason: 'http-unreachable' })
      writeFileSync(join(dir, 'unreported.jsonl'), [...lines.slice(0, 10), dropped, ...lines.slice(15, -1), end].join('\n') + '\n')
      const r = cli(['inspect', 'unreported.jsonl'])
      expect(r.stdout).toMatch(/drops \(7 entries lost\)\n\s+seq 10\s+3 entries\s+http-unreachable\n\s+gap: Entries 11–14 are missing[^\n]*\n\s+@@end counts 7 dropped in the session: the reports of 4 of them were lost as well\./)
    })

    it('counts, without listing, action types past 10,000 and turns past 100,000 (bounded memory on any log)', () => {
      const header = JSON.stringify({ kind: '@@session', v: 1, session: 'many', ts: '2026-01-01T00:00:00Z', hash_alg: 'none', meta: {}, from_seq: 1, state: {} })
      const n = 100_005
      const lines = [header]
      for (let i = 1; i <= n; i++) {
        const type = i <= 10_003 ? `type/${i}` : 'type/1'
        lines.push(`{"seq":${i},"ts":"","t":${i / 1000},"turn":"t${i}","kind":${JSON.stringify(type)},"action":{"type":${JSON.stringify(type)}},"hash":null}`)
      }
      writeFileSync(join(dir, 'many.jsonl'), lines.join('\n') + '\n')
      const r = cli(['inspect', 'many.jsonl'])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain(`${n} actions in more than 100000 turns`)
      expect(r.stdout).toContain('actions by type (10000 types)')
      expect(r.stdout).toContain('and 3 actions of other types, past the first 10,000 types (not listed)')
      const json = JSON.parse(cli(['inspect', 'many.jsonl', '--json']).stdout)
      expect(json).toMatchObject({ actions: n, turns: 100_000, capped: { turns: true, types: 3 } })
      expect(json.actionsByType).toHaveLength(10_000)
    }, 60_000)

    it('says a value is nested too deeply for convert and diff, instead of a bare RangeError', () => {
      const header = JSON.stringify({ kind: '@@session', v: 1, session: 's1', ts: '2026-01-01T00:00:00Z', hash_alg: 'fr64', meta: {}, from_seq: 1, state: { n: 0 } })
      const deep = '['.repeat(5000) + ']'.repeat(5000)
      writeFileSync(join(dir, 'deep.jsonl'), `${header}\n{"seq":1,"ts":"","t":0,"turn":"t1","kind":"x","action":{"type":"x","p":${deep}},"hash":null}\n`)
      for (const args of [['convert', 'deep.jsonl', '--to', 'devtools', '-o', 'deep.json', '--force'], ['diff', 'deep.jsonl', 'deep.jsonl']]) {
        const r = cli(args)
        expect(r.code).toBe(2)
        expectOneLine(r, new RegExp(`^flight-recorder: The log holds a value nested too deeply for \`${args[0]}\` to walk \\(it ran out of stack\\)\\.`))
      }
    })

    it("lists an @@error at its own seq, with the entry it was about (the body's seq) beside it", () => {
      const lines = readFileSync(good, 'utf8').trim().split('\n')
      const end = lines.at(-1)!
      const endSeq = JSON.parse(end).seq as number
      const errs = [
        { seq: endSeq, ts: '', t: 5, turn: null, kind: '@@error', body: { source: 'sink', message: 'disk full', seq: null } },
        { seq: endSeq + 1, ts: '', t: 6, turn: null, kind: '@@error', body: { source: 'hash', message: 'cycle', seq: 2 } },
      ].map((e) => JSON.stringify(e))
      const endAfter = end.replace(/"seq":\d+/, `"seq":${endSeq + 2}`)
      writeFileSync(join(dir, 'errors.jsonl'), [...lines.slice(0, -1), ...errs, endAfter].join('\n') + '\n')
      const r = cli(['inspect', 'errors.jsonl'])
      expect(r.stdout).toMatch(new RegExp(`seq ${endSeq}\\s+\\+5 ms\\s+sink: disk full`))
      expect(r.stdout).toMatch(new RegExp(`seq ${endSeq + 1}\\s+\\+6 ms\\s+hash \\(at seq 2\\): cycle`))
      expect(r.stdout).not.toContain('seq null')
    })

    it('gives one clear line for a missing file, a file that is not a log, and a corrupt log', () => {
      expectOneLine(cli(['inspect', 'nope.jsonl']), /^flight-recorder: No such log file: nope\.jsonl$/)
      // A process killed during fileSink's first write leaves only its temporary file: named.
      writeFileSync(join(dir, 'killed.jsonl.4242.tmp'), readFileSync(good, 'utf8').slice(0, 400))
      expectOneLine(cli(['verify', 'killed.jsonl', '--store', TODO_STORE]), /^flight-recorder: No such log file: killed\.jsonl; killed\.jsonl\.4242\.tmp is there: fileSink's first write to it, unfinished/)
      writeFileSync(join(dir, 'notes.txt'), 'hello\nworld\n')
      expectOneLine(cli(['inspect', 'notes.txt']), /^flight-recorder: notes\.txt is not a flight-recorder log: its first line is not JSON\.$/)
      const lines = readFileSync(good, 'utf8').split('\n')
      lines[5] = lines[5].slice(0, 30)
      writeFileSync(join(dir, 'corrupt.jsonl'), lines.join('\n'))
      expectOneLine(cli(['inspect', 'corrupt.jsonl']), /^flight-recorder: corrupt\.jsonl is not a usable flight-recorder log: Line 6 of the recording is not valid: it is not JSON/)
      // Cut inside the header (an interrupted download), plain and compressed: said so, not "not a log".
      const header = readFileSync(good, 'utf8').split('\n')[0]
      writeFileSync(join(dir, 'cut-header.jsonl'), header.slice(0, header.length - 20))
      writeFileSync(join(dir, 'cut-header.jsonl.gz'), gzipSync(header.slice(0, header.length - 20)))
      for (const name of ['cut-header.jsonl', 'cut-header.jsonl.gz']) {
        const cut = new RegExp(`^flight-recorder: ${name.replace(/\./g, '\\.')} is cut short inside its first line, the @@session header \\(the file ends there`)
        expectOneLine(cli(['inspect', name]), cut)
        expectOneLine(cli(['verify', name, '--store', TODO_STORE]), cut)
      }
    })
  })

  describe('verify', () => {
    it('exits 0 when the log replays with every hash checked', () => {
      const r = cli(['verify', 'session.jsonl', '--store', TODO_STORE])
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/^ok {2}session\.jsonl: 81 actions replayed on .*todoStore\.mjs, 81 steps' hashes checked \(fr64\), \d+ full states \(checkpoints, @@end\) compared\n$/)
      expect(r.stderr).toBe('')
    })

    it('notes that a log starting past seq 1 holds none of the session before it (a bounded buffer)', async () => {
      const recorder = createFlightRecorder({ maxEntries: 20 })
      const store = makeStore(recorder)
      for (let i = 0; i < 50; i++) store.dispatch(actionAt(i))
      writeFileSync(join(dir, 'trimmed.jsonl'), recorder.toJSONL())
      await recorder.close()
      const from = parseRecording(readFileSync(join(dir, 'trimmed.jsonl'), 'utf8')).header.from_seq
      expect(from).toBeGreaterThan(1)
      const r = cli(['verify', 'trimmed.jsonl', '--store', TODO_STORE])
      expect(r.code).toBe(0)
      const trimmed = parseRecording(readFileSync(join(dir, 'trimmed.jsonl'), 'utf8')).header.trimmed
      expect(r.stderr.split('\n')).toContain(`note: the log starts at seq ${from}, from the state there: the session's first ${from - 1} entries are not in it (the recorder's bounded buffer had let ${trimmed} entries go).`)
      // A log from seq 1 has no such note.
      expect(cli(['verify', 'session.jsonl', '--store', TODO_STORE]).stderr).not.toContain('the log starts at seq')
    })

    it('exits 1 with the divergence report when the reducer regressed', () => {
      const r = cli(['verify', 'session.jsonl', '--store', TODO_STORE], { env: { BUGGY_TOGGLE: '1' } })
      expect(r.code).toBe(1)
      const first = goodRec.entries.find((e) => e.kind === 'todos/toggled')!
      expect(r.stdout).toMatch(/^FAIL {2}session\.jsonl does not replay on .*todoStore\.mjs\n/)
      expect(r.stdout).toContain(`Replay diverged at seq ${first.seq} (turn ${first.turn}), action 'todos/toggled'`)
      expect(r.stdout).toMatch(/todos\.entities\.t0\.done: true → false/)
      expect(r.stdout).not.toMatch(/^\s+at /m)
    })

    it('gives one clear line for a missing log, a corrupt log, and unusable store modules', () => {
      expectOneLine(cli(['verify', 'nope.jsonl', '--store', TODO_STORE]), /^flight-recorder: No such log file: nope\.jsonl$/)
      expectOneLine(cli(['verify', 'corrupt.jsonl', '--store', TODO_STORE]), /corrupt\.jsonl is not a usable flight-recorder log: Line 6/)
      expectOneLine(cli(['verify', 'session.jsonl']), /`verify` needs --store <module>/)
      expectOneLine(cli(['verify', 'session.jsonl', '--store', 'missing.mjs']), /No such store module: missing\.mjs/)
      writeFileSync(join(dir, 'empty-store.mjs'), 'export const x = 1\n')
      expectOneLine(cli(['verify', 'session.jsonl', '--store', 'empty-store.mjs']), /exports neither `reducer` nor `createStore`/)
      writeFileSync(join(dir, 'number-store.mjs'), 'export const reducer = 5\n')
      expectOneLine(cli(['verify', 'session.jsonl', '--store', 'number-store.mjs']), /^flight-recorder: The store module number-store\.mjs exports `reducer`, but it is number 5, not a function\. Export the root reducer function/)
      writeFileSync(join(dir, 'map-store.mjs'), 'export const reducer = { todos: (s = []) => s }\n')
      expectOneLine(cli(['verify', 'session.jsonl', '--store', 'map-store.mjs']), /exports `reducer`, but it is an object, not a function\. .*combineReducers/)
      writeFileSync(join(dir, 'store.ts'), 'export const reducer = (s: number = 0) => s\n')
      expectOneLine(cli(['verify', 'session.jsonl', '--store', 'store.ts']), /store\.ts is TypeScript.*NODE_OPTIONS="--import tsx"/)
      writeFileSync(join(dir, 'throwing-store.mjs'), "throw new Error('cannot start')\n")
      expectOneLine(cli(['verify', 'session.jsonl', '--store', 'throwing-store.mjs']), /Cannot load the store module throwing-store\.mjs: cannot start/)
      // A root reducer under another name: the one-line re-export, by the name an import uses (.js for .ts).
      writeFileSync(join(dir, 'named-store.mjs'), 'export const rootReducer = (s = 0) => s\n')
      expectOneLine(cli(['verify', 'session.jsonl', '--store', 'named-store.mjs']), /\(it exports `rootReducer`\)\. Re-export it as `reducer`, for instance in a module beside it: export \{ rootReducer as reducer \} from '\.\/named-store\.mjs'$/)
      // Several (acceptance, session 26: `nextReducer`, first in a module's sorted names, was the one named): all of them, rootReducer in the sample.
      writeFileSync(join(dir, 'two-store.mjs'), 'export const rootReducer = (s = 0) => s\nexport const nextReducer = (s = 0) => s + 1\n')
      expectOneLine(cli(['verify', 'session.jsonl', '--store', 'two-store.mjs']), /\(it exports `nextReducer`, `rootReducer`\)\. Re-export the one the log was recorded with as `reducer`, for instance in a module beside it: export \{ rootReducer as reducer \} from '\.\/two-store\.mjs'$/)
      writeFileSync(join(dir, 'named-todos.ts'), 'export const todosReducer = (s: number = 0) => s\n')
      expectOneLine(cli(['verify', 'session.jsonl', '--store', 'named-todos.ts'], { env: { NODE_OPTIONS: `--import ${pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href}` } }), /export \{ todosReducer as reducer \} from '\.\/named-todos\.js'$/)
      // The getting-started layout: a JavaScript store module re-exporting from todos.ts as './todos.js'.
      writeFileSync(join(dir, 'ts-todos.ts'), 'export const rootReducer = (s: number = 0) => s\n')
      writeFileSync(join(dir, 'reexport-store.mjs'), "export { rootReducer as reducer } from './ts-todos.js'\n")
      expectOneLine(cli(['verify', 'session.jsonl', '--store', 'reexport-store.mjs']), /Cannot load the store module reexport-store\.mjs: .*ts-todos\.js.* \(ts-todos\.ts is there: it is TypeScript, .*NODE_OPTIONS="--import tsx" flight-recorder verify …\)$/)
    })

    it('warns when steps could not be checked, and fails on that with --strict', async () => {
      await recordClosed(join(dir, 'nohash.jsonl'), 10, { hash: false })
      const r = cli(['verify', 'nohash.jsonl', '--store', TODO_STORE])
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/10 actions replayed .*, no hashes in the log, NOT fully verified/)
      // Its @@end was compared (acceptance, session 26: "nothing to check against" beside full states compared).
      expect(r.stderr).toMatch(/^warning: not fully verified: the log was recorded with `hash: false`: only its full state was compared, not each step\.$/m)
      expect(cli(['verify', 'nohash.jsonl', '--store', TODO_STORE, '--strict']).code).toBe(1)
    })

    it('says a log hashed with a custom function was checked by its full states only when the store module exports no matching hash', async () => {
      await recordClosed(join(dir, 'sha.jsonl'), 6, { hash: sha256JsonHash })
      const r = cli(['verify', 'sha.jsonl', '--store', TODO_STORE])
      expect(r.code).toBe(0)
      expect(r.stderr).toMatch(/^warning: not fully verified: its steps were not checked, only its full states \(hash 'sha256-json': export a matching `hash` function from the store module\)/m)
      expect(r.stderr).not.toContain('a gap in the log')
    })

    it('marks the ok line of a log with lossy values NOT fully verified, and fails it with --strict', async () => {
      const path = join(dir, 'verify-lossy.jsonl')
      const at = new Date('2026-01-02T03:04:05Z')
      const { recorder } = await record(path, 8, (i, a) => (i === 3 ? ({ ...a, payload: { ...(a.payload as object), at } } as typeof a) : a))
      await recorder.close()
      const r = cli(['verify', 'verify-lossy.jsonl', '--store', TODO_STORE])
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/^ok {2}verify-lossy\.jsonl: 8 actions replayed .*, NOT fully verified \(lossy values\)$/m)
      expect(cli(['verify', 'verify-lossy.jsonl', '--store', TODO_STORE, '--strict']).code).toBe(1)
    })

    it('says a log whose steps carry no hash (shrunk without --baseline) has nothing to check, rather than asking for a hash function', () => {
      const text = readFileSync(good, 'utf8')
      // The header and the first 40 actions (before the first checkpoint), without their hashes.
      const lines = text.split('\n').slice(0, 41)
      writeFileSync(join(dir, 'hashless.jsonl'), [lines[0], ...lines.slice(1).map((l) => l.replace(/"hash":"[0-9a-f]{16}"\}$/, '"hash":null}'))].join('\n') + '\n')
      const r = cli(['verify', 'hashless.jsonl', '--store', TODO_STORE])
      expect(r.code).toBe(0)
      expect(r.stderr).toMatch(/^warning: not fully verified: its steps carry no hashes and it has no full state to compare/m)
      expect(r.stderr).not.toContain('export a matching')
    })

    it('warns that a log with no actions checks nothing, and fails on that with --strict', () => {
      const headerOnly = readFileSync(join(dir, 'session.jsonl'), 'utf8').split('\n')[0] + '\n'
      writeFileSync(join(dir, 'header-only.jsonl'), headerOnly)
      const r = cli(['verify', 'header-only.jsonl', '--store', TODO_STORE])
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/NOT fully verified/)
      expect(r.stderr).toMatch(/^warning: not fully verified: the log has no actions, so it checks nothing about the reducer\./m)
      expect(cli(['verify', 'header-only.jsonl', '--store', TODO_STORE, '--strict']).code).toBe(1)
    })

    it('accepts a createStore export and a default export', () => {
      // --store is relative to the working directory.
      const viaCreateStore = cli(['verify', good, '--store', 'test/fixtures/cli/todoCreateStore.mjs'], { cwd: ROOT })
      expect(viaCreateStore.code, viaCreateStore.stderr).toBe(0)
      expect(viaCreateStore.stdout).toMatch(/81 actions replayed on test\/fixtures\/cli\/todoCreateStore\.mjs/)
      writeFileSync(join(dir, 'default-store.mjs'), `import { reducer } from ${JSON.stringify(TODO_STORE)}\nexport default { reducer }\n`)
      expect(cli(['verify', good, '--store', 'default-store.mjs']).code).toBe(0)
    })

    it('draws a progress bar on a terminal only', async () => {
      const long = join(dir, 'long.jsonl')
      const { recorder } = await record(long, 2500)
      await recorder.close()
      const plain = cli(['verify', 'long.jsonl', '--store', TODO_STORE])
      expect(plain.code).toBe(0)
      expect(plain.stderr).toBe('')
      expect(plain.stdout).not.toMatch(/[\r#%]/)
      const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0
      if (!hasScript) throw new Error('This test needs `script` (util-linux) to run the command on a pseudo-terminal.')
      const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
      const command = [process.execPath, CLI, 'verify', 'long.jsonl', '--store', TODO_STORE].map(quote).join(' ')
      const tty = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
      expect(tty.status).toBe(0)
      expect(tty.stdout).toMatch(/\r\[#+\.*\] +\d+% +\d+ actions? +long\.jsonl/)
      expect(tty.stdout).toMatch(/\r\x1b\[2K/)
      expect(tty.stdout).toMatch(/ok {2}long\.jsonl: 2500 actions replayed/)
    })
  })

  describe('convert', () => {
    it('--to devtools says what reading the log noticed: a last line cut short', () => {
      const text = readFileSync(good, 'utf8')
      writeFileSync(join(dir, 'convert-cut.jsonl'), text.slice(0, text.length - 40))
      const r = cli(['convert', 'convert-cut.jsonl', '--to', 'devtools', '-o', 'cut.json', '--json'])
      expect(r.code).toBe(0)
      expect(r.stderr).toMatch(/^warning: Line \d+ was cut short/m)
      // Every warning printed is in --json's warnings too (the lossy action's as well).
      expect(JSON.parse(r.stdout).warnings).toEqual([expect.stringMatching(/^Line \d+ was cut short/), expect.stringMatching(/^1 action lost values JSON cannot carry/)])
    })

    it('--to devtools says that the DevTools will not reach a state Redux DevTools itself set (a toggle, a jump)', () => {
      const recorder = createFlightRecorder({ devtools: devToolsInstrument() })
      const store = createStore(reducer, compose(instrument() as StoreEnhancer, recorder.enhancer)) as ReturnType<typeof createStore> & { liftedStore: { dispatch(a: unknown): void } }
      for (let i = 0; i < 4; i++) store.dispatch(actionAt(i))
      store.liftedStore.dispatch(ActionCreators.jumpToState(2))
      writeFileSync(join(dir, 'jumped.jsonl'), recorder.toJSONL())
      expect(recorder.snapshot().entries.some((e) => e.kind === '@@lifecycle' && 'state' in e)).toBe(true)
      const r = cli(['convert', 'jumped.jsonl', '--to', 'devtools', '-o', 'jumped.json', '--json'])
      expect(r.code).toBe(0)
      expect(r.stderr).toMatch(/^warning: the log has gaps or state changes without actions \(pause\/resume, drops, Redux DevTools toggles and jumps, a new store\)/m)
      expect(JSON.parse(r.stdout).warnings).toEqual([expect.stringMatching(/state changes without actions/)])
      // A log without one converts without a word.
      writeFileSync(join(dir, 'plain4.jsonl'), (() => {
        const plain = createFlightRecorder()
        const s2 = createStore(reducer, plain.enhancer)
        for (let i = 0; i < 4; i++) s2.dispatch(actionAt(i))
        return plain.toJSONL()
      })())
      expect(JSON.parse(cli(['convert', 'plain4.jsonl', '--to', 'devtools', '-o', 'plain4.json', '--json']).stdout).warnings).toEqual([])
    })

    it('--to devtools writes a file @redux-devtools/instrument imports (IMPORT_STATE) to the same state', () => {
      const r = cli(['convert', 'session.jsonl', '--to', 'devtools', '-o', 'export.json'])
      expect(r.code).toBe(0)
      expect(r.stderr).toMatch(/^warning: 1 action lost values JSON cannot carry/m)
      expect(r.stderr).toMatch(/^wrote export\.json \(81 actions\)$/m)
      const exported = JSON.parse(readFileSync(join(dir, 'export.json'), 'utf8'))
      expect(typeof exported.payload).toBe('string')
      expect(typeof exported.preloadedState).toBe('string')
      const store = createStore(reducer, instrument() as never) as ReturnType<typeof createStore> & { liftedStore: { dispatch(a: unknown): void; getState(): { computedStates: unknown[] } } }
      store.liftedStore.dispatch({ type: 'IMPORT_STATE', nextLiftedState: JSON.parse(exported.payload), preloadedState: JSON.parse(exported.preloadedState) })
      expect(store.liftedStore.getState().computedStates).toHaveLength(82)
      expect(store.getState()).toEqual(goodRec.end!.state)
      // To standard output without -o.
      const out = cli(['convert', 'session.jsonl', '--to', 'devtools'])
      expect(JSON.parse(out.stdout)).toEqual(exported)
    })

    it('--from devtools turns a DevTools lifted state into a log that verifies', () => {
      const store = createStore(reducer, instrument() as never) as ReturnType<typeof createStore> & { liftedStore: { getState(): unknown } }
      for (let i = 0; i < 40; i++) store.dispatch(actionAt(i))
      writeFileSync(join(dir, 'lifted.json'), JSON.stringify({ payload: JSON.stringify(store.liftedStore.getState()) }))
      const r = cli(['convert', 'lifted.json', '--from', 'devtools', '-o', 'from-devtools.jsonl'])
      expect(r.code).toBe(0)
      expect(r.stderr).toBe('wrote from-devtools.jsonl (40 actions, hashed with fr64)\n')
      // What the DevTools showed and the log does not hold is said: an action toggled off, a jump back.
      const lifted = store.liftedStore as unknown as { dispatch(a: unknown): void; getState(): unknown }
      lifted.dispatch(ActionCreators.toggleAction(3))
      lifted.dispatch(ActionCreators.jumpToState(20))
      writeFileSync(join(dir, 'lifted-jumped.json'), JSON.stringify({ payload: JSON.stringify(lifted.getState()) }))
      const j = cli(['convert', 'lifted-jumped.json', '--from', 'devtools', '-o', 'from-jumped.jsonl', '--json'])
      expect(j.code).toBe(0)
      expect(j.stderr).toMatch(/^warning: 1 action was toggled off in the DevTools and is left out/m)
      expect(j.stderr).toMatch(/^warning: The DevTools showed an earlier state \(step 20 of 40, after a jump\)/m)
      expect(JSON.parse(j.stdout).warnings).toHaveLength(2)
      const v = cli(['verify', 'from-devtools.jsonl', '--store', TODO_STORE])
      expect(v.code).toBe(0)
      expect(v.stdout).toMatch(/40 actions replayed .* 40 steps' hashes checked/)
    })

    it('gives one clear line for bad input', () => {
      expectOneLine(cli(['convert', 'nope.jsonl', '--to', 'devtools']), /No such log file: nope\.jsonl/)
      expectOneLine(cli(['convert', 'session.jsonl', '--from', 'devtools']), /session\.jsonl is a flight-recorder log, not a Redux DevTools export: .* convert the other way: flight-recorder convert session\.jsonl --to devtools$/)
      expectOneLine(cli(['convert', 'session.jsonl', '--to', 'csv']), /Unknown format 'csv'/)
      expectOneLine(cli(['convert', 'session.jsonl']), /exactly one of --to devtools or --from devtools/)
    })
  })

  describe('diff', () => {
    it('exits 0 for two recordings of the same session, 1 with the first differing step', async () => {
      const again = join(dir, 'again.jsonl')
      const changed = join(dir, 'changed.jsonl')
      await (await record(again, 40)).recorder.close()
      // Action 19 (i = 18) renames t14 to 'renamed 18'; here to something else.
      await (await record(changed, 40, (i, a) => (i === 18 ? { type: 'todos/renamed', payload: { id: 't14', title: 'something else' } } : a))).recorder.close()
      const original = join(dir, 'original.jsonl')
      await (await record(original, 40)).recorder.close()

      const same = cli(['diff', 'original.jsonl', 'again.jsonl'])
      expect(same.code).toBe(0)
      expect(same.stdout).toMatch(/No difference: the logs agree on all 40 actions' types and the states they led to\.\n/)
      expect(same.stderr).toBe('')
      // Actions that differ to the same effect: no difference in the steps, and said so (not "agree on all actions").
      const sameEffect = join(dir, 'same-effect.jsonl')
      await (await record(sameEffect, 40, (i, a) => (i === 18 ? { ...a, meta: { source: 'another tab' } } : a))).recorder.close()
      const effect = cli(['diff', 'original.jsonl', 'same-effect.jsonl'])
      expect(effect.code).toBe(0)
      expect(effect.stdout).toMatch(/No difference: the logs agree on all 40 actions' types and the states they led to \(1 of them carries other values, to the same effect\)\./)
      // A log whose last line was cut short: what reading it noticed is said, not only "No difference".
      const text = readFileSync(original, 'utf8')
      writeFileSync(join(dir, 'cut.jsonl'), text.slice(0, text.trimEnd().lastIndexOf('\n') + 20))
      const cut = cli(['diff', 'original.jsonl', 'cut.jsonl'])
      expect(cut.stderr).toMatch(/^warning: cut\.jsonl: .*cut short/m)
      expect(JSON.parse(cli(['diff', 'original.jsonl', 'cut.jsonl', '--json']).stdout).b.warnings).toEqual([expect.stringMatching(/cut short/)])

      const r = cli(['diff', 'original.jsonl', 'changed.jsonl', '--store', TODO_STORE])
      expect(r.code).toBe(1)
      expect(r.stdout).toContain('The logs agree on the first 18 actions.')
      expect(r.stdout).toContain('They differ at action 19: the actions differ, and so do the states they led to.')
      expect(r.stdout).toMatch(/a: seq 19 \(turn t19\) \{"type":"todos\/renamed","payload":\{"id":"t14","title":"renamed 18"\}\} → [0-9a-f]{16}\n/)
      expect(r.stdout).toMatch(/b: seq 19 \(turn t19\) \{"type":"todos\/renamed","payload":\{"id":"t14","title":"something else"\}\} → [0-9a-f]{16}\n/)
      expect(r.stdout).toMatch(/payload\.title: "renamed 18" → "something else"/)
      expect(r.stdout).toMatch(/replayed states after this step \(a → b\):\n\s+todos\.entities\.t14\.title: "renamed 18" → "something else"/)

      const shorter = join(dir, 'shorter.jsonl')
      await (await record(shorter, 30)).recorder.close()
      const s = cli(['diff', 'original.jsonl', 'shorter.jsonl'])
      expect(s.code).toBe(1)
      expect(s.stdout).toMatch(/Then b ends; a goes on with 10 more actions, starting at seq 31/)
    })

    it('prints one JSON result with --json whose ok agrees with the exit code', async () => {
      const base = join(dir, 'json-base.jsonl')
      const twin = join(dir, 'json-twin.jsonl')
      const renamed = join(dir, 'json-renamed.jsonl')
      const cut = join(dir, 'json-cut.jsonl')
      await (await record(base, 25)).recorder.close()
      await (await record(twin, 25)).recorder.close()
      await (await record(renamed, 25, (i, a) => (i === 18 ? { type: 'todos/renamed', payload: { id: 't14', title: 'something else' } } : a))).recorder.close()
      await (await record(cut, 20)).recorder.close()

      const same = cli(['diff', 'json-base.jsonl', 'json-twin.jsonl', '--json'])
      expect(same.code).toBe(0)
      expect(JSON.parse(same.stdout)).toMatchObject({ ok: true, exitCode: 0, a: { path: 'json-base.jsonl', actions: 25 }, b: { path: 'json-twin.jsonl', actions: 25 }, agree: 25, difference: null })

      const r = cli(['diff', 'json-base.jsonl', 'json-renamed.jsonl', '--store', TODO_STORE, '--json'])
      expect(r.code).toBe(1)
      expect(r.stdout.trimEnd().split('\n')).toHaveLength(1)
      const d = JSON.parse(r.stdout)
      expect(d).toMatchObject({ ok: false, exitCode: 1, agree: 18 })
      expect(d.difference).toMatchObject({
        at: 'action',
        index: 19,
        reason: 'the actions differ, and so do the states they led to',
        a: { seq: 19, kind: 'todos/renamed', action: { payload: { title: 'renamed 18' } }, hash: expect.stringMatching(/^[0-9a-f]{16}$/) },
        b: { seq: 19, kind: 'todos/renamed', action: { payload: { title: 'something else' } } },
        actionDifferences: [{ path: 'payload.title', a: 'renamed 18', b: 'something else' }],
        replayed: { stateDifferences: [{ path: 'todos.entities.t14.title', a: 'renamed 18', b: 'something else' }] },
      })
      expect(d.difference.a.hash).not.toBe(d.difference.b.hash)

      const s = cli(['diff', 'json-base.jsonl', 'json-cut.jsonl', '--json'])
      expect(s.code).toBe(1)
      expect(JSON.parse(s.stdout)).toMatchObject({ ok: false, exitCode: 1, agree: 20, difference: { at: 'length', longer: 'a', more: 5, next: { seq: 21 } } })

      const missing = cli(['diff', 'json-base.jsonl', 'nope.jsonl', '--json'])
      expect(missing.code).toBe(2)
      expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, exitCode: 2, error: expect.stringContaining('No such log file: nope.jsonl') })
    })

    it('pairs two copies of one session by seq: entries one of them lacks are named, not a difference at every step after', () => {
      const lines = readFileSync(good, 'utf8').split('\n').filter(Boolean)
      // Lines 7–9 are seq 6–8.
      writeFileSync(join(dir, 'diff-gap.jsonl'), [...lines.slice(0, 6), ...lines.slice(9)].join('\n') + '\n')
      const r = cli(['diff', 'session.jsonl', 'diff-gap.jsonl'])
      expect(r.code).toBe(1)
      expect(r.stdout).toContain('so steps are paired by seq. Only a has seq 6–8.')
      expect(r.stdout).toMatch(/The logs agree on the 78 actions both hold and the states they led to; the others are in one log only\./)
      expect(r.stdout).not.toContain('They differ at action')
      const j = JSON.parse(cli(['diff', 'session.jsonl', 'diff-gap.jsonl', '--json']).stdout)
      expect(j).toMatchObject({ ok: false, exitCode: 1, agree: 78, difference: { at: 'missing', onlyA: '6–8', onlyB: '' } })
    })

    it('gives one clear line for a missing file', () => {
      expectOneLine(cli(['diff', 'session.jsonl', 'nope.jsonl']), /No such log file: nope\.jsonl/)
      expectOneLine(cli(['diff', 'session.jsonl']), /^flight-recorder: `diff` takes two log files\. \(see flight-recorder diff --help\)$/)
    })
  })

  describe('scaffold-test', () => {
    /** A project of its own: the log, the store module, and node_modules pointing at this one. */
    function scaffoldProject(log: string): string {
      const project = tempDir('fr-scaffold-')
      mkdirSync(join(project, 'test/sessions'), { recursive: true })
      mkdirSync(join(project, 'src'))
      mkdirSync(join(project, 'node_modules/@reduxjs'), { recursive: true })
      copyFileSync(log, join(project, 'test/sessions/checkout.jsonl'))
      copyFileSync(TODO_STORE, join(project, 'src/store.mjs'))
      symlinkSync(ROOT, join(project, 'node_modules/redux-flight-recorder'))
      for (const dep of ['vitest', 'redux', '@reduxjs/toolkit']) symlinkSync(join(ROOT, 'node_modules', dep), join(project, 'node_modules', dep))
      writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n')
      return project
    }
    const vitestIn = (project: string, env: Record<string, string>) =>
      runNode(join(ROOT, 'node_modules/vitest/vitest.mjs'), ['run', '--root', project, '--reporter', 'verbose'], { cwd: project, env })

    it('writes a Vitest test that passes on the store and fails with the report on a regression', () => {
      const project = scaffoldProject(good)

      const r = cli(['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.mjs'], { cwd: project })
      expect(r.code).toBe(0)
      expect(r.stdout).toBe('wrote test/sessions/checkout.replay.test.js\n')
      const source = readFileSync(join(project, 'test/sessions/checkout.replay.test.js'), 'utf8')
      expect(source).toContain("import { reducer } from '../../src/store.mjs'")
      expect(source).toContain("import { expectReplayFile } from 'redux-flight-recorder/testing'")
      expect(cli(['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.mjs'], { cwd: project }).code).toBe(2)

      const vitest = (env: Record<string, string>) => vitestIn(project, env)
      const pass = vitest({})
      expect(pass.code, pass.stdout + pass.stderr).toBe(0)
      expect(pass.stdout).toMatch(/replays checkout\.jsonl \(81 actions, recorded \d{4}-\d\d-\d\d\)/)
      const fail = vitest({ BUGGY_TOGGLE: '1' })
      expect(fail.code).toBe(1)
      expect(fail.stdout + fail.stderr).toMatch(/Replay diverged at seq \d+ \(turn t\d+\), action 'todos\/toggled'/)
    }, 60_000)

    it("writes a test that finds a log whose name holds '#', '%' or a space (the name is a URL there)", () => {
      const project = scaffoldProject(good)
      renameSync(join(project, 'test/sessions/checkout.jsonl'), join(project, 'test/sessions/bug #12 100%.jsonl'))
      const r = cli(['scaffold-test', 'test/sessions/bug #12 100%.jsonl', '--store', 'src/store.mjs', '-o', 'test/bug.test.js'], { cwd: project })
      expect(r.code, r.stderr).toBe(0)
      expect(readFileSync(join(project, 'test/bug.test.js'), 'utf8')).toContain("new URL('./sessions/bug%20%2312%20100%25.jsonl', import.meta.url)")
      const pass = vitestIn(project, {})
      expect(pass.code, pass.stdout + pass.stderr).toBe(0)
      expect(pass.stdout).toMatch(/1 passed/)
    }, 60_000)

    it('writes a test that accepts what verify accepts, saying why: a log cut short, lossy values', async () => {
      // A session with a Date in an action, whose last line a crash cut short.
      const path = join(tempDir('fr-scaffold-log-'), 'lossy.jsonl')
      const at = new Date('2026-01-02T03:04:05Z')
      const { recorder } = await record(path, 12, (i, a) => (i === 4 ? ({ ...a, payload: { ...(a.payload as object), at } } as typeof a) : a))
      await recorder.flush()
      const text = readFileSync(path, 'utf8')
      writeFileSync(path, text.slice(0, text.lastIndexOf('\n', text.length - 2) + 25))
      expect(cli(['verify', path, '--store', TODO_STORE]).code).toBe(0)

      const project = scaffoldProject(path)
      const r = cli(['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.mjs', '-o', 'test/new/deep/checkout.test.js', '--json'], { cwd: project })
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, accepts: ['allowIncomplete', 'allowLossy'] })
      expect(r.stderr).toContain('note: the log is incomplete, so the test passes `allowIncomplete: true`: Line 13 was cut short')
      expect(r.stderr).toContain('so the test passes `allowLossy` for payload.at.')
      const source = readFileSync(join(project, 'test/new/deep/checkout.test.js'), 'utf8')
      expect(source).toContain("allowIncomplete: true, allowLossy: ['payload.at']")
      expect(source).toContain('// The log is incomplete, so the steps lost there cannot be checked: Line 13 was cut short')
      const pass = vitestIn(project, {})
      expect(pass.code, pass.stdout + pass.stderr).toBe(0)
      const fail = vitestIn(project, { BUGGY_TOGGLE: '1' })
      expect(fail.code).toBe(1)
    }, 60_000)

    it('writes a test that accepts a log without hashes (allowUnverified), saying why, and that passes', async () => {
      const path = join(tempDir('fr-scaffold-nohash-'), 'nohash.jsonl')
      await recordClosed(path, 6, { hash: false })
      const project = scaffoldProject(path)
      const r = cli(['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.mjs', '--json'], { cwd: project })
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, accepts: ['allowUnverified'] })
      expect(r.stderr).toContain('note: the test passes `allowUnverified: true`: The log was recorded with `hash: false`, so its steps carry no hashes')
      const source = readFileSync(join(project, 'test/sessions/checkout.replay.test.js'), 'utf8')
      expect(source).toContain('// The log was recorded with `hash: false`, so its steps carry no hashes: the test checks that the reducer replays it without throwing')
      expect(source).toContain('allowUnverified: true')
      const pass = vitestIn(project, {})
      expect(pass.code, pass.stdout + pass.stderr).toBe(0)
    }, 60_000)

    it('gives a log shrunk without --baseline allowUnverified when scaffolded before the fix, so its test passes once the reducer is fixed (acceptance run, session 36)', () => {
      const project = scaffoldProject(good)
      // Today's reducer throws on renaming a todo; without BROKEN=1 it is the fixed one.
      copyFileSync(TODO_STORE, join(project, 'src/todos.mjs'))
      writeFileSync(
        join(project, 'src/store.mjs'),
        "import { reducer as todos } from './todos.mjs'\n" +
          'export function reducer(state, action) {\n' +
          "  if (process.env.BROKEN === '1' && action.type === 'todos/renamed') throw new TypeError('renaming is broken')\n" +
          '  return todos(state, action)\n' +
          '}\n',
      )
      const broken = { BROKEN: '1' }
      const shrunk = cli(['shrink', 'test/sessions/checkout.jsonl', '--store', 'src/store.mjs', '-o', 'test/sessions/min.jsonl'], { cwd: project, env: broken })
      expect(shrunk.code, shrunk.stderr).toBe(0)
      const min = readFileSync(join(project, 'test/sessions/min.jsonl'), 'utf8')
      expect(JSON.parse(min.split('\n')[0])).toMatchObject({ hash_alg: 'fr64', shrunk: { rehashed: false } })
      expect(min).not.toMatch(/"hash":"[0-9a-f]{16}"\}/)

      // Scaffolded while the reducer is still broken: the log says its steps cannot be checked.
      const r = cli(['scaffold-test', 'test/sessions/min.jsonl', '--store', 'src/store.mjs', '--json'], { cwd: project, env: broken })
      expect(r.code, r.stderr).toBe(0)
      // Fails while the reducer is broken, passes once it is fixed (it failed for good: nothing could be compared).
      const fail = vitestIn(project, broken)
      expect(fail.code, fail.stdout + fail.stderr).toBe(1)
      expect(fail.stdout + fail.stderr).toMatch(/reducer threw: TypeError: renaming is broken/)
      const pass = vitestIn(project, {})
      expect(pass.code, pass.stdout + pass.stderr).toBe(0)
      expect(pass.stdout).toMatch(/1 passed/)

      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, accepts: ['allowUnverified'] })
      expect(r.stderr).toContain('warning: the log does not replay on src/store.mjs today')
      expect(r.stderr).toContain('note: the test passes `allowUnverified: true`: The log was shrunk without `--baseline`')
      const source = readFileSync(join(project, 'test/sessions/min.replay.test.js'), 'utf8')
      expect(source).toContain(
        '  // The log was shrunk without `--baseline`, so it has no state hashes and no full state: the test checks that the reducer replays it without throwing. ' +
          'To check the states too once the reducer is fixed: flight-recorder rehash test/sessions/min.jsonl --store src/store.mjs --in-place (then drop `allowUnverified`).\n',
      )
      expect(source).toContain('await expectReplayFile(log, { reducer, allowUnverified: true })')

      // The comment's command gives the log the fixed reducer's hashes.
      expect(cli(['rehash', 'test/sessions/min.jsonl', '--store', 'src/store.mjs', '--in-place'], { cwd: project }).code).toBe(0)
      const verified = cli(['verify', 'test/sessions/min.jsonl', '--store', 'src/store.mjs'], { cwd: project })
      expect(verified.code).toBe(0)
      expect(verified.stdout).not.toContain('NOT fully verified')
    }, 90_000)

    it('says a log converted from a DevTools export without computed states is one, not that it was recorded with `hash: false` (acceptance run, session 32)', async () => {
      const dir = tempDir('fr-scaffold-converted-')
      const path = join(dir, 'recorded.jsonl')
      await recordClosed(path, 6, {})
      expect(cli(['convert', path, '--to', 'devtools', '-o', join(dir, 'export.json')]).code).toBe(0)
      expect(cli(['convert', join(dir, 'export.json'), '--from', 'devtools', '-o', join(dir, 'back.jsonl')]).code).toBe(0)
      const project = scaffoldProject(join(dir, 'back.jsonl'))
      const r = cli(['scaffold-test', 'test/sessions/checkout.jsonl', '--store', 'src/store.mjs', '--json'], { cwd: project })
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, accepts: ['allowUnverified'] })
      const source = readFileSync(join(project, 'test/sessions/checkout.replay.test.js'), 'utf8')
      expect(source).toContain('// The log was converted from a Redux DevTools export without computed states, so its steps carry no hashes')
      expect(source).not.toContain('hash: false')
    }, 60_000)

    it('refuses a missing log or store with one line', () => {
      expectOneLine(cli(['scaffold-test', 'nope.jsonl', '--store', TODO_STORE]), /No such log file/)
      expectOneLine(cli(['scaffold-test', 'session.jsonl']), /`scaffold-test` needs --store/)
      expect(existsSync(join(dir, 'session.replay.test.js'))).toBe(false)
    })
  })

  it('replays the logs it writes: sanity check of the fixture log itself', () => {
    expect(goodRec.entries.filter(isActionEntry)).toHaveLength(81)
    expect(replay(goodRec, { reducer })).toMatchObject({ ok: true, verified: true })
  })
})
