import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { beforeAll, describe, expect, it } from 'vitest'
import { added, makeStore, renamed, syncTodos, toggled } from '../helpers/todoApp'
import { CLI, TODO_STORE, requireDist, runNode, tempDir } from '../node/helpers'

// Defects found by a user acceptance run on the packed package (session 27): a .gz log cut off
// blamed on the recorder, `convert` in the wrong direction, two sessions in one file, `diff
// --ignore` dropping the default, the rehash line's placeholders, a shrunk log taken for an
// unclosed recording.

let dir: string
const cli = (args: string[], env: Record<string, string> = {}) => runNode(CLI, args, { cwd: dir, env })

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-polish27-')
})

async function record(name: string, options: { hash?: false; meta?: (i: number) => Record<string, unknown>; thunk?: true } = {}): Promise<string> {
  const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, name), { processLifecycle: false })], ...(options.hash === false ? { hash: false } : {}) })
  const store = makeStore(recorder)
  for (let i = 0; i < 40; i++) {
    const action = added({ id: `t${i}`, title: `todo ${i} ${'x'.repeat(40)}`, done: false })
    store.dispatch(options.meta ? { ...action, meta: options.meta(i) } : action)
    if (i % 4 === 3) store.dispatch(toggled(`t${i - 1}`))
    if (i % 10 === 9) store.dispatch(renamed({ id: `t${i}`, title: `renamed ${i}` }))
  }
  // A thunk's actions carry a random meta.requestId (test/fixtures/cli/todoStore.mjs has no reducer for them).
  if (options.thunk) await store.dispatch(syncTodos(2))
  await recorder.close()
  return name
}

describe('a .gz log cut off (a truncated download)', () => {
  it('is said to be cut off itself, not blamed on the recorder, and what it holds is still read', async () => {
    await record('whole.jsonl')
    const gz = gzipSync(readFileSync(join(dir, 'whole.jsonl')))
    writeFileSync(join(dir, 'whole.jsonl.gz'), gz)
    writeFileSync(join(dir, 'cut.jsonl.gz'), gz.subarray(0, Math.floor(gz.length / 2)))

    const verified = cli(['verify', 'cut.jsonl.gz', '--store', TODO_STORE])
    expect(verified.code).toBe(0)
    expect(verified.stdout).toMatch(/^ok {2}cut\.jsonl\.gz: \d+ actions replayed/)
    expect(verified.stderr).toMatch(/^warning: Line \d+ was cut short: cut\.jsonl\.gz itself is cut off \(its compressed data ends early: a truncated \.gz, e\.g\. an interrupted download\), not the recording; it was left out\.$/m)
    expect(verified.stderr).toMatch(/^note: cut\.jsonl\.gz is cut off: its compressed data ends early \(a truncated \.gz file, e\.g\. an interrupted download or copy\), so the log ends without @@end; what could be read \(up to seq \d+\) was read/m)
    expect(verified.stderr).not.toMatch(/not closed|writer stopped/)

    const inspected = cli(['inspect', 'cut.jsonl.gz'])
    expect(inspected.code).toBe(0)
    expect(inspected.stdout).toMatch(/ended\s+without @@end: the \.gz file is cut off \(its compressed data ends early: a truncated file, e\.g\. an interrupted download\), not the recorder/)
    expect(inspected.stdout).not.toMatch(/not closed|writer stopped/)
    expect(JSON.parse(cli(['inspect', 'cut.jsonl.gz', '--json']).stdout)).toMatchObject({ ended: { clean: false, why: 'gzip-cut-off' } })

    // The whole .gz reads as before: no note at all.
    const whole = cli(['verify', 'whole.jsonl.gz', '--store', TODO_STORE])
    expect(whole.code).toBe(0)
    expect(whole.stderr).toBe('')
  })
})

describe('convert in the wrong direction', () => {
  it('suggests the command for the other direction', async () => {
    await record('conv.jsonl')
    expect(cli(['convert', 'conv.jsonl', '--to', 'devtools', '-o', 'conv.devtools.json']).code).toBe(0)

    const again = cli(['convert', 'conv.devtools.json', '--to', 'devtools'])
    expect(again.code).toBe(2)
    expect(again.stderr).toBe(
      'flight-recorder: conv.devtools.json is a Redux DevTools export already, not a flight-recorder log: to turn it into a log, convert the other way: flight-recorder convert conv.devtools.json --from devtools\n',
    )
    const back = cli(['convert', 'conv.jsonl', '--from', 'devtools', '-o', 'back.jsonl'])
    expect(back.code).toBe(2)
    // (The output named for the other direction's file: a DevTools export is .json, a log .jsonl.)
    expect(back.stderr).toBe(
      'flight-recorder: conv.jsonl is a flight-recorder log, not a Redux DevTools export: to write the DevTools Import file for it, convert the other way: flight-recorder convert conv.jsonl --to devtools -o back.json\n',
    )
    expect(cli(['convert', 'conv.devtools.json', '--to', 'devtools', '-o', 'log.json']).stderr).toMatch(/convert the other way: flight-recorder convert conv\.devtools\.json --from devtools -o log\.jsonl\n$/)
    expect(cli(['convert', 'conv.jsonl', '--from', 'devtools', '-o', 'out.jsonl.gz']).stderr).toMatch(/--to devtools -o out\.json\.gz\n$/)
    // The suggested commands work.
    expect(cli(['convert', 'conv.devtools.json', '--from', 'devtools', '-o', 'back.jsonl']).code).toBe(0)
  })
})

describe('two sessions in one file', () => {
  it('says where the second begins and whose header it is', async () => {
    await record('first.jsonl')
    await record('second.jsonl')
    const first = readFileSync(join(dir, 'first.jsonl'), 'utf8')
    const second = readFileSync(join(dir, 'second.jsonl'), 'utf8')
    writeFileSync(join(dir, 'both.jsonl'), first + second)
    const at = first.split('\n').length // the first's lines, plus one
    const session = (JSON.parse(second.split('\n')[0]) as { session: string }).session
    const said = `a second session begins at line ${at} (the header of session ${session}); split the file there (head -n ${at - 1} and tail -n +${at})`
    for (const args of [['verify', 'both.jsonl', '--store', TODO_STORE], ['inspect', 'both.jsonl'], ['diff', 'both.jsonl', 'first.jsonl']]) {
      const r = cli(args)
      expect(r.code, args[0]).toBe(2)
      expect(r.stderr, args[0]).toContain(said)
    }
  })
})

describe('diff --ignore', () => {
  it('adds to the default ignore of meta.requestId; --no-default-ignore drops it', async () => {
    // Without hashes diff compares the actions; each session's thunk has a random meta.requestId,
    // and every `added` carries a per-run meta.clientTime.
    await record('ia.jsonl', { hash: false, thunk: true, meta: (i) => ({ clientTime: 1000 + i }) })
    await record('ib.jsonl', { hash: false, thunk: true, meta: (i) => ({ clientTime: 2000 + i }) })
    expect(cli(['diff', 'ia.jsonl', 'ib.jsonl']).stdout).toMatch(/differ at action 1: the actions differ\.\n[^]*meta\.clientTime: 1000 → 2000/)

    const ignored = cli(['diff', 'ia.jsonl', 'ib.jsonl', '--ignore', 'meta.clientTime'])
    expect(ignored.stdout).toMatch(/No difference: the logs agree on all \d+ actions\./)
    expect(ignored.code).toBe(0)

    const strict = cli(['diff', 'ia.jsonl', 'ib.jsonl', '--ignore', 'meta.clientTime', '--no-default-ignore'])
    expect(strict.code).toBe(1)
    expect(strict.stdout).toMatch(/the actions differ\.\n {2}a: seq \d+ \(turn t\d+\) \{"type":"todos\/sync\/pending"[^]*meta\.requestId: /)
  })
})

describe("verify's divergence report", () => {
  it('names the log and the store module in its rehash line', async () => {
    await record('toggle.jsonl')
    const r = cli(['verify', 'toggle.jsonl', '--store', TODO_STORE], { BUGGY_TOGGLE: '1' })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`  if the reducer changed on purpose, update the log: flight-recorder rehash toggle.jsonl --store ${TODO_STORE} --in-place, or run the tests with -u\n`)
    expect(r.stdout).not.toContain('<log>')
    expect(JSON.parse(cli(['verify', 'toggle.jsonl', '--store', TODO_STORE, '--json'], { BUGGY_TOGGLE: '1' }).stdout).report).toContain(
      `flight-recorder rehash toggle.jsonl --store ${TODO_STORE} --in-place`,
    )
  })
})

describe('a log written by shrink without --baseline', () => {
  it('is not taken for a recording whose recorder was not closed', async () => {
    await record('big.jsonl')
    writeFileSync(
      join(dir, 'throwing.mjs'),
      `import { reducer as base } from ${JSON.stringify(pathToFileURL(TODO_STORE).href)}\n` +
        `export function reducer(state, action) {\n  if (action.type === 'todos/renamed') throw new Error('boom')\n  return base(state, action)\n}\n`,
    )
    const shrunk = cli(['shrink', 'big.jsonl', '--store', 'throwing.mjs'])
    expect(shrunk.code).toBe(0)
    expect(readFileSync(join(dir, 'big.min.jsonl'), 'utf8')).not.toContain('"@@end"')

    const verified = cli(['verify', 'big.min.jsonl', '--store', TODO_STORE])
    expect(verified.code).toBe(0)
    expect(verified.stderr).not.toMatch(/not closed|may be incomplete|note:/)
    const inspected = cli(['inspect', 'big.min.jsonl'])
    expect(inspected.stdout).toMatch(/ended\s+without @@end, as `shrink` writes a log when not given --baseline \(it ends at its last kept action, todos\/renamed; with --baseline, shrink ends the log with @@end\)/)
    expect(inspected.stdout).not.toMatch(/not closed/)
    // A recording cut the same way (no `shrunk` in its header) keeps the note.
    const lines = readFileSync(join(dir, 'big.jsonl'), 'utf8').split('\n')
    writeFileSync(join(dir, 'open.jsonl'), lines.slice(0, 10).join('\n') + '\n')
    expect(cli(['verify', 'open.jsonl', '--store', TODO_STORE]).stderr).toMatch(/note: The log ends without @@end, so it may be incomplete: the recorder was not closed/)
  })

  it('a log shrunk with --baseline ends with @@end: a copy that lost it is said to, as any log', async () => {
    await record('base.jsonl')
    writeFileSync(
      join(dir, 'renameBug.mjs'),
      `import { reducer as base } from ${JSON.stringify(pathToFileURL(TODO_STORE).href)}\n` +
        `export function reducer(state, action) {\n  if (action.type === 'todos/renamed') throw new Error('boom')\n  return base(state, action)\n}\n`,
    )
    const shrunk = cli(['shrink', 'base.jsonl', '--store', 'renameBug.mjs', '--baseline', TODO_STORE, '-o', 'base.min.jsonl'])
    expect(shrunk.code, shrunk.stderr).toBe(0)
    const lines = readFileSync(join(dir, 'base.min.jsonl'), 'utf8').trimEnd().split('\n')
    expect(JSON.parse(lines.at(-1)!).kind).toBe('@@end')
    writeFileSync(join(dir, 'base.min.cut.jsonl'), lines.slice(0, -1).join('\n') + '\n')
    const inspected = JSON.parse(cli(['inspect', 'base.min.cut.jsonl', '--json']).stdout) as { ended: { clean: boolean; why?: string } }
    expect(inspected.ended.clean).toBe(false)
    expect(inspected.ended.why).toBeUndefined()
    expect(cli(['inspect', 'base.min.cut.jsonl']).stdout).not.toContain('as `shrink` writes a log when not given --baseline')
    expect(cli(['verify', 'base.min.cut.jsonl', '--store', TODO_STORE]).stderr).toMatch(/note: The log ends without @@end, so it may be incomplete/)
  })
})
