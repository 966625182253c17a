import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStore } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { encodeRecording, isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { run } from '../../src/cli/run'

/**
 * A recorded crash a fixed reducer no longer makes, at a step without a hash (a log recorded with
 * `hash: false`, or that step's hash missing): replay said nothing of it, as the warning needed the
 * step's hash to match, so the tests' -u (which rewrites a log on that warning) kept `threw`, and
 * the crash coming back replayed "as recorded" (session 29).
 */

type State = { n: number }
/** `boom` throws while `crashes`; fixed, it leaves the state as it was (the recorded state). */
const reducer =
  (crashes: boolean) =>
  (state: State = { n: 0 }, action: { type: string }): State => {
    if (action.type === 'boom' && crashes) throw new TypeError(`boom at ${state.n}`)
    return action.type === 'inc' ? { n: state.n + 1 } : state
  }

async function recordCrash(hash: boolean): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], ...(hash ? {} : { hash: false }) })
  const store = createStore(reducer(true), recorder.enhancer)
  store.dispatch({ type: 'inc' })
  expect(() => store.dispatch({ type: 'boom' })).toThrow('boom at 1')
  store.dispatch({ type: 'inc' })
  await recorder.close()
  return sink.text()
}

const threwOf = (log: string) =>
  parseRecording(log)
    .entries.filter(isActionEntry)
    .filter((e) => e.threw !== undefined)
    .map((e) => ({ seq: e.seq, threw: e.threw }))

describe('a recorded crash a fixed reducer no longer makes, at a step without a hash', () => {
  it('replay of a log recorded with hash: false says the reducer no longer throws (the warning -u updates the log on)', async () => {
    const log = await recordCrash(false)
    expect(parseRecording(log).header.hash_alg).toBe('none')
    expect(threwOf(log)).toEqual([{ seq: 2, threw: { name: 'TypeError', message: 'boom at 1' } }])
    const result = replay(log, { reducer: reducer(false) })
    expect(result.ok).toBe(true)
    expect(result.warnings).toContain(
      "The reducer threw at seq 2 ('boom') when recorded (TypeError: boom at 1); replayed, it no longer throws. Update the log (`flight-recorder rehash`, or the tests' -u) so that the crash coming back is caught.",
    )
  })

  it('so does replay of a hashed log whose step lost its hash; with the hash, it also says the state is as recorded', async () => {
    const log = await recordCrash(true)
    const hashed = replay(log, { reducer: reducer(false) })
    expect(hashed.warnings.filter((w) => w.includes('no longer throws'))).toEqual([
      "The reducer threw at seq 2 ('boom') when recorded (TypeError: boom at 1); replayed, it no longer throws and reaches the recorded state. Update the log (`flight-recorder rehash`, or the tests' -u) so that the crash coming back is caught.",
    ])
    const rec = parseRecording(log)
    const unhashedStep = encodeRecording({ ...rec, entries: rec.entries.map((e) => (isActionEntry(e) && e.seq === 2 ? { ...e, hash: null } : e)) })
    const result = replay(unhashedStep, { reducer: reducer(false) })
    expect(result.ok).toBe(true)
    expect(result.warnings.filter((w) => w.includes('no longer throws'))).toEqual([
      "The reducer threw at seq 2 ('boom') when recorded (TypeError: boom at 1); replayed, it no longer throws. Update the log (`flight-recorder rehash`, or the tests' -u) so that the crash coming back is caught.",
    ])
  })

  it('verify says so, and rehash --in-place then drops `threw`: the crash coming back stops the replay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fr-rehash-nohash-'))
    const log = await recordCrash(false)
    writeFileSync(join(dir, 'crash.jsonl'), log)
    writeFileSync(join(dir, 'fixed.mjs'), `export const reducer = (state = { n: 0 }, action) => (action.type === 'inc' ? { n: state.n + 1 } : state)\n`)
    const cli = async (args: string[]) => {
      const out: string[] = []
      const code = await run(args, { out: (t) => void out.push(t), err: (t) => void out.push(t), tty: false, columns: 100, cwd: dir })
      return { code, out: out.join('') }
    }
    const verified = await cli(['verify', 'crash.jsonl', '--store', 'fixed.mjs'])
    expect(verified.out).toContain("The reducer threw at seq 2 ('boom') when recorded (TypeError: boom at 1); replayed, it no longer throws. Update the log")
    const rehashed = await cli(['rehash', 'crash.jsonl', '--store', 'fixed.mjs', '--in-place'])
    expect(rehashed.code, rehashed.out).toBe(0)
    expect(rehashed.out).toContain('rehashed crash.jsonl: 1 of 3 steps changed on fixed.mjs, the first at seq 2 (boom)')
    const updated = readFileSync(join(dir, 'crash.jsonl'), 'utf8')
    expect(threwOf(updated)).toEqual([])
    const back = replay(updated, { reducer: reducer(true) })
    expect(back.divergence).toMatchObject({ seq: 2, reason: 'reducer-threw' })
  })
})
