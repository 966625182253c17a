import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStore } from 'redux'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { isActionEntry, parseRecording } from 'redux-flight-recorder/replay'
import { beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/run'

// Small defects of the log tools (session 29): `inspect` listed the first 200 actions the reducer
// threw on and said nothing of the rest; `shrink --baseline` called the hash the shrunk log expects
// "(recorded)", where it is the baseline's.

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fr-log-tools-29-'))
})

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await run(args, { out: (t) => void out.push(t), err: (t) => void err.push(t), tty: false, columns: 100, cwd: dir })
  return { code, out: out.join(''), err: err.join('') }
}

describe('inspect of a log with more crashes than it lists', () => {
  it('says how many more there are: a line in text, capped.threw in --json; nothing when every crash is listed', async () => {
    const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, 'crashes.jsonl'), { processLifecycle: false })] })
    const reducer = (state = { n: 0 }, action: { type: string }) => {
      if (action.type === 'boom') throw new RangeError(`boom at ${state.n}`)
      return action.type === 'inc' ? { n: state.n + 1 } : state
    }
    const store = createStore(reducer, recorder.enhancer)
    for (let i = 0; i < 203; i++) {
      store.dispatch({ type: 'inc' })
      expect(() => store.dispatch({ type: 'boom' })).toThrow(RangeError)
    }
    await recorder.close()
    const recorded = parseRecording(readFileSync(join(dir, 'crashes.jsonl'), 'utf8')).entries.filter((e) => isActionEntry(e) && e.threw !== undefined)
    expect(recorded).toHaveLength(203)

    const text = await cli(['inspect', 'crashes.jsonl'])
    expect(text.code, text.err).toBe(0)
    const section = text.out.slice(text.out.indexOf('\nthe reducer threw'))
    expect(section.split('\n').filter((l) => / boom: RangeError: boom at \d+$/.test(l))).toHaveLength(200)
    expect(section).toMatch(/ {2}seq 400 {2}\+[\d.]+ ?m?s +boom: RangeError: boom at 200\n {2}… and 3 more, past the first 200 \(not listed\)\n/)

    const json = await cli(['inspect', 'crashes.jsonl', '--json'])
    const summary = JSON.parse(json.out)
    expect(summary.threw).toHaveLength(200)
    expect(summary.threw[0]).toEqual({ seq: 2, t: expect.any(Number), type: 'boom', name: 'RangeError', message: 'boom at 1' })
    expect(summary.capped).toEqual({ threw: 3 })

    // Every crash listed: no such line, no count.
    const one = createFlightRecorder({ sinks: [fileSink(join(dir, 'one-crash.jsonl'), { processLifecycle: false })] })
    const oneStore = createStore(reducer, one.enhancer)
    expect(() => oneStore.dispatch({ type: 'boom' })).toThrow(RangeError)
    await one.close()
    const listed = await cli(['inspect', 'one-crash.jsonl'])
    expect(listed.out).toContain('boom: RangeError: boom at 0\n')
    expect(listed.out).not.toContain('more, past the first')
    expect(JSON.parse((await cli(['inspect', 'one-crash.jsonl', '--json'])).out).capped).toBeUndefined()
  })
})

describe('shrink --baseline', () => {
  /** A store module: `tag` labels the state with its count; with the regression, with '?'. */
  const STORE = (regression: boolean) =>
    `export const reducer = (state = { n: 0, label: '' }, action) =>\n  action.type === 'inc' ? { ...state, n: state.n + 1 } : action.type === 'tag' ? { ...state, label: ${regression ? "'n=?'" : '`n=${state.n}`'} } : state\n`

  it("names the hash the shrunk log expects as the baseline's, not as recorded, in text and --json", async () => {
    writeFileSync(join(dir, 'fixed.mjs'), STORE(false))
    writeFileSync(join(dir, 'regression.mjs'), STORE(true))
    // Recorded on a reducer that counts by 2, so no hash of the shrunk log is one recorded.
    const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, 'tags.jsonl'), { processLifecycle: false })] })
    const store = createStore(
      (state: { n: number; label: string } = { n: 0, label: '' }, action: { type: string }) => (action.type === 'inc' ? { ...state, n: state.n + 2 } : action.type === 'tag' ? { ...state, label: `n=${state.n}` } : state),
      recorder.enhancer,
    )
    for (let i = 0; i < 6; i++) store.dispatch({ type: i === 3 ? 'tag' : 'inc' })
    await recorder.close()

    const shrunk = await cli(['shrink', 'tags.jsonl', '--store', 'regression.mjs', '--baseline', 'fixed.mjs', '-o', 'tags.min.jsonl'])
    expect(shrunk.code, shrunk.err).toBe(0)
    expect(shrunk.out).toContain('hashes recomputed with fixed.mjs')
    const min = parseRecording(readFileSync(join(dir, 'tags.min.jsonl'), 'utf8'))
    const tag = min.entries.find((e) => isActionEntry(e) && e.kind === 'tag')!
    const recordedHashes = parseRecording(readFileSync(join(dir, 'tags.jsonl'), 'utf8')).entries.map((e) => (e as { hash?: unknown }).hash)
    expect(recordedHashes).not.toContain((tag as { hash?: unknown }).hash)
    expect(shrunk.out).toContain(`\n  expected hash: ${(tag as { hash?: string }).hash} (the baseline's)\n`)
    expect(shrunk.out).not.toContain('(recorded)')

    const json = JSON.parse((await cli(['shrink', 'tags.jsonl', '--store', 'regression.mjs', '--baseline', 'fixed.mjs', '-o', 'tags.min2.jsonl', '--json'])).out)
    expect(json.rehashed).toBe(true)
    expect(json.report).toContain(`\n  expected hash: ${(tag as { hash?: string }).hash} (the baseline's)\n`)
    expect(json.report).not.toContain('(recorded)')
  })
})
