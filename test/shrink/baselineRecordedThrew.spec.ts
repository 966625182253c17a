import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStore, type Action } from 'redux'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { encodeRecording, isActionEntry, parseRecording, replay, shrinkRecording } from 'redux-flight-recorder/replay'
import { run } from '../../src/cli/run'

/**
 * A baseline replays a log as `verify` does (acceptance, session 39: `shrink --baseline` refused a
 * log with a recorded crash, "The baseline does not replay the log", which `verify` accepts on the
 * same module). Where the reducer threw when recorded and the baseline throws too, the step is
 * replayed as recorded, and the regression after it is what is shrunk.
 */
type S = { n: number; name: string }
const GOOD = `export const reducer = (s = { n: 0, name: 'a' }, a) => { if (a.type === 'boom') throw new Error('boom'); if (a.type === 'inc') return { ...s, n: s.n + 1 }; if (a.type === 'rename') return { ...s, name: a.name }; return s }\n`
// The regression: rename does nothing.
const BAD = `export const reducer = (s = { n: 0, name: 'a' }, a) => { if (a.type === 'boom') throw new Error('boom'); if (a.type === 'inc') return { ...s, n: s.n + 1 }; return s }\n`
const good = (s: S = { n: 0, name: 'a' }, a: Action & { name?: string }): S => {
  if (a.type === 'boom') throw new Error('boom')
  if (a.type === 'inc') return { ...s, n: s.n + 1 }
  if (a.type === 'rename') return { ...s, name: a.name! }
  return s
}
const bad = (s: S = { n: 0, name: 'a' }, a: Action): S => {
  if (a.type === 'boom') throw new Error('boom')
  return a.type === 'inc' ? { ...s, n: s.n + 1 } : s
}

async function recordWithCrash(): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink] })
  const store = createStore(good, recorder.enhancer)
  store.dispatch({ type: 'inc' })
  expect(() => store.dispatch({ type: 'boom' })).toThrow('boom')
  store.dispatch({ type: 'inc' })
  store.dispatch({ type: 'rename', name: 'b' } as Action)
  store.dispatch({ type: 'inc' })
  await recorder.close()
  return sink.text()
}

const dir = mkdtempSync(join(tmpdir(), 'fr-shrink-threw-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('shrink with a baseline, on a log with a recorded crash the baseline also throws on', () => {
  it('shrinks the regression after it (shrinkRecording), and the shrunk log verifies on the baseline', async () => {
    const log = await recordWithCrash()
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    // verify accepts the log on the baseline: the crash replays as recorded.
    expect(replay(log, { reducer: good })).toMatchObject({ ok: true, verified: true })
    expect(replay(log, { reducer: bad }).divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'rename' })

    const min = shrinkRecording(log, { reducer: bad, baseline: { reducer: good } })
    expect(min.shrink).toMatchObject({ rehashed: true, failure: { reason: 'hash-mismatch', kind: 'rename' } })
    expect(min.entries.filter(isActionEntry).map((e) => e.kind)).toEqual(['rename'])
    const text = encodeRecording(min)
    expect(replay(text, { reducer: good })).toMatchObject({ ok: true, verified: true })
    expect(replay(text, { reducer: bad }).divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'rename' })

    // A candidate that keeps the crash keeps its `threw` and the baseline's hash of the state kept:
    // it replays as recorded on both reducers.
    const withCrash = shrinkRecording(log, { reducer: bad, baseline: { reducer: good }, fails: (r) => r.divergence?.kind === 'rename' && r.warnings.some((w) => w.includes("('boom')")) })
    const boom = withCrash.entries.filter(isActionEntry).find((e) => e.kind === 'boom')
    expect(boom?.threw).toEqual({ name: 'Error', message: 'boom' })
    expect(replay(encodeRecording(withCrash), { reducer: good })).toMatchObject({ ok: true, verified: true })
    vi.restoreAllMocks()
  })

  it('`flight-recorder shrink --baseline` shrinks it instead of saying the baseline does not replay the log', async () => {
    writeFileSync(join(dir, 's.jsonl'), await recordWithCrash())
    writeFileSync(join(dir, 'good.mjs'), GOOD)
    writeFileSync(join(dir, 'bad.mjs'), BAD)
    const out: string[] = []
    const err: string[] = []
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), tty: false, columns: 100, cwd: dir }
    expect(await run(['verify', 's.jsonl', '--store', 'good.mjs'], io), err.join('')).toBe(0)
    const code = await run(['shrink', 's.jsonl', '--store', 'bad.mjs', '--baseline', 'good.mjs', '-o', 'min.jsonl', '--no-progress'], io)
    expect(err.join('')).not.toContain('does not replay')
    expect(code).toBe(0)
    const kept = parseRecording(readFileSync(join(dir, 'min.jsonl'), 'utf8')).entries.filter(isActionEntry)
    expect(kept.map((e) => e.kind)).toEqual(['rename'])
    expect(await run(['verify', 'min.jsonl', '--store', 'good.mjs'], io)).toBe(0)
  })
})
