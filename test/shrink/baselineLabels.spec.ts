import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createFlightRecorder, subtreeHashes } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeReducer, makeStore, shopSession } from './fixtures/shop.mjs'

// `shrink --baseline` writes a log whose hashes (and final state) are the baseline's, not recorded
// ones. Its divergence report called only the expected hash so (a regular expression over
// formatDivergence's text): the headline ("differs from the recorded one") and the comparisons
// ("recorded → replayed") still said "recorded". formatDivergence now takes the side labels
// (`labels`), and shrink gives them. Session 30.

const root = resolve(__dirname, '../..')
const cli = join(root, 'dist/cli.js')
const fixtures = join(root, 'test/shrink/fixtures')
const store = (bug: string) => join(fixtures, `shop-${bug}.mjs`)
let dir: string
let log: string

/** Waits (a minute at most) while a build running at the same moment refills dist/ (tsup empties it first). */
function awaitDist(): void {
  const wait = new Int32Array(new SharedArrayBuffer(4))
  for (let waited = 0; !existsSync(cli); waited += 250) {
    if (waited >= 60_000) throw new Error('dist/ is missing: run `npm run build` first.')
    Atomics.wait(wait, 0, 0, 250)
  }
}

function flightRecorder(...args: string[]) {
  awaitDist()
  const out = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } })
  return { code: out.status, stdout: out.stdout, stderr: out.stderr }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rfr-shrink-labels-'))
  log = join(dir, 'session.jsonl')
  // A real session, with subtree hashes so that the report compares the diverging step itself too.
  const recorder = createFlightRecorder({ sinks: [fileSink(log)], subtreeHashes: subtreeHashes() })
  await shopSession(makeStore(recorder), { actions: 3000, seed: 11 })
  await recorder.close()
}, 90_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** The report's lines that name a side of the comparison, each with the label it gives the log's side. */
function sideLabels(report: string): { line: string; label: string }[] {
  const found: { line: string; label: string }[] = []
  for (const line of report.split('\n')) {
    const m =
      /^Replay diverged .*: the replayed state (?:hashes differently from|differs from) (.+)\.$/.exec(line) ??
      /^ {2}expected hash: \S+ \((.+)\)$/.exec(line) ??
      /^ {2}(?:this step|state differences at seq .*), (.+) → replayed:$/.exec(line)
    if (m) found.push({ line, label: m[1] })
  }
  return found
}

describe('shrink --baseline', () => {
  it("names the baseline's side in every place its divergence report names the log's, in text and --json", () => {
    const shrunk = flightRecorder('shrink', 'session.jsonl', '--store', store('regression'), '--baseline', store('none'), '-o', 'min.jsonl')
    expect(shrunk.stderr).toBe('')
    expect(shrunk.code).toBe(0)
    expect(shrunk.stdout).toContain('hashes recomputed with')
    const report = shrunk.stdout.slice(shrunk.stdout.indexOf('Replay diverged'))
    const labels = sideLabels(report)
    // The headline, the expected hash, this step's comparison and the state differences.
    expect(labels.map((l) => l.line.replace(/[0-9a-f]{16}/, '<hash>'))).toEqual([
      "Replay diverged at seq 2 (turn t1616), action 'cart/couponApplied': the replayed state hashes differently from the baseline's.",
      "  expected hash: <hash> (the baseline's)",
      "  this step, the baseline's → replayed:",
      "  state differences at seq 3 (@@end), the baseline's → replayed:",
    ])
    expect(labels.every((l) => l.label === "the baseline's")).toBe(true)
    expect(report).not.toMatch(/\(recorded\)|recorded →|the recorded (?:one|state)/)

    const json = JSON.parse(flightRecorder('shrink', 'session.jsonl', '--store', store('regression'), '--baseline', store('none'), '-o', 'min2.jsonl', '--json').stdout)
    expect(json.rehashed).toBe(true)
    expect(sideLabels(json.report).map((l) => l.label)).toEqual(["the baseline's", "the baseline's", "the baseline's", "the baseline's"])
    expect(json.report).not.toMatch(/\(recorded\)|recorded →|the recorded (?:one|state)/)
  })
})

describe('formatDivergence labels', () => {
  it('names the sides as given; without them (or given an index by Array#map) the report is as before', () => {
    const text = readFileSync(join(dir, 'session.jsonl'), 'utf8')
    const result = replay(text, { reducer: makeReducer({ bug: 'regression' }) })
    expect(result.ok).toBe(false)
    const plain = formatDivergence(result)
    const sides = sideLabels(plain).map((l) => l.label)
    expect(sides.slice(0, 3)).toEqual(['the recorded one', 'recorded', 'recorded'])
    expect(sides.slice(1).every((l) => l === 'recorded')).toBe(true)
    expect([result].map(formatDivergence)).toEqual([plain])
    expect(formatDivergence(result, {})).toBe(plain)

    const labelled = formatDivergence(result, { labels: { recorded: "the fixed reducer's", replayed: 'replayed' } })
    expect(sideLabels(labelled).map((l) => l.label)).toEqual(sides.map(() => "the fixed reducer's"))
    // Only the labels change.
    expect(labelled.replaceAll("the fixed reducer's", 'recorded')).toBe(plain.replace('from the recorded one', 'from recorded'))
    // An adjective reads as one: "the checked state", "(checked)", "checked → replayed".
    expect(formatDivergence(result, { labels: { recorded: 'checked' } })).toBe(plain.replaceAll('the recorded one', 'the checked one').replaceAll('(recorded)', '(checked)').replaceAll('recorded →', 'checked →'))
  })
})
