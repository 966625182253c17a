import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStore } from 'redux'
import { createFlightRecorder, type Sink } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { isActionEntry, parseRecording } from 'redux-flight-recorder/replay'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { run } from '../../src/cli/run'

// `inspect` lists the first 200 lifecycle events, recorder errors and marks (and the first 10,000
// kinds of values the log could not carry) and said nothing of the rest, where it says "… and N more"
// of the crashes (`capped.threw`): a cut list looked complete. Session 30.

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fr-inspect-capped-'))
})

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await run(args, { out: (t) => void out.push(t), err: (t) => void err.push(t), tty: false, columns: 100, cwd: dir })
  return { code, out: out.join(''), err: err.join('') }
}

/** The lines of the text output's section that starts with `title`, up to the next blank line. */
function section(text: string, title: string): string[] {
  const start = text.indexOf(`\n${title}`)
  expect(start, title).toBeGreaterThanOrEqual(0)
  const rest = text.slice(start + 1)
  const end = rest.indexOf('\n\n')
  return (end < 0 ? rest : rest.slice(0, end)).split('\n').filter((l) => l !== '')
}

describe('inspect of a log with more lifecycle events, errors and marks than it lists', () => {
  it('says how many each list left out: a line in text, capped.lifecycle / errors / marks in --json', async () => {
    // The recorder's errors: a custom hash function that throws (one `hash` fault per action) and a
    // second sink whose writes throw (`sink` faults): each source writes at most 101 @@error entries.
    const failing: Sink = {
      write() {
        throw new Error('disk full')
      },
    }
    const recorder = createFlightRecorder({
      hash: () => {
        throw new Error('no hash today')
      },
      sinks: [fileSink(join(dir, 'busy.jsonl'), { processLifecycle: false }), failing],
      onError: () => {},
    })
    const store = createStore((state: { n: number } = { n: 0 }, action: { type: string }) => (action.type === 'inc' ? { n: state.n + 1 } : state), recorder.enhancer)
    for (let i = 0; i < 205; i++) {
      store.dispatch({ type: 'inc' })
      recorder.lifecycle('visibilitychange', { state: i % 2 ? 'visible' : 'hidden', i })
      recorder.mark(`step ${i}`, { i })
      await recorder.flush()
    }
    await recorder.close()
    const entries = parseRecording(readFileSync(join(dir, 'busy.jsonl'), 'utf8')).entries
    const count = (kind: string) => entries.filter((e) => e.kind === kind).length
    expect(count('@@lifecycle')).toBe(205)
    expect(count('@@mark')).toBe(205)
    const errors = count('@@error')
    expect(errors).toBeGreaterThan(200)

    const text = await cli(['inspect', 'busy.jsonl'])
    expect(text.code, text.err).toBe(0)
    const lifecycle = section(text.out, 'lifecycle\n')
    expect(lifecycle.filter((l) => /^ {2}seq \d+ .* visibilitychange /.test(l))).toHaveLength(200)
    expect(lifecycle.at(-1)).toBe('  … and 5 more, past the first 200 (not listed)')
    const marks = section(text.out, 'marks\n')
    expect(marks.filter((l) => /^ {2}seq \d+ .* step \d+ /.test(l))).toHaveLength(200)
    expect(marks.at(-1)).toBe('  … and 5 more, past the first 200 (not listed)')
    const recorderErrors = section(text.out, 'errors recorded by the recorder\n')
    expect(recorderErrors.filter((l) => /^ {2}seq \d+ /.test(l))).toHaveLength(200)
    expect(recorderErrors.at(-1)).toBe(`  … and ${errors - 200} more, past the first 200 (not listed)`)

    const json = await cli(['inspect', 'busy.jsonl', '--json'])
    const summary = JSON.parse(json.out)
    expect(summary.lifecycle).toHaveLength(200)
    expect(summary.marks).toHaveLength(200)
    expect(summary.errors).toHaveLength(200)
    expect(summary.capped).toEqual({ lifecycle: 5, errors: errors - 200, marks: 5 })
  })

  it('says nothing when every entry is listed', async () => {
    const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, 'few.jsonl'), { processLifecycle: false })] })
    const store = createStore((state: { n: number } = { n: 0 }, action: { type: string }) => (action.type === 'inc' ? { n: state.n + 1 } : state), recorder.enhancer)
    for (let i = 0; i < 200; i++) {
      store.dispatch({ type: 'inc' })
      recorder.lifecycle('visibilitychange', { i })
      recorder.mark(`step ${i}`)
    }
    await recorder.close()
    const text = await cli(['inspect', 'few.jsonl'])
    expect(text.out).not.toContain('more, past the first')
    expect(JSON.parse((await cli(['inspect', 'few.jsonl', '--json'])).out).capped).toBeUndefined()
  })
})

describe('inspect of a log with more kinds of values it could not carry than it lists', () => {
  it('says how many values of other kinds it did not list, and how many rows --top left out', async () => {
    // (The recorder warns of the first 20 kinds on the console.)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, 'functions.jsonl'), { processLifecycle: false })] })
    const store = createStore((state: { n: number } = { n: 0 }, action: { type: string }) => (action.type === 'callback' ? { n: state.n + 1 } : state), recorder.enhancer)
    // A function at 10,003 distinct paths (the first 10,000 kinds are listed), one of them twice.
    for (let i = 0; i < 10_003; i++) store.dispatch({ type: 'callback', payload: { [`on${i}`]: () => i } })
    store.dispatch({ type: 'callback', payload: { on10002: () => 0 } })
    await recorder.close()
    warn.mockRestore()
    const actions = parseRecording(readFileSync(join(dir, 'functions.jsonl'), 'utf8')).entries.filter(isActionEntry)
    expect(actions.filter((e) => e.omitted?.length === 1)).toHaveLength(10_004)

    const text = await cli(['inspect', 'functions.jsonl'])
    expect(text.code, text.err).toBe(0)
    const rows = section(text.out, 'values the log could not carry')
    expect(rows[0]).toBe('values the log could not carry (10004 actions)')
    expect(rows.filter((l) => /^ +1 {2}payload\.on\d+: function +first at seq \d+$/.test(l))).toHaveLength(15)
    expect(rows.slice(-2)).toEqual(['  … 9985 more (--top to show more)', '  and 4 values of other kinds, past the first 10,000 kinds (not listed)'])

    const summary = JSON.parse((await cli(['inspect', 'functions.jsonl', '--json'])).out)
    expect(summary.omissions).toHaveLength(10_000)
    expect(summary.capped).toEqual({ omissions: 4 })
  }, 60_000)
})
