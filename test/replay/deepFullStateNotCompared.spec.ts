import { describe, expect, it } from 'vitest'
import { encodeRecording, replay } from 'redux-flight-recorder/replay'
import type { Recording } from 'redux-flight-recorder'

/**
 * A full state with no hash (a `hash: false` log, or one the recorder could not hash) nested
 * deeper than the comparison can recurse is not compared: a warning, and the log is not verified,
 * but no divergence (session 27: at 3,000 levels `verify` failed the log with "could not be hashed").
 */
function log(depth: number, endN: number): string {
  let deep: unknown = { v: 1 }
  for (let i = 0; i < depth; i++) deep = { d: deep }
  const state = { deep, n: 0 }
  const ts = '2026-12-05T00:00:00.000Z'
  const rec: Recording = {
    header: { kind: '@@session', v: 1, session: 's', ts, hash_alg: 'none', meta: {}, redact: { state: [], actions: [] }, from_seq: 1, state, hash: null },
    entries: [{ seq: 1, ts, t: 0, turn: 't1', kind: 'inc', action: { type: 'inc' } }],
    end: { kind: '@@end', seq: 2, ts, t: 1, count: 1, dropped: 0, state: { ...state, n: endN }, hash: null },
    warnings: [],
  }
  return encodeRecording(rec)
}
const reducer = (s: { n: number } | undefined, a: { type: string }) => (a.type === 'inc' ? { ...s!, n: s!.n + 1 } : s)

describe('a full state nested too deeply to compare', () => {
  it('is not checked (a warning), not reported as a divergence', () => {
    const result = replay(log(3000, 1), { reducer: reducer as never })
    expect(result.divergence).toBeUndefined()
    expect(result.ok).toBe(true)
    expect(result.warnings).toEqual([expect.stringMatching(/^The @@end at seq 2 holds a state nested too deeply to compare \(.*\): it was not checked\.$/)])
  })

  it('one the comparison can follow is compared as before', () => {
    expect(replay(log(200, 1), { reducer: reducer as never })).toMatchObject({ ok: true, warnings: [] })
    expect(replay(log(200, 5), { reducer: reducer as never }).divergence?.reason).toBe('state-mismatch')
  })
})
