import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createFlightRecorder } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { fileSink } from 'redux-flight-recorder/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/run'
import { formatMs } from '../../src/cli/util'
import { makeReducer, makeStore, shopSession } from './fixtures/shop.mjs'

// The built bin, spawned as a user runs it: `npm run build` first (npm test does).
const root = resolve(__dirname, '../..')
const cli = join(root, 'dist/cli.js')
const fixtures = join(root, 'test/shrink/fixtures')
const store = (bug: string) => join(fixtures, `shop-${bug}.mjs`)
let dir: string
let log: string

const built = ['dist/cli.js', 'dist/index.js', 'dist/node.js'].map((f) => join(root, f))

/** Waits (synchronously, a minute at most) while a build running at the same moment refills dist/ (tsup empties it first). */
function awaitDist(): void {
  const wait = new Int32Array(new SharedArrayBuffer(4))
  for (let waited = 0; !built.every((f) => existsSync(f)); waited += 250) {
    if (waited >= 60_000) throw new Error('dist/ is missing: run `npm run build` first (npm test does).')
    Atomics.wait(wait, 0, 0, 250)
  }
}

async function requireBuiltShrink(): Promise<void> {
  awaitDist()
  if (!readFileSync(cli, 'utf8').includes('Shrinks a log that fails')) {
    throw new Error('dist/cli.js has no `shrink` command: it was built before it; run `npm run build`.')
  }
}

function flightRecorder(...args: string[]) {
  awaitDist()
  const out = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } })
  return { code: out.status, stdout: out.stdout, stderr: out.stderr }
}

/** The action type a `verify` FAIL report names. */
function failingType(text: string): string | undefined {
  return /^Replay diverged at seq \d+(?: \(turn [^)]*\))?, action '([^']+)'/m.exec(text)?.[1]
}

beforeAll(async () => {
  await requireBuiltShrink()
  dir = mkdtempSync(join(tmpdir(), 'rfr-shrink-cli-'))
  log = join(dir, 'session.jsonl')
  // A real session written by the file sink.
  const recorder = createFlightRecorder({ sinks: [fileSink(log)], meta: { app: 'shop@2.0.0' } })
  const s = makeStore(recorder)
  await shopSession(s, { actions: 3000, seed: 11 })
  await recorder.close()
}, 90_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('flight-recorder shrink', () => {
  it('shrinks a gzip log as it is, writing <name>.min.jsonl beside it (not <name>.jsonl.min.jsonl)', () => {
    writeFileSync(join(dir, 'packed.jsonl.gz'), gzipSync(readFileSync(log)))
    const shrunk = flightRecorder('shrink', 'packed.jsonl.gz', '--store', store('crash'), '--json')
    expect(JSON.parse(shrunk.stdout), shrunk.stderr).toMatchObject({ ok: true, output: 'packed.min.jsonl' })
    const min = parseRecording(readFileSync(join(dir, 'packed.min.jsonl'), 'utf8'))
    expect(min.entries.filter(isActionEntry).length).toBeLessThan(10)
  })

  it('shrinks a crashing log end to end; verify reports the shrunk log failing at the same action type', () => {
    const before = flightRecorder('verify', 'session.jsonl', '--store', store('crash'))
    expect(before.code).toBe(1)
    expect(failingType(before.stdout)).toBe('cart/cleared')

    const shrunk = flightRecorder('shrink', 'session.jsonl', '--store', store('crash'), '-o', 'min.jsonl')
    expect(shrunk.stderr).toBe('')
    expect(shrunk.code).toBe(0)
    const from = parseRecording(readFileSync(log, 'utf8'), { strict: false }).entries.filter(isActionEntry).length
    const m = /^shrunk session\.jsonl from (\d+) to (\d+) actions? in (\d+) replays \(budget 1000\): min\.jsonl$/m.exec(shrunk.stdout)
    expect(m, shrunk.stdout).not.toBeNull()
    expect(Number(m![1])).toBe(from)
    expect(Number(m![2])).toBeLessThanOrEqual(3)
    expect(Number(m![3])).toBeLessThanOrEqual(1000)
    // The error kept is named with its message (acceptance run 141: a crash with another message is another crash).
    expect(shrunk.stdout).toContain("it fails like the original: reducer-threw at cart/cleared (TypeError: Cannot read properties of undefined (reading 'sku'))\n")

    const min = parseRecording(readFileSync(join(dir, 'min.jsonl'), 'utf8'))
    expect(min.entries.filter(isActionEntry).length).toBe(Number(m![2]))
    const after = flightRecorder('verify', 'min.jsonl', '--store', store('crash'))
    expect(after.code).toBe(1)
    expect(after.stdout).toContain('FAIL  min.jsonl')
    expect(failingType(after.stdout)).toBe(failingType(before.stdout))
    expect(after.stdout).toMatch(/reducer threw: +TypeError/)
  })

  it('shrinks a divergence with --baseline: the shrunk log fails verify on the regression and passes on the baseline', () => {
    const before = flightRecorder('verify', 'session.jsonl', '--store', store('regression'))
    expect(before.code).toBe(1)
    expect(failingType(before.stdout)).toBe('cart/couponApplied')

    const shrunk = flightRecorder('shrink', 'session.jsonl', '--store', store('regression'), '--baseline', store('none'), '-o', 'regression.min.jsonl')
    expect(shrunk.code).toBe(0)
    expect(shrunk.stdout).toMatch(/to [123] actions? in \d+ replays/)
    expect(shrunk.stdout).toContain('hashes recomputed with')
    // The report's rehash line names the shrunk log and the store, ready to copy, as verify's does (acceptance run, session 36).
    expect(shrunk.stdout).toMatch(/^ {2}if the reducer changed on purpose, update the log: flight-recorder rehash regression\.min\.jsonl --store \S*shop-regression\.mjs --in-place/m)
    expect(shrunk.stdout).not.toContain('<log>')

    const after = flightRecorder('verify', 'regression.min.jsonl', '--store', store('regression'))
    expect(after.code).toBe(1)
    expect(failingType(after.stdout)).toBe('cart/couponApplied')
    expect(after.stdout).toContain('cart.coupon.label')
    const fixed = flightRecorder('verify', 'regression.min.jsonl', '--store', store('none'))
    expect(fixed.code).toBe(0)
    expect(fixed.stdout).toMatch(/^ok {2}regression\.min\.jsonl: [123] actions? replayed/)
  })

  it('exits 2 for a divergence without --baseline, naming the option, and 1 when the log does not fail', () => {
    const noBaseline = flightRecorder('shrink', 'session.jsonl', '--store', store('regression'))
    expect(noBaseline.code).toBe(2)
    expect(noBaseline.stderr).toContain('--baseline <module>')
    expect(existsSync(join(dir, 'session.min.jsonl'))).toBe(false)

    const clean = flightRecorder('shrink', 'session.jsonl', '--store', store('none'))
    expect(clean.code).toBe(1)
    expect(clean.stdout).toContain('nothing to shrink')
    expect(existsSync(join(dir, 'session.min.jsonl'))).toBe(false)
  })

  it('draws a progress bar on a terminal, writes next to the log by default, and lists the kept actions', async () => {
    const err: string[] = []
    const out: string[] = []
    const code = await run(['shrink', log, '--store', store('crash'), '--max-replays', '40'], {
      out: (t) => void out.push(t),
      err: (t) => void err.push(t),
      tty: true,
      columns: 120,
      cwd: dir,
    })
    expect(code).toBe(0)
    expect(err.join('')).toMatch(/\r\[[#.]+\] \d+ → \d+ actions? {2}\d+\/40 replays/)
    expect(err.join('')).toContain('\r\x1b[2K')
    const written = join(dir, 'session.min.jsonl')
    expect(existsSync(written)).toBe(true)
    const kept = parseRecording(readFileSync(written, 'utf8')).entries.filter(isActionEntry)
    for (const e of kept) expect(out.join('')).toContain(`seq ${e.seq} (was ${e.orig_seq})`)
    expect(replay(readFileSync(written, 'utf8'), { reducer: makeReducer({ bug: 'crash' }) }).divergence?.kind).toBe('cart/cleared')
  })

  it('prints one JSON result with --json whose ok agrees with the exit code', async () => {
    const io = () => {
      const out: string[] = []
      const err: string[] = []
      return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), tty: false, columns: 80, cwd: dir } }
    }
    const shrunk = io()
    const code = await run(['shrink', log, '--store', store('crash'), '--max-replays', '60', '-o', 'json.min.jsonl', '--json'], shrunk.io)
    expect(code).toBe(0)
    expect(shrunk.err.join('')).toBe('')
    const result = JSON.parse(shrunk.out.join(''))
    const written = parseRecording(readFileSync(join(dir, 'json.min.jsonl'), 'utf8')).entries.filter(isActionEntry)
    expect(result).toMatchObject({ ok: true, exitCode: 0, file: 'session.jsonl', output: 'json.min.jsonl', to: written.length, maxReplays: 60 })
    expect(result.failure).toEqual({ reason: 'reducer-threw', kind: 'cart/cleared', errorName: 'TypeError', errorMessage: "Cannot read properties of undefined (reading 'sku')" })
    expect(result.kept).toEqual(written.map((e) => ({ seq: e.seq, origSeq: e.orig_seq, kind: e.kind })))
    expect(result.from).toBe(parseRecording(readFileSync(log, 'utf8'), { strict: false }).entries.filter(isActionEntry).length)
    expect(result.report).toMatch(/cart\/cleared/)

    // With -o -, the log travels inside the one JSON result.
    const piped = io()
    expect(await run(['shrink', log, '--store', store('crash'), '--max-replays', '60', '-o', '-', '--json'], piped.io)).toBe(0)
    const inline = JSON.parse(piped.out.join(''))
    expect(inline).toMatchObject({ ok: true, output: '-' })
    expect(replay(inline.log, { reducer: makeReducer({ bug: 'crash' }) }).divergence?.kind).toBe('cart/cleared')

    const clean = io()
    expect(await run(['shrink', log, '--store', store('none'), '-o', 'never.jsonl', '--json'], clean.io)).toBe(1)
    expect(JSON.parse(clean.out.join(''))).toMatchObject({ ok: false, exitCode: 1, nothingToShrink: true, message: expect.stringContaining('nothing to shrink') })
    expect(existsSync(join(dir, 'never.jsonl'))).toBe(false)

    const noBaseline = io()
    // (Its own -o: the default, session.min.jsonl, exists from an earlier test, and shrink does not write over it.)
    expect(await run(['shrink', log, '--store', store('regression'), '-o', 'no-baseline.jsonl', '--json'], noBaseline.io)).toBe(2)
    expect(JSON.parse(noBaseline.out.join(''))).toMatchObject({ ok: false, exitCode: 2, error: expect.stringContaining('--baseline <module>') })
  })

  it('inspect says a log shrunk without --baseline has no step hashes and keeps the original times; rehashed, its header says so (acceptance, session 39)', () => {
    expect(flightRecorder('shrink', 'session.jsonl', '--store', store('crash'), '-o', 'inspect.min.jsonl').code).toBe(0)
    const min = parseRecording(readFileSync(join(dir, 'inspect.min.jsonl'), 'utf8'))
    const kept = min.entries.filter(isActionEntry)
    // Shrink keeps each entry's recorded time (its orig_seq too): the first kept action is far into the session.
    expect(kept[0].t).toBeGreaterThan(0)
    const span = (from: number, to: number) => {
      const [a, b] = [formatMs(from), formatMs(to)]
      return a === b ? `+${a}` : `+${a} to +${b}`
    }
    const text = flightRecorder('inspect', 'inspect.min.jsonl').stdout
    expect(text).toContain(`\nduration  — (shrunk: its entries keep the times they had in the session it was shrunk from, ${span(kept[0].t, kept.at(-1)!.t)})\n`)
    expect(text).toContain('\nhash      fr64, of the starting state only: no step carries a hash (shrunk without --baseline)\n')
    const json = JSON.parse(flightRecorder('inspect', 'inspect.min.jsonl', '--json').stdout)
    expect(json).toMatchObject({ hashedSteps: 0, actions: kept.length, firstEntryMs: kept[0].t, shrunk: { rehashed: false }, ended: { clean: false, why: 'shrunk' } })

    // Rehashed on the fixed reducer: every step hashed, an @@end, and the header says it was rehashed.
    const rehashed = flightRecorder('rehash', 'inspect.min.jsonl', '--store', store('none'), '--in-place')
    expect(rehashed.code, rehashed.stderr).toBe(0)
    const after = flightRecorder('inspect', 'inspect.min.jsonl')
    expect(after.stdout).toContain('\nhash      fr64\n')
    expect(after.stdout).toMatch(/\nended {5}cleanly \(@@end at seq \d+: \d+ actions? in the session, 0 dropped\)\n/)
    expect(JSON.parse(flightRecorder('inspect', 'inspect.min.jsonl', '--json').stdout)).toMatchObject({ hashedSteps: kept.length, shrunk: { rehashed: true }, ended: { clean: true } })
    const verified = flightRecorder('verify', 'inspect.min.jsonl', '--store', store('none'))
    expect(verified.stdout).toMatch(/^ok {2}inspect\.min\.jsonl: \d+ actions? replayed on \S+, \d+ steps?'s? hashes checked \(fr64\), 1 full state \(checkpoints, @@end\) compared\n/)
  })

  it('rejects a bad --max-replays and a missing --store', () => {
    expect(flightRecorder('shrink', 'session.jsonl', '--store', store('crash'), '--max-replays', 'many').stderr).toContain('--max-replays takes a whole number')
    const noStore = flightRecorder('shrink', 'session.jsonl')
    expect(noStore.code).toBe(2)
    expect(noStore.stderr).toContain('`shrink` needs --store <module>')
  })
})
