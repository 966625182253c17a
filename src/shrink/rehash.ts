import type { CheckpointEntry, Entry, Recording } from 'redux-flight-recorder'
import { FlightRecorderError } from '../errors'
import { parseRecording } from '../format/index.js'
import { INCOMPLETE, isActionEntry, isRebaseCheckpoint, LAST_LINE_LEFT_OUT } from '../format/types'
import { describe } from '../internal/describe'
import { logRedactor, redactPathUnder } from '../redact'
import { formatDivergence } from '../replay/formatDivergence'
import { foreignState } from '../replay/hints'
import { replay } from '../replay/replay'
import type { ReplayOptions } from '../replay/types'
import { stringifyState } from '../serialize'
import { stateHasher } from './stateHasher'
import { attachResult } from '../internal/attachResult'
import { shrunkWithoutBaseline } from '../internal/shrunk'

export interface RehashReport {
  /** Action entries replayed, each given the hash of its new state. */
  steps: number
  /** Action entries whose hash changed. */
  changed: number
  /** The first action entry whose hash changed; `null` when none did. */
  first: { seq: number; turn: string | null; kind: string } | null
  /** Full states (the header's, checkpoints, `@@end`) that changed. */
  fullStates: number
  /** What the new hashes rest on besides the reducer: redacted, lossy or left-out values the reducer received in their recorded form. */
  warnings: string[]
}

/** A `Recording` whose hashes and full states are those the reducer gives now, with what changed in `rehash`. */
export interface RehashedRecording extends Recording {
  rehash: RehashReport
}

/**
 * Recomputes a log's hashes and full states (checkpoints, `@@end`) with the reducer as it is now,
 * for a reducer changed on purpose. The log's actions replay from its recorded starting state, as
 * the reducer takes it in (run on it with Redux's INIT action, as a store does): a slice added to
 * the reducer, removed or renamed changes the header's state and hash too. Everything else (seqs,
 * turns, timestamps, marks, lifecycle entries, the header's meta, redaction) is kept,
 * and a starting point replay restarts from (a `resume` checkpoint, a DevTools state change) stays
 * as recorded. A log shrunk without a baseline (no hashes, no `@@end`) ends with an `@@end` holding
 * the final state, its header's `shrunk.rehashed` true, as one shrunk with a baseline does.
 * Throws a `FlightRecorderError`: `'replay-failed'` when the actions do not replay
 * (the reducer throws; `error.result` holds the replay), `'incomplete'` for a log with entries
 * missing, whose later steps would restart from states of the old reducer, or whose last line was
 * cut short (the rewritten log would not show the entry lost), `'foreign-reducer'` for
 * a reducer that keeps none of the log's top-level keys (another app's: every state would go).
 *
 * @example
 * const updated = rehashRecording(readFileSync('checkout.jsonl', 'utf8'), { reducer })
 * writeFileSync('checkout.jsonl', encodeRecording(updated))
 */
export function rehashRecording(recording: Recording | string, options: ReplayOptions): RehashedRecording {
  if (typeof options !== 'object' || options === null || (typeof options.reducer !== 'function' && typeof options.createStore !== 'function')) {
    throw new TypeError(`[redux-flight-recorder] Expected rehash options { reducer } or { createStore }. Instead, received: ${describe(options)}.`)
  }
  const rec = typeof recording === 'string' ? parseRecording(recording, { strict: false, ...options.parse }) : recording
  let { header } = rec
  const unhashed = header.hash_alg === 'none'
  const hasher = unhashed ? undefined : stateHasher(header, options, 'to rehash it')
  const redactor = logRedactor(header)
  const json = (state: unknown) => JSON.parse(stringifyState(options.serializeState ? options.serializeState(state) : state, redactor)) as unknown

  // The state replay starts in (the reducer run on the header's with Redux's INIT action, or the
  // store built from it): another one when a slice was added to the reducer, removed or renamed.
  // The header takes it in, or no replay would get past @@session.
  let startChanged = false
  if (typeof header.unwritable !== 'string') {
    const started = replay({ header: { ...header, hash: null }, entries: [], warnings: [] }, { ...options, onStep: undefined, until: undefined })
    const start = json(started.state)
    const recorded = json(header.state)
    if (JSON.stringify(start) !== JSON.stringify(recorded)) {
      // A reducer that keeps none of the log's slices is another app's (a wrong import, a foreign
      // log): rehashed, every state of the log would be replaced, and the log lost as a test.
      const foreign = foreignState(recorded, start)
      if (foreign !== undefined) {
        throw new FlightRecorderError('foreign-reducer', `${foreign}. Rehashing would replace every state of the log; replay it on the reducer it was recorded with, or record the session again.`)
      }
      header = { ...header, state: start, hash: hasher ? hasher.hash(started.state) : header.hash }
      startChanged = true
    }
  }

  // The replay input: no hashes and no full states to compare (they are what changes), the same
  // seqs (a full state to recompute becomes a mark) and the same starting points.
  let actions = 0
  const recompute = (e: Entry) => e.kind === '@@checkpoint' && actions > 0 && !isRebaseCheckpoint(e.reason) && typeof e.unwritable !== 'string'
  const input = rec.entries.map((e): Entry => {
    if (isActionEntry(e)) {
      actions++
      const { changed: _changed, ...rest } = e
      return { ...rest, hash: null }
    }
    if (recompute(e)) return { seq: e.seq, ts: e.ts, t: e.t, turn: null, kind: '@@mark', label: '' }
    return e.kind === '@@replaceReducer' ? { ...e, hash: null } : e
  })
  const states = new Map<number, unknown>()
  // What the reducer throws now where it threw when recorded: the rehashed entry says that instead.
  const threw = new Map<number, { name: string; message: string }>()
  /** Steps an adapter skipped (the reducer did not run): their entries keep what they recorded. */
  const skipped = new Set<number>()
  const result = replay(
    { header, entries: input, warnings: rec.warnings },
    {
      ...options,
      onStep: (step) => {
        states.set(step.seq, step.state)
        if (step.threw) threw.set(step.seq, step.threw)
        if (step.skipped) skipped.add(step.seq)
      },
    },
  )
  if (!result.ok) {
    const error = new FlightRecorderError('replay-failed', `The log's actions do not replay on this reducer, so it cannot be rehashed:\n${formatDivergence(result)}`)
    attachResult(error, result)
    throw error
  }
  const last = rec.entries[rec.entries.length - 1]
  const incomplete = result.warnings.filter((w) => INCOMPLETE.test(w) || w.includes('resumes at the next full state'))
  if (rec.end && rec.end.seq !== (last?.seq ?? header.from_seq - 1) + 1) incomplete.push('Entries are missing before @@end.')
  if (incomplete.length > 0) {
    // Only the last line lost (cut short, or not JSON): nothing follows it to restart from, but the
    // rewritten log would end before it with no sign of the entry lost there.
    const lastLineOnly = incomplete.every((w) => LAST_LINE_LEFT_OUT.test(w))
    throw new FlightRecorderError(
      'incomplete',
      `The log is incomplete, so it cannot be rehashed: ${
        lastLineOnly
          ? 'its last line was left out (nothing follows it), and the rewritten log would not show that an entry was lost there. To update the log without that line, delete it first.'
          : 'after the entries lost, replay restarts from a state the old reducer recorded.'
      } ${incomplete.join(' ')}`,
    )
  }

  const report: RehashReport = { steps: 0, changed: 0, first: null, fullStates: startChanged ? 1 : 0, warnings: [] }
  let state = header.state
  actions = 0
  const entries = rec.entries.map((e): Entry => {
    if (isActionEntry(e)) {
      actions++
      const { changed: _changed, threw: recordedThrew, ...copy } = e
      if (!states.has(e.seq)) return recordedThrew === undefined ? copy : { ...copy, threw: recordedThrew }
      state = states.get(e.seq)
      copy.hash = hasher ? hasher.hash(state) : null
      // A reducer that threw here when recorded and no longer does (fixed): the entry loses its
      // `threw`, so a crash brought back is a divergence again.
      const now = skipped.has(e.seq) ? recordedThrew : threw.get(e.seq)
      if (now) copy.threw = now
      report.steps++
      // (Another error than the one recorded is a change too: the log is rewritten with it.)
      const threwChanged = JSON.stringify(recordedThrew ?? null) !== JSON.stringify(now ?? null)
      if ((copy.hash !== (e.hash ?? null) || threwChanged) && report.changed++ === 0) report.first = { seq: e.seq, turn: e.turn, kind: e.kind }
      return copy
    }
    if (recompute(e)) return full(e as CheckpointEntry)
    if (Object.prototype.hasOwnProperty.call(e, 'state') && e.kind !== '@@end') state = e.state
    return e.kind === '@@replaceReducer' ? { ...e, hash: null } : e
  })
  /** A full state recomputed from the replayed state at that point. */
  function full<T extends { state?: unknown; hash?: string | null }>(e: T): T {
    const copy = { ...e, state: json(state), hash: hasher ? hasher.hash(state) : null }
    if (hasher ? copy.hash !== e.hash : JSON.stringify(copy.state) !== JSON.stringify(e.state)) report.fullStates++
    return copy
  }
  const out: RehashedRecording = { header, entries, warnings: [], rehash: report }
  if (rec.end) out.end = full(rec.end)
  else if (hasher && shrunkWithoutBaseline(header)) {
    // A log shrunk without a baseline (no hashes, no @@end by design) now has the reducer's hashes:
    // it ends with its final state and its header says it was rehashed, as one shrunk with a baseline.
    out.end = full({ kind: '@@end' as const, seq: (last?.seq ?? header.from_seq - 1) + 1, ts: last?.ts ?? header.ts, t: last?.t ?? 0, count: actions, dropped: 0, state: null, hash: null })
    out.header = { ...header, shrunk: { ...(header.shrunk as object), rehashed: true } }
  }
  // (Prefixed as `inspect` shows them: a `**` path in both lists is two paths.)
  const redacted = [...(header.redact?.state ?? []).map((p) => redactPathUnder('state', p)), ...(header.redact?.actions ?? []).map((p) => redactPathUnder('action', p))]
  if (redacted.length > 0) {
    report.warnings.push(`The log is redacted (${redacted.join(', ')}): the reducer received "[redacted]" in place of those values, so the new hashes are what it makes of that placeholder, as every replay of this log will be.`)
  }
  if (result.lossy.length > 0 || rec.entries.some((e) => isActionEntry(e) && e.omitted)) {
    report.warnings.push('Some actions or states hold values in another form, or lost them (lossy, omitted): the new hashes are what the reducer makes of the recorded forms.')
  }
  if (rec.entries.some((e) => e.kind === '@@replaceReducer')) report.warnings.push('The hashes at @@replaceReducer entries are left out (null): rehashing cannot recompute them.')
  return out
}
