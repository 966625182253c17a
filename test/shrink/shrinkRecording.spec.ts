import { ReplayDivergenceError, type ActionEntry, type Recording } from 'redux-flight-recorder'
import { encodeRecording, isActionEntry, replay, shrinkRecording, type ShrinkProgress } from 'redux-flight-recorder/replay'
import { expectReplay, recordSession } from 'redux-flight-recorder/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeReducer, makeStore, shopSession } from './fixtures/shop.mjs'

const good = makeReducer()
const crash = makeReducer({ bug: 'crash' })
const regression = makeReducer({ bug: 'regression' })

let session: Recording
let small: Recording

const actionsOf = (rec: Recording) => rec.entries.filter(isActionEntry) as ActionEntry[]
const kinds = (rec: Recording) => actionsOf(rec).map((e) => e.kind)

beforeAll(async () => {
  session = await recordSession((rec) => makeStore(rec), async (store) => {
    await shopSession(store, { actions: 10_000, seed: 7 })
  })
  small = await recordSession((rec) => makeStore(rec), async (store) => {
    await shopSession(store, { actions: 300, seed: 3 })
  })
}, 60_000)

describe('shrinkRecording', () => {
  it('shrinks a 10,000-action session to the two actions that crash the reducer, within the replay budget', () => {
    expect(actionsOf(session).length).toBeGreaterThanOrEqual(10_000)
    // The session replays on the reducer that recorded it, and crashes the buggy one late.
    expect(replay(session, { reducer: good })).toMatchObject({ ok: true, verified: true })
    const original = replay(session, { reducer: crash })
    expect(original.divergence).toMatchObject({ reason: 'reducer-threw', kind: 'cart/cleared' })
    expect(original.divergence!.seq).toBeGreaterThan(5000)

    const progress: ShrinkProgress[] = []
    const min = shrinkRecording(session, { reducer: crash, maxReplays: 300, onProgress: (p) => progress.push({ ...p }) })
    const report = min.shrink
    expect(report.from).toBe(actionsOf(session).length)
    expect(report.to).toBeLessThanOrEqual(3)
    expect(report.to).toBe(actionsOf(min).length)
    expect(kinds(min).slice(-1)).toEqual(['cart/cleared'])
    expect(kinds(min)).toContain('cart/couponApplied')
    expect(report).toMatchObject({ exhausted: false, minimal: true, rehashed: false, failure: { reason: 'reducer-threw', kind: 'cart/cleared', errorName: 'TypeError' } })

    // Replays are counted, reported after each one, and stay within the budget.
    expect(report.replays).toBeLessThanOrEqual(300)
    expect(progress.map((p) => p.replays)).toEqual(Array.from({ length: report.replays }, (_, i) => i + 1))
    expect(progress.at(-1)).toMatchObject({ phase: 'done', actions: report.to, from: report.from })
    // Whole turns first, then single actions.
    const phases = [...new Set(progress.map((p) => p.phase))]
    expect(phases).toEqual(['check', 'turns', 'actions', 'done'])
    console.log(`crash: ${report.from} → ${report.to} actions in ${report.replays} replays`)

    // The shrunk log stands on its own: the header state as recorded, seqs from 1, the original seqs kept.
    expect(min.header.state).toEqual(session.header.state)
    expect(min.header.hash).toBe(session.header.hash)
    expect(actionsOf(min).map((e) => e.seq)).toEqual(Array.from({ length: report.to }, (_, i) => session.header.from_seq + i))
    const byseq = new Map(actionsOf(session).map((e) => [e.seq, e]))
    for (const e of actionsOf(min)) expect(byseq.get(e.orig_seq as number)!.action).toEqual(e.action)

    // Replayed from its JSONL text, it fails the same way.
    const text = encodeRecording(min)
    const again = replay(text, { reducer: crash })
    expect(again.divergence).toMatchObject({ reason: 'reducer-threw', kind: 'cart/cleared', error: { name: 'TypeError' } })
    expect(() => expectReplay(text, { reducer: crash })).toThrow(ReplayDivergenceError)
    // On the good reducer nothing throws (and without a baseline there are no hashes to check).
    expect(replay(text, { reducer: good })).toMatchObject({ ok: true, verified: false })
  })

  it('shrinks a divergence with a passing baseline: hashes recomputed, passes on the baseline, diverges on the regression', () => {
    const original = replay(session, { reducer: regression })
    expect(original.divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'cart/couponApplied' })

    const min = shrinkRecording(session, { reducer: regression, baseline: good, maxReplays: 300 })
    const report = min.shrink
    console.log(`regression: ${report.from} → ${report.to} actions in ${report.replays} replays`)
    expect(report.to).toBeLessThanOrEqual(3)
    expect(report.replays).toBeLessThanOrEqual(300)
    expect(report).toMatchObject({ rehashed: true, exhausted: false, failure: { reason: 'hash-mismatch', kind: 'cart/couponApplied' } })
    const kept = actionsOf(min)
    expect(kept.at(-1)!.kind).toBe('cart/couponApplied')
    expect(kept.some((e) => e.kind === 'cart/currencyChanged' && e.action.payload !== 'USD')).toBe(true)
    expect(kept.every((e) => typeof e.hash === 'string')).toBe(true)
    expect(min.end).toMatchObject({ kind: '@@end', count: kept.length })

    const text = encodeRecording(min)
    expect(replay(text, { reducer: good })).toMatchObject({ ok: true, verified: true })
    expectReplay(text, { reducer: good })
    const again = replay(text, { reducer: regression })
    expect(again.divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'cart/couponApplied' })
    // The @@end the baseline wrote gives the report its state difference.
    expect(again.divergence!.diff).toEqual([{ path: 'cart.coupon.label', recorded: expect.stringContaining('EUR'), replayed: expect.stringContaining('USD') }])
  })

  it('shrinks a crash with the fix as baseline into a log that passes, hash-checked, on the fix', () => {
    const min = shrinkRecording(small, { reducer: crash, baseline: { reducer: good } })
    expect(kinds(min)).toEqual(['cart/couponApplied', 'cart/cleared'])
    expect(min.shrink).toMatchObject({ rehashed: true, failure: { reason: 'reducer-threw', kind: 'cart/cleared' } })
    const text = encodeRecording(min)
    expect(expectReplay(text, { reducer: good })).toMatchObject({ ok: true, verified: true, checked: 3 })
    expect(replay(text, { reducer: crash }).divergence).toMatchObject({ reason: 'reducer-threw', kind: 'cart/cleared' })
  })

  it('without a baseline, refuses to shrink a divergence and says what to pass', () => {
    expect(() => shrinkRecording(session, { reducer: regression })).toThrow(expect.objectContaining({ code: 'baseline-needed', message: expect.stringContaining('`baseline`') }))
  })

  it('stops at the replay budget with the smallest failing log found so far', () => {
    const min = shrinkRecording(session, { reducer: crash, maxReplays: 8 })
    expect(min.shrink).toMatchObject({ exhausted: true, minimal: false, replays: 8 })
    expect(min.shrink.to).toBeLessThan(min.shrink.from)
    expect(replay(min, { reducer: crash }).divergence).toMatchObject({ reason: 'reducer-threw', kind: 'cart/cleared' })
    expect(min.shrink.result.divergence).toMatchObject({ reason: 'reducer-threw', kind: 'cart/cleared' })
  })

  it('shrinks to what a custom `fails` predicate needs', () => {
    // "Three different products in the cart": three additions of distinct products, nothing else.
    const fails = (r: { state: unknown }) => (r.state as { cart: { lines: unknown[] } }).cart.lines.length >= 3
    expect(fails(replay(small, { reducer: good }))).toBe(true)
    const min = shrinkRecording(small, { reducer: good, fails })
    expect(kinds(min)).toEqual(['cart/itemAdded', 'cart/itemAdded', 'cart/itemAdded'])
    expect(new Set(actionsOf(min).map((e) => (e.action.payload as { sku: string }).sku)).size).toBe(3)
    expect(min.shrink).toMatchObject({ failure: null, minimal: true })
    expect(fails(replay(encodeRecording(min), { reducer: good }))).toBe(true)
  })

  it('rejects a log that does not fail, and bad options', () => {
    expect(() => shrinkRecording(small, { reducer: good })).toThrow(expect.objectContaining({ code: 'nothing-to-shrink' }))
    expect(() => shrinkRecording(small, { reducer: good, fails: () => false })).toThrow(expect.objectContaining({ code: 'nothing-to-shrink' }))
    expect(() => shrinkRecording(small, {} as never)).toThrow(/`reducer` or `createStore`/)
    expect(() => shrinkRecording(small, { reducer: crash, maxReplays: 1 })).toThrow(/`maxReplays`/)
    expect(() => shrinkRecording(small, { reducer: regression, baseline: 42 as never })).toThrow(/`baseline`/)
  })

  it('keeps only candidates that fail the same way: same reason, same action type, same error name', () => {
    // `b` throws a TypeError from n = 2 (the failure in the log), a RangeError at n = 1; `c` throws at n = 0.
    const reducer = (s: { n: number } = { n: 0 }, a: { type: string }) => {
      if (a.type === 'a') return { n: s.n + 1 }
      if (a.type === 'b' && s.n >= 2) throw new TypeError('b after two a')
      if (a.type === 'b' && s.n === 1) throw new RangeError('b after one a')
      if (a.type === 'c' && s.n === 0) throw new TypeError('c first')
      return s
    }
    const entry = (seq: number, type: string) => ({ seq, ts: '2026-01-01T00:00:00.000Z', t: seq, turn: `t${seq}`, kind: type, action: { type } })
    const log: Recording = {
      header: { kind: '@@session', v: 1, session: 's', ts: '2026-01-01T00:00:00.000Z', hash_alg: 'none', meta: {}, redact: { state: [], actions: [] }, from_seq: 1, state: { n: 0 }, hash: null },
      entries: ['a', 'c', 'a', 'c', 'b', 'a'].map((t, i) => entry(i + 1, t)),
      warnings: [],
    }
    const min = shrinkRecording(log, { reducer })
    expect(kinds(min)).toEqual(['a', 'a', 'b'])
    expect(min.shrink).toMatchObject({ minimal: true, failure: { reason: 'reducer-threw', kind: 'b', errorName: 'TypeError' } })
  })

  it('keeps what replay needs around a gap: the next full state becomes a rebase point', () => {
    // A counter whose `boom` throws above 5: the log loses entries 3–4, then a checkpoint says the state was 10.
    const counter = (s: { n: number } = { n: 0 }, a: { type: string }) => {
      if (a.type === 'inc') return { n: s.n + 1 }
      if (a.type === 'boom' && s.n > 5) throw new RangeError(`n is ${s.n}`)
      return s
    }
    const entry = (seq: number, type: string) => ({ seq, ts: '2026-01-01T00:00:00.000Z', t: seq, turn: `t${seq}`, kind: type, action: { type } })
    const log: Recording = {
      header: { kind: '@@session', v: 1, session: 's', ts: '2026-01-01T00:00:00.000Z', hash_alg: 'none', meta: {}, redact: { state: [], actions: [] }, from_seq: 1, state: { n: 0 }, hash: null },
      entries: [
        entry(1, 'inc'),
        entry(2, 'boom'),
        { seq: 5, ts: '2026-01-01T00:00:00.000Z', t: 5, turn: null, kind: '@@checkpoint', state: { n: 10 }, hash: null },
        entry(6, 'inc'),
        entry(7, 'noop'),
        entry(8, 'boom'),
      ],
      warnings: [],
    }
    expect(replay(log, { reducer: counter }).divergence).toMatchObject({ reason: 'reducer-threw', kind: 'boom', seq: 8 })
    const min = shrinkRecording(log, { reducer: counter })
    expect(min.entries.map((e) => [e.kind, e.seq, e.orig_seq])).toEqual([
      ['@@checkpoint', 1, 5],
      ['boom', 2, 8],
    ])
    expect(replay(encodeRecording(min), { reducer: counter }).divergence).toMatchObject({ reason: 'reducer-threw', kind: 'boom', error: { message: 'n is 10' } })
  })
})
