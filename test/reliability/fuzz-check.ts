/**
 * The checks every fuzz case goes through, shared by fuzz-parse.spec.ts and fuzz-replay.spec.ts.
 * Plain `check()` instead of `expect()` on the hot path: a case costs well under a millisecond,
 * and expect's bookkeeping would dominate it.
 */
import type { Reducer } from 'redux'
import { afterAll } from 'vitest'
import { type Recording } from 'redux-flight-recorder'
import { encodeRecording, formatDivergence, parseRecording, replay, type ReplayResult } from 'redux-flight-recorder/replay'
import { expectNoPrototypePollution, FUZZ_RUNS, guardReducer, ownErrorsOnly, type CorpusLog } from './helpers'

/** The entries as JSON with each entry's own keys sorted (values as they are). */
function linesKeyed(entries: readonly object[]): string {
  return JSON.stringify(entries.map((e) => Object.fromEntries(Object.keys(e).sort().map((k) => [k, (e as Record<string, unknown>)[k]]))))
}

export function check(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new Error(typeof message === 'string' ? message : message())
}

/**
 * FUZZ_RUNS is the total number of generated cases; each property gets a share of it (shares sum to 1; the
 * exhaustive wrong-type sweep comes on top). 1500 by default, so CI runs every property on every
 * run; `node scripts/fuzz.mjs` runs 100,000.
 */
export const SHARES = {
  'random bytes': 0.15,
  'synthetic lines': 0.2,
  'mutated real logs': 0.3,
  'prototype keys': 0.1,
  'merging __proto__ payloads': 0.05,
  replayStream: 0.1,
  fromDevToolsExport: 0.097,
  // Giant lines cost 10–300 ms each: a fixed small share.
  'giant and deep lines': 0.003,
} as const
export function runsFor(property: keyof typeof SHARES): number {
  return Math.max(property === 'giant and deep lines' ? 12 : 20, Math.ceil(FUZZ_RUNS * SHARES[property]))
}

/** A reducer that accepts anything and uses what it gets (spreads, merges, pushes). */
export const genericReducer = guardReducer(((state: any = { n: 0, items: [] }, action: any) => {
  switch (action.type) {
    case 'inc':
      return { ...state, n: (state?.n ?? 0) + 1 }
    case 'merge':
      return { ...state, ...action.payload }
    case 'push':
      return { ...state, items: [...(state?.items ?? []), action.payload] }
    default:
      return state
  }
}) as Reducer)

/** How many cases each property ran and how they ended, printed (FUZZ_REPORT=1) for scripts/fuzz.mjs. */
const tally = new Map<string, { cases: number; parsed: number; ownErrors: number; warnings: number; replayOk: number; ms: number; slowestMs: number }>()
export function count(name: string) {
  let t = tally.get(name)
  if (!t) tally.set(name, (t = { cases: 0, parsed: 0, ownErrors: 0, warnings: 0, replayOk: 0, ms: 0, slowestMs: 0 }))
  return t
}
export function timed(name: string, started: number): void {
  const t = count(name)
  const ms = performance.now() - started
  t.ms += ms
  if (ms > t.slowestMs) t.slowestMs = ms
}
afterAll(() => {
  if (!process.env.FUZZ_REPORT) return
  for (const [name, t] of tally) {
    console.log(`[fuzz] ${JSON.stringify({ property: name, ...t, ms: Math.round(t.ms), slowestMs: Math.round(t.slowestMs) })}`)
  }
})

export function checkRecordingShape(rec: Recording): void {
  check(typeof rec.header === 'object' && rec.header !== null && rec.header.kind === '@@session', 'the header is not a @@session object')
  check(typeof rec.header.session === 'string', 'header.session is not a string')
  check(Number.isSafeInteger(rec.header.from_seq) && rec.header.from_seq >= 1, 'header.from_seq is not a positive integer')
  check(Array.isArray(rec.header.redact.state) && Array.isArray(rec.header.redact.actions), 'header.redact is not arrays')
  check(Array.isArray(rec.entries), 'entries is not an array')
  let last = rec.header.from_seq - 1
  for (const e of rec.entries) {
    check(Number.isSafeInteger(e.seq) && e.seq > last, () => `entry seq ${e.seq} does not follow ${last}`)
    check(typeof e.kind === 'string', 'an entry kind is not a string')
    last = e.seq
  }
  if (rec.end) check(rec.end.seq > last, '@@end does not follow the entries')
  check(rec.warnings.every((w) => typeof w === 'string'), 'a warning is not a string')
}

export function checkResult(result: ReplayResult): void {
  check(typeof result.ok === 'boolean' && Number.isInteger(result.steps), 'replay result has no boolean ok / integer steps')
  if (result.ok) check(result.divergence === undefined, 'ok with a divergence')
  const text = ownErrorsOnly('formatDivergence', () => formatDivergence(result))
  check(text.ok && typeof text.value === 'string', 'formatDivergence gave no text')
}

/** Every reader on one text: strict and tolerant parse, encode round trip, replay of text and of the Recording. */
export function checkText(property: string, text: string, log: Pick<CorpusLog, 'reducer' | 'next'>): void {
  const t = count(property)
  const started = performance.now()
  t.cases++
  const strict = ownErrorsOnly('parseRecording (strict)', () => parseRecording(text))
  const tolerant = ownErrorsOnly('parseRecording (tolerant)', () => parseRecording(text, { strict: false }))
  if (strict.ok) {
    t.parsed++
    checkRecordingShape(strict.value)
    // Whatever strict mode accepts, tolerant mode accepts too.
    check(tolerant.ok, 'strict mode accepted a log that tolerant mode rejected')
  } else t.ownErrors++
  if (tolerant.ok) {
    checkRecordingShape(tolerant.value)
    if (tolerant.value.warnings.length > 0) t.warnings++
    // A parsed recording encodes to a log that strict mode reads back to the same entries.
    const encoded = ownErrorsOnly('encodeRecording', () => encodeRecording(tolerant.value))
    if (encoded.ok) {
      const again = ownErrorsOnly('parseRecording (re-encoded)', () => parseRecording(encoded.value))
      check(again.ok, () => `a re-encoded recording does not parse strictly: ${!again.ok && again.error.message}`)
      // encodeRecording writes each line's keys in the format's order (docs/FORMAT.md), whatever
      // order a hand-made or defaulted entry had them in: the same keys and values, nothing else moves.
      check(linesKeyed(again.value.entries) === linesKeyed(tolerant.value.entries), 're-encoding changed the entries')
    }
  }
  const opts = { reducer: log.reducer, onReplaceReducer: log.next ? () => log.next : undefined }
  const fromText = ownErrorsOnly('replay (text)', () => replay(text, opts))
  // replay reads text tolerantly: it fails exactly when the tolerant parse does.
  check(fromText.ok === tolerant.ok, 'replay(text) and the tolerant parse disagree on whether the log is readable')
  if (fromText.ok) {
    checkResult(fromText.value)
    if (fromText.value.ok) t.replayOk++
  }
  if (tolerant.ok) {
    const fromRecording = ownErrorsOnly('replay (Recording)', () => replay(tolerant.value, opts))
    check(fromRecording.ok, () => `replay of a parsed Recording threw ${!fromRecording.ok && fromRecording.error.message}`)
    if (fromText.ok) {
      checkResult(fromRecording.value)
      check(fromRecording.value.ok === fromText.value.ok && fromRecording.value.steps === fromText.value.steps, 'replay of text and of its Recording differ')
    }
    // Replay under the generic reducer too (different states, different failure paths).
    const generic = ownErrorsOnly('replay (generic reducer)', () => replay(tolerant.value, { reducer: genericReducer }))
    if (generic.ok) checkResult(generic.value)
  }
  expectNoPrototypePollution()
  timed(property, started)
}
