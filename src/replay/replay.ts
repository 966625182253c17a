import type { EndEntry, Recording } from 'redux-flight-recorder'
import { LineParser, eachLine, parseText, type ParseOptions } from '../format/index.js'
import { describe } from '../internal/describe'
import { narrowedMutationNote } from './hints'
import { Replayer } from './replayer'
import { StoreTimers } from './timers'
import type { Divergence, ReplayOptions, ReplayResult } from './types'

function toRecording(input: Recording | string, parse: ParseOptions | undefined): Recording {
  if (typeof input === 'string') return parseText(input, { strict: false, ...parse }, true)
  if (typeof input !== 'object' || input === null || typeof input.header !== 'object' || input.header === null || !Array.isArray(input.entries)) {
    throw new TypeError(`[redux-flight-recorder] Expected a Recording or JSONL text to replay. Instead, received: ${describe(input)}.`)
  }
  return input
}

/**
 * Replays a log into a fresh store and checks every step's hash. Without `createStore` the
 * reducer runs alone (no middleware), so replay fires no side effects.
 *
 * JSONL text is read as `parseRecording` reads it (tolerant unless `parse.strict`), and a bad line
 * anywhere in it throws the same `RecordingFormatError`. Without callbacks (`onStep`, `createStore`,
 * adapters, …) the text is read as the replay goes, so the reducer may already have run on the steps
 * before a bad line; with them, the whole text is read before anything runs.
 *
 * The store `createStore` builds is replay's own: the timers it starts while replay runs (RTK
 * Query's middleware's `keepUnusedDataFor`, redux-persist's PERSIST `timeout`) are cleared when
 * replay returns, so none of them acts on it afterwards or keeps Node running. (`onStep`'s are the
 * caller's: left running.)
 *
 * Where the log's state changed without an action (a Redux DevTools jump, a checkpoint after
 * `resume()`, a new store), replay starts over from the state the log holds there, and with
 * `createStore` it does so by building a store from it: Redux's INIT action, which every store gets
 * when it is built, then reaches the reducer, where the recorded store's reducer got no action. A
 * reducer that changes the state on an action it does not know (a count of every action, the last
 * action's type) makes that state differ, and replay stops there; the report says so (its hint
 * names Redux's INIT). Replay such a log with `reducer`, which starts over from the state as it is.
 *
 * @example
 * const result = replay(text, { reducer })
 * if (!result.ok) console.log(formatDivergence(result))
 */
export function replay<S = any>(recording: Recording | string, options: ReplayOptions<S>): ReplayResult<S> {
  if (options?.createStore === undefined) return replayIn(recording, options)
  const timers = new StoreTimers()
  timers.enter()
  try {
    return replayIn(recording, timers.wrap(options))
  } finally {
    timers.end()
  }
}

function replayIn<S>(recording: Recording | string, options: ReplayOptions<S>): ReplayResult<S> {
  const replayer = new Replayer(options)
  let rec: Recording | undefined
  let result: ReplayResult
  if (typeof recording === 'string' && readsAsItGoes(options)) result = replayText(recording, replayer, options.parse)
  else {
    rec = toRecording(recording, options.parse)
    // The caller's own Recording: the states replay starts from are copied (not a text parsed here).
    replayer.copyStates = typeof recording !== 'string'
    replayer.warnings.push(...rec.warnings)
    replayer.begin(rec.header)
    for (const entry of rec.entries) if (!replayer.entry(entry)) break
    replayer.end(rec.end)
    result = replayer.result()
  }
  // (Text read as it went is parsed whole only for that second pass.)
  const d = result.divergence
  if (d?.mutatedInPlace !== undefined && d.mutatedInPlace.seq - d.mutatedInPlace.after > 1) narrowMutation(rec ?? toRecording(recording, options.parse), options, d)
  // The replayed state is what the reducer (or store) the options type as S gave.
  return result as ReplayResult<S>
}

/** Steps a second pass replays to find where a state was mutated in place, at most. */
const MAX_MUTATION_SEARCH = 2000

/**
 * A mutation found somewhere between two seqs (cached hashes hid it until a mismatch or a full
 * state): replays that stretch again from the Recording, hashing each step afresh, to name the step
 * that did it. Only where replaying twice has no effect outside: the reducer alone (no store, no
 * callbacks), an in-memory Recording, a stretch of at most MAX_MUTATION_SEARCH entries.
 */
function narrowMutation(rec: Recording, options: ReplayOptions, d: Divergence): void {
  const m = d.mutatedInPlace!
  if (!readsAsItGoes(options) || m.seq - m.after > MAX_MUTATION_SEARCH) return
  try {
    const again = new Replayer(options)
    again.copyStates = true
    again.findMutation = true
    again.begin(rec.header)
    for (const entry of rec.entries) if (entry.seq > m.seq || !again.entry(entry)) break
    const at = again.mutationAt
    if (at === undefined || at > m.seq || at <= m.after) return
    d.mutatedInPlace = { seq: at, after: at - 1 }
    d.stepNote = narrowedMutationNote(at, actionAt(rec, at), m)
  } catch {
    // a reducer that throws the second time: the report stays as it was
  }
}

function actionAt(rec: Recording, seq: number): string {
  const entry = rec.entries.find((e) => e.seq === seq)
  return entry !== undefined && typeof entry.kind === 'string' ? ` ('${entry.kind}')` : ''
}

/**
 * Whether `replay(text)` may read the text as it replays instead of parsing it all first. Nothing
 * user-visible runs before a bad line is found, other than the reducer (pure, as Redux requires),
 * when replay has no callbacks and no store of its own.
 */
function readsAsItGoes(o: ReplayOptions): boolean {
  return (
    o.createStore === undefined &&
    o.onStep === undefined &&
    o.onReplaceReducer === undefined &&
    o.adapters === undefined &&
    typeof o.onNonRecordable !== 'function' &&
    o.hash === undefined &&
    o.serializeState === undefined
  )
}

/**
 * `replay` of JSONL text, one line at a time: the same result (and the same errors) as parsing it
 * with `parseRecording` first, without holding every entry until the end. Every line is still read
 * (a bad line after the point where replay stopped throws, as `parseRecording` would), and an
 * error thrown by the replay itself is held back until the whole text is known to be readable.
 */
function replayText(text: string, replayer: Replayer, parse: ParseOptions | undefined): ReplayResult {
  const parser = new LineParser({ strict: false, ...parse })
  parser.fast = true
  let end: EndEntry | undefined
  let going = true
  let failed = false
  let failure: unknown
  eachLine(parser, text, (parsed) => {
    if (parsed.type === 'end') end = parsed.end
    else if (going) {
      try {
        if (parsed.type === 'entry') going = replayer.entry(parsed.entry)
        else replayer.begin(parsed.header)
      } catch (error) {
        failed = true
        failure = error
        going = false
      }
    }
  })
  parser.finish()
  if (failed) throw failure
  replayer.warnings.unshift(...parser.warnings)
  replayer.end(end)
  return replayer.result()
}
