import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, type Entry, type FlightRecorderOptions } from 'redux-flight-recorder'
import { isActionEntry, parseRecording } from 'redux-flight-recorder/replay'
import { fileSink } from 'redux-flight-recorder/node'
import { actionAt, makeStore } from '../fixtures/cli/todoStore.mjs'
import { CLI, TODO_STORE, requireDist, runNode, tempDir, type Exit } from '../node/helpers'

// The "intended change": the todo store module with BUGGY_TOGGLE=1 no longer toggles.
const CHANGED = { BUGGY_TOGGLE: '1' }
let dir: string

function cli(args: string[], env: Record<string, string> = {}): Exit {
  return runNode(CLI, args, { cwd: dir, env })
}

/** Records `count` actions of the todo app into `name` through fileSink, with a mark and a lifecycle entry, and closes. */
async function record(name: string, count: number, options: Partial<FlightRecorderOptions> = {}): Promise<string> {
  const path = join(dir, name)
  const recorder = createFlightRecorder({ sinks: [fileSink(path, { processLifecycle: false })], meta: { app: 'todo@1' }, checkpointEvery: 25, ...options })
  const store = makeStore(recorder)
  for (let i = 0; i < count; i++) {
    store.dispatch(actionAt(i))
    if (i === 10) recorder.mark('half way', { n: i })
    if (i === 20) recorder.lifecycle('custom-event', { detail: 'kept' })
  }
  await recorder.close()
  return path
}

/** A log's lines without what rehashing recomputes (hashes, full states, subtree hashes). */
function rest(path: string): unknown[] {
  return restOf(readFileSync(path, 'utf8'))
}

function restOf(text: string): unknown[] {
  const rec = parseRecording(text, { strict: true })
  const strip = (e: Entry | NonNullable<typeof rec.end>) => {
    const { hash: _h, state: _s, changed: _c, ...kept } = e as Record<string, unknown>
    return kept
  }
  return [rec.header, ...rec.entries.map(strip), ...(rec.end ? [strip(rec.end)] : [])]
}

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-rehash-')
}, 60_000)

describe('flight-recorder rehash', () => {
  it('rewrites the hashes and full states for the changed reducer, keeping every other field; verify then passes on it', async () => {
    const log = await record('session.jsonl', 80)
    const fail = cli(['verify', 'session.jsonl', '--store', TODO_STORE], CHANGED)
    expect(fail.code).toBe(1)
    expect(fail.stdout).toContain(`if the reducer changed on purpose, update the log: flight-recorder rehash session.jsonl --store ${TODO_STORE} --in-place, or run the tests with -u`)

    const r = cli(['rehash', 'session.jsonl', '--store', TODO_STORE, '-o', 'updated.jsonl'], CHANGED)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const toggles = parseRecording(readFileSync(log, 'utf8')).entries.filter((e) => e.kind === 'todos/toggled')
    const m = /^rehashed session\.jsonl: (\d+) of 80 steps changed on .*todoStore\.mjs, the first at seq (\d+) \(todos\/toggled\); (\d+) full states \(checkpoints, @@end\) changed\nwritten to updated\.jsonl\n$/.exec(r.stdout)
    expect(m, r.stdout).not.toBeNull()
    expect(Number(m![2])).toBe(toggles[0].seq)
    expect(Number(m![1])).toBeGreaterThan(1)
    expect(Number(m![3])).toBeGreaterThan(1)

    expect(cli(['verify', 'updated.jsonl', '--store', TODO_STORE, '--strict'], CHANGED).code).toBe(0)
    expect(cli(['verify', 'updated.jsonl', '--store', TODO_STORE]).code).toBe(1)
    expect(rest(join(dir, 'updated.jsonl'))).toEqual(rest(log))
    const updated = parseRecording(readFileSync(join(dir, 'updated.jsonl'), 'utf8'), { strict: true })
    expect(updated.entries.filter((e) => e.kind === '@@checkpoint')).toHaveLength(3)
    expect(updated.end?.hash).not.toBe(parseRecording(readFileSync(log, 'utf8')).end?.hash)
  })

  it('replaces the log only with --in-place, atomically, and leaves it alone when nothing changed', async () => {
    const log = await record('inplace.jsonl', 40)
    const before = readFileSync(log, 'utf8')
    const none = cli(['rehash', 'inplace.jsonl', '--store', TODO_STORE], CHANGED)
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/^flight-recorder: `rehash` needs -o <file> for the updated log, or --in-place to replace inplace\.jsonl\. \(see flight-recorder rehash --help\)\n$/)
    const self = cli(['rehash', 'inplace.jsonl', '--store', TODO_STORE, '-o', 'inplace.jsonl'], CHANGED)
    expect(self.code).toBe(2)
    expect(self.stderr).toContain('-o names the log itself: pass --in-place to replace it.')
    writeFileSync(join(dir, 'taken.jsonl'), 'mine\n')
    expect(cli(['rehash', 'inplace.jsonl', '--store', TODO_STORE, '-o', 'taken.jsonl'], CHANGED).stderr).toContain('taken.jsonl exists; pass --force to overwrite it.')
    expect(readFileSync(join(dir, 'taken.jsonl'), 'utf8')).toBe('mine\n')
    expect(readFileSync(log, 'utf8')).toBe(before)

    const mtime = statSync(log).mtimeMs
    const same = cli(['rehash', 'inplace.jsonl', '--store', TODO_STORE, '--in-place'])
    expect(same.code).toBe(0)
    expect(same.stdout).toMatch(/^rehashed inplace\.jsonl: nothing changed: every hash and full state is the same on .*\ninplace\.jsonl left as it was\n$/)
    expect(statSync(log).mtimeMs).toBe(mtime)

    const r = cli(['rehash', 'inplace.jsonl', '--store', TODO_STORE, '--in-place'], CHANGED)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/\nwritten to inplace\.jsonl \(in place\)\n$/)
    expect(readFileSync(log, 'utf8')).not.toBe(before)
    expect(cli(['verify', 'inplace.jsonl', '--store', TODO_STORE], CHANGED).code).toBe(0)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('keeps a gzip log gzip: rehash --in-place and -o x.gz write it compressed, and -o to a plain name does not', async () => {
    const plain = await record('packed.jsonl', 40)
    const gz = join(dir, 'packed.jsonl.gz')
    writeFileSync(gz, gzipSync(readFileSync(plain)))
    const r = cli(['rehash', 'packed.jsonl.gz', '--store', TODO_STORE, '--in-place'], CHANGED)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const bytes = readFileSync(gz)
    expect([...bytes.subarray(0, 2)]).toEqual([0x1f, 0x8b])
    expect(restOf(gunzipSync(bytes).toString("utf8"))).toEqual(rest(plain))
    expect(cli(['verify', 'packed.jsonl.gz', '--store', TODO_STORE], CHANGED).code).toBe(0)
    // -o to a .gz name compresses; to a plain name does not.
    expect(cli(['rehash', 'packed.jsonl', '--store', TODO_STORE, '-o', 'out.jsonl.gz'], CHANGED).code).toBe(0)
    expect([...readFileSync(join(dir, 'out.jsonl.gz')).subarray(0, 2)]).toEqual([0x1f, 0x8b])
    expect(cli(['rehash', 'packed.jsonl.gz', '--store', TODO_STORE, '-o', 'out.jsonl'], {}).code).toBe(0)
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toMatch(/^\{"kind":"@@session"/)
  })

  it('prints the result as JSON', async () => {
    await record('json.jsonl', 30)
    const r = cli(['rehash', 'json.jsonl', '--store', TODO_STORE, '-o', 'json-out.jsonl', '--json'], CHANGED)
    expect(r.code).toBe(0)
    const j = JSON.parse(r.stdout)
    expect(j).toMatchObject({ ok: true, exitCode: 0, file: 'json.jsonl', output: 'json-out.jsonl', steps: 30, written: true, warnings: [] })
    expect(j.changed).toBeGreaterThan(0)
    expect(j.first).toMatchObject({ kind: 'todos/toggled' })
  })

  it('refuses a log with entries missing, and writes nothing', async () => {
    const log = await record('gap.jsonl', 40)
    const lines = readFileSync(log, 'utf8').split('\n')
    writeFileSync(join(dir, 'gap-cut.jsonl'), [...lines.slice(0, 5), ...lines.slice(8)].join('\n'))
    const r = cli(['rehash', 'gap-cut.jsonl', '--store', TODO_STORE, '-o', 'gap-out.jsonl'], CHANGED)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^flight-recorder: Cannot rehash gap-cut\.jsonl: The log is incomplete, so it cannot be rehashed: after the entries lost, replay restarts from a state the old reducer recorded\. .*Entries 5–7 are missing/)
    expect(readdirSync(dir)).not.toContain('gap-out.jsonl')
  })

  it('refuses a log whose last line is cut short, saying what is lost there: nothing follows it to restart from (acceptance, session 39)', async () => {
    const log = await record('cut.jsonl', 40)
    // The recorder stopped mid-line: no @@end, the last action line half written.
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n').slice(0, -1)
    const last = lines.pop()!
    writeFileSync(join(dir, 'cut-last.jsonl'), [...lines, last.slice(0, 40)].join('\n'))
    const r = cli(['rehash', 'cut-last.jsonl', '--store', TODO_STORE, '-o', 'cut-out.jsonl'], CHANGED)
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      `flight-recorder: Cannot rehash cut-last.jsonl: The log is incomplete, so it cannot be rehashed: its last line was left out (nothing follows it), and the rewritten log would not show that an entry was lost there. To update the log without that line, delete it first. Line ${lines.length + 1} was cut short (the writer stopped mid-line); it was left out.\n`,
    )
    expect(readdirSync(dir)).not.toContain('cut-out.jsonl')
  })

  it('exits 1 with the report when the reducer throws, and writes nothing', async () => {
    await record('throws.jsonl', 30)
    writeFileSync(
      join(dir, 'throwing.mjs'),
      `import { reducer as base } from ${JSON.stringify(TODO_STORE)}\n` +
        `export const reducer = (state, action) => { if (action.type === 'todos/renamed') throw new TypeError('no renames'); return base(state, action) }\n`,
    )
    const r = cli(['rehash', 'throws.jsonl', '--store', 'throwing.mjs', '-o', 'throws-out.jsonl'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^FAIL {2}throws\.jsonl does not replay on throwing\.mjs, so it was not rehashed\nReplay diverged at seq \d+ .*action 'todos\/renamed': the reducer threw\./)
    expect(r.stdout).toContain('TypeError: no renames')
    expect(readdirSync(dir)).not.toContain('throws-out.jsonl')
  })

  it('keeps the redaction and says the reducer saw the placeholder', async () => {
    const log = await record('redacted.jsonl', 30, { redact: { actions: ['payload.title'] } })
    const r = cli(['rehash', 'redacted.jsonl', '--store', TODO_STORE, '-o', 'redacted-out.jsonl'], CHANGED)
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('warning: The log is redacted (action.payload.title): the reducer received "[redacted]" in place of those values')
    const out = parseRecording(readFileSync(join(dir, 'redacted-out.jsonl'), 'utf8'))
    expect(out.header.redact).toEqual({ actions: ['payload.title'], state: [] })
    expect(out.entries.filter(isActionEntry).find((e) => e.kind === 'todos/added')?.action).toMatchObject({ payload: { title: '[redacted]' } })
    expect(rest(join(dir, 'redacted-out.jsonl'))).toEqual(rest(log))
    expect(cli(['verify', 'redacted-out.jsonl', '--store', TODO_STORE], CHANGED).code).toBe(0)
  })
})
