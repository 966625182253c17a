// The model behind the replay timeline: a log replayed into a reducer in slices (the page never
// waits on more than a few milliseconds of replay at a time). Only some states are kept (see
// ./states); the others are rebuilt from the nearest one when the panel steps to them. After a
// divergence, replay goes on from the replayed state to the end of the log, so every step can be
// seen.
import type { Reducer } from 'redux'
import { formatDivergence, replayStream, stateHash, type ReplayResult } from './deps'
import { INCOMPLETE, isRebaseCheckpoint } from '../format/types'
import { isEndLine, isSnapshotCheckpoint, openEndNote, pageLeftNote, snapshotNote, startNote } from '../internal/openEnd'
import { lineSeq } from '../internal/lineSeq'
import { cutFileWarnings, cutGzipNote } from '../internal/gzipCut'
import { createStateStore, type StateStore } from './states'
import type { ReplayStep } from '../replay/types'
import type { ReplayAdapter } from '../replay/adapters'
import type { ActionEntry } from 'redux-flight-recorder'

/** A step of the timeline: replay's step without its state (kept for some steps only, see ./states). */
export interface TimelineStep extends Omit<ReplayStep, 'state'> {
  /** The step comes after the divergence: replay went on from the replayed state, not the recorded one. */
  afterDivergence: boolean
  /**
   * The step was not replayed: entries before it are missing (a gap, an action too large to
   * record) and replay resumes at the next full state, which had not come yet. Listed, not checked.
   */
  notReplayed?: boolean
  /** The reducer threw at this action when recorded (the entry's `threw`), as `Name: message`. */
  recordedThrow?: string
  /** The reducer threw at this action on replay (the state stayed as it was), as `Name: message`. */
  replayThrow?: string
  /**
   * Replay stopped at this action without running it (the divergence: the log could not carry
   * values it needs, an adapter threw): why. The state stays as it was.
   */
  stopped?: string
}

export interface Timeline {
  /** Where the log came from: a file name, a stored session, this tab. */
  source: string
  /** The log as JSONL. */
  text: string
  /** How it ended, as the panel was told (kept for a replay against another reducer). */
  ending: LogEnding | undefined
  result: ReplayResult
  steps: TimelineStep[]
  /** The states before and after each step, rebuilt on demand from the nearest kept state. */
  states: StateStore
  /** Index in `steps` of the step the divergence is at (or the last step before the full state that differed), or -1. */
  divergenceIndex: number
  /** Steps the panel replayed on its own after the replayer stopped at the first full state after the divergence. */
  continued: number
  /** One line: verified, or where it diverged (and how far replay went on after it). */
  summary: string
  /**
   * How the summary is shown: `'ok'` verified in full, `'warn'` replayed without a divergence but
   * not fully verified (entries missing, steps without hashes, lossy values), `'bad'` diverged or stopped.
   */
  verdict: 'ok' | 'warn' | 'bad'
  /** `formatDivergence`'s report when replay did not reach the recorded states. */
  report: string | null
  /** Every action type, in order of first appearance. */
  kinds: string[]
}

/**
 * How a log without `@@end` came to end where it does, when the panel knows: `'snapshot'`, a
 * snapshot of this tab's running recorder ("Replay this tab's session"); `'pagehide'`, a stored
 * session whose page was left (a reload, a closed tab) with what it had recorded stored;
 * `'gzip-cut-off'`, a .gz file whose compressed data ends early (a truncated file: what it holds
 * was read, see ./gzip.ts `logText`).
 */
export type LogEnding = 'snapshot' | 'pagehide' | 'gzip-cut-off'

/** Gives the page a turn (a task boundary) between slices of replay. */
export type Yield = () => Promise<void>

/** How long one slice of replay may hold the main thread. */
const SLICE_MS = 6

/** Checkpoint reasons after which the recorded state replaces the replayed one (as the replayer does). */

/**
 * Replays `text` into `reducer`, yielding to the page every few milliseconds. Resolves to
 * `undefined` when `cancelled()` became true meanwhile.
 */
export async function buildTimeline(source: string, text: string, reducer: Reducer, pause: Yield, cancelled: () => boolean, ending?: LogEnding, adapters?: ReplayAdapter[]): Promise<Timeline | undefined> {
  const steps: TimelineStep[] = []
  const states = createStateStore(reducer)
  let stop = false
  /** Where the next unread line starts. */
  let pos = 0
  let slice = performance.now()
  /** Yields to the page once the slice is used up; false when the load was cancelled meanwhile. */
  async function breathe(): Promise<boolean> {
    if (performance.now() - slice <= SLICE_MS) return true
    await pause()
    slice = performance.now()
    if (cancelled()) stop = true
    return !stop
  }
  function nextLine(): string | undefined {
    while (pos < text.length) {
      let nl = text.indexOf('\n', pos)
      if (nl === -1) nl = text.length
      const line = text.slice(pos, nl)
      pos = nl + 1
      if (line.trim() !== '') return line
    }
    return undefined
  }
  // The lines given to the replayer since its last step: the actions among them that it did not
  // step through (after a gap it waits for the next full state) are listed as not replayed.
  let since: string[] = []
  async function* lines() {
    for (let line = nextLine(); line !== undefined; line = nextLine()) {
      since.push(line)
      yield line
      if (!(await breathe())) return
    }
  }
  /** Lists the actions among `since` before `seq` that the replayer did not step through. */
  function notReplayed(seq: number) {
    const last = steps.length > 0 ? steps[steps.length - 1].seq : -Infinity
    for (const line of since) {
      const at = lineSeq(line)
      if (at === undefined || at <= last || at >= seq || /"kind":"@@(?:checkpoint|end|lifecycle)"/.test(line.slice(0, 200))) continue
      let entry: Record<string, unknown>
      try {
        entry = JSON.parse(line) as Record<string, unknown>
      } catch {
        continue
      }
      if (entry === null || typeof entry !== 'object' || !Object.prototype.hasOwnProperty.call(entry, 'action')) continue
      steps.push({ seq: at, turn: typeof entry.turn === 'string' ? entry.turn : null, kind: String(entry.kind), action: entry.action, skipped: true, expectedHash: typeof entry.hash === 'string' ? entry.hash : null, actualHash: null, matched: null, afterDivergence: false, notReplayed: true })
      // The state stays as it was (the header's, before any step).
      states.notReplayed(entry.action, steps.length > 1 ? states.lastState() : (JSON.parse(head) as { state?: unknown }).state)
    }
    since = []
  }

  // After the divergence the replayer stops hashing; where the log was hashed with fr64 and no
  // state paths were redacted, the panel hashes the replayed states itself. The header is the first
  // line (a key written inside the state would be escaped, so it cannot match here).
  const head = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'))
  const hashAfter = /"hash_alg":"fr64"/.test(head) && /"redact":\{"state":\[\]/.test(head) ? (state: unknown) => stateHash(state) : null
  let diverged = false
  const result = await replayStream(lines(), {
    reducer: states.reducer,
    input: 'lines',
    adapters,
    onStep: (s) => {
      // Its reducer threw on replay (the replayer went on as recorded): the state stayed as it was.
      const thrown = states.threw()
      let entry: string | undefined
      for (let k = since.length - 1; k >= 0 && entry === undefined; k--) if (lineSeq(since[k]) === s.seq) entry = since[k]
      if (since.length > 1) notReplayed(s.seq)
      since = []
      let matched = s.matched
      let actual = s.actualHash
      if (diverged && matched === null && s.expectedHash !== null && hashAfter) {
        actual = hashAfter(s.state)
        matched = actual === s.expectedHash
      }
      steps.push({ seq: s.seq, turn: s.turn, kind: s.kind, action: s.action, skipped: s.skipped, expectedHash: s.expectedHash, actualHash: actual, matched, afterDivergence: diverged, ...throws(entry, thrown) })
      // (A step whose reducer threw is noted as skipped: the state stays, and is never rebuilt by running it.)
      states.step(s.skipped || thrown !== undefined, s.action, s.state)
      if (s.matched === false) diverged = true
    },
  })
  if (stop || cancelled()) return undefined
  const header = result.header
  states.start(header.state)
  // Actions after the last step that replay did not reach (no full state after a gap to resume from).
  if (!result.divergence && !result.stopped) notReplayed(Infinity)
  // Replay stopped at an action without a step for it (it did not dispatch it, or its reducer
  // threw): listed all the same, as the divergence, with the state it had before.
  const d = result.divergence
  if (d && d.action !== null && !(steps.length > 0 && steps[steps.length - 1].seq >= d.seq)) {
    let state = states.lastState()
    if (d.reason === 'hash-threw') {
      try {
        state = states.reducer(state, d.action as never)
      } catch {}
    }
    const why = d.reason === 'reducer-threw' ? undefined : d.reason === 'hash-threw' ? 'the replayed state could not be hashed' : `${REASONS[d.reason] ?? d.reason}, so replay did not run it`
    steps.push({ seq: d.seq, turn: d.turn, kind: d.kind, action: d.action, skipped: d.reason !== 'reducer-threw' && d.reason !== 'hash-threw', expectedHash: d.expectedHash, actualHash: d.actualHash, matched: false, afterDivergence: false, ...(d.reason === 'reducer-threw' ? { replayThrow: errorText(d.error) } : { stopped: why }) })
    if (d.reason === 'hash-threw') states.stepFrom(states.lastState(), d.action, state)
    else states.notReplayed(d.action, state)
  }

  // The replayer stops at the first full state after a divergence: the panel goes on from the
  // replayed state to the end of the log.
  let continued = 0
  let endNote: string | null = null
  if (result.divergence && steps.length > 0) {
    const from = steps.length
    let state = states.lastState()
    for (let line = nextLine(); line !== undefined; line = nextLine()) {
      let entry: Record<string, unknown>
      try {
        entry = JSON.parse(line) as Record<string, unknown>
      } catch {
        endNote = `a line after seq ${steps[steps.length - 1].seq} is not JSON`
        break
      }
      if (entry === null || typeof entry !== 'object' || typeof entry.seq !== 'number') continue
      const seq = entry.seq
      if (seq <= steps[steps.length - 1].seq) continue
      const kind = String(entry.kind)
      if (Object.prototype.hasOwnProperty.call(entry, 'action')) {
        const before = state
        const turn = typeof entry.turn === 'string' ? entry.turn : null
        const expected = typeof entry.hash === 'string' ? entry.hash : null
        // The app's adapters revive what the log could not carry (a redux-persist PERSIST), as in replay.
        let action: unknown = entry.action
        try {
          for (const adapter of adapters ?? []) {
            const revived = adapter.revive(entry as unknown as ActionEntry)
            if (revived !== undefined) {
              action = revived
              break
            }
          }
        } catch (error) {
          endNote = `an adapter threw at seq ${seq} (${errorText(error)})`
          break
        }
        let thrown: { error: unknown } | undefined
        try {
          if (action !== null) state = states.reducer(state, action as never)
        } catch (error) {
          thrown = { error }
        }
        const recorded = throws(line, undefined).recordedThrow
        if (thrown || action === null) {
          // Redux keeps the state a throwing reducer had; a step that threw as recorded goes on from it.
          steps.push({ seq, turn, kind, action: action ?? entry.action, skipped: action === null, expectedHash: expected, actualHash: null, matched: null, afterDivergence: true, ...throws(line, thrown) })
          states.notReplayed(action ?? entry.action, state)
          if (thrown && recorded === undefined) {
            endNote = `the reducer threw at seq ${seq} (${errorText(thrown.error)})`
            break
          }
        } else {
          const actual = expected !== null && hashAfter ? hashAfter(state) : null
          steps.push({ seq, turn, kind, action, skipped: false, expectedHash: expected, actualHash: actual, matched: actual === null ? null : actual === expected, afterDivergence: true, ...throws(line, undefined) })
          states.stepFrom(before, action, state)
        }
      } else if (kind === '@@replaceReducer') {
        endNote = `the app replaced its reducer at seq ${seq}`
        break
      } else if ((kind === '@@lifecycle' && 'state' in entry) || (kind === '@@checkpoint' && isRebaseCheckpoint(entry.reason))) {
        // The live state changed without an action (a DevTools jump, a resume): so does the replay's.
        if (typeof entry.unwritable === 'string') {
          endNote = `the state at seq ${seq} could not be written when recording`
          break
        }
        state = entry.state
      }
      if (!(await breathe())) return undefined
    }
    continued = steps.length - from
  }
  if (stop || cancelled()) return undefined

  const kinds = [...new Set(steps.map((s) => s.kind))]
  let divergenceIndex = -1
  if (d) {
    divergenceIndex = steps.findIndex((s) => s.seq >= d.seq)
    if (divergenceIndex === -1 || steps[divergenceIndex].seq > d.seq) divergenceIndex = (divergenceIndex === -1 ? steps.length : divergenceIndex) - 1
  }
  // Entries lost (a gap, @@dropped, a cut last line) and a log that ends without @@end (a tab
  // closed before its last batch reached the collector) are said, not only shown as fewer steps.
  // A .gz file cut off: its cut last line is said of the file, as `verify` says it.
  if (ending === 'gzip-cut-off') result.warnings = cutFileWarnings(result.warnings, source)
  const incomplete = result.warnings.filter((w) => INCOMPLETE.test(w))
  // A log without actions (this tab before its first dispatch) verifies nothing: not a ✓.
  const verdict = !result.ok ? 'bad' : result.verified && incomplete.length === 0 && steps.length > 0 ? 'ok' : 'warn'
  const unreplayed = steps.filter((s) => s.notReplayed).length
  let summary = steps.length === 0 && result.ok ? '⚠ Nothing to verify yet: the log has no actions to replay.' : summarize(result, steps.length - continued - unreplayed, steps.filter((s) => !s.afterDivergence && s.matched === true).length, verdict)
  const tail = text.trimEnd()
  const nl = tail.lastIndexOf('\n')
  const before = tail.slice(tail.lastIndexOf('\n', nl - 1) + 1, Math.max(nl, 0))
  const openEnd = result.header.meta?.source === 'redux-devtools' ? undefined : endingNote(source, before, tail.slice(nl + 1), result.warnings, ending, incomplete.length > 0, (result.header as { sink?: unknown }).sink === undefined)
  summary += threwNote(steps)
  // A log that starts after its session did (a trimmed buffer, a rotated file): said as `verify` says it.
  const start = startNote(result.header)
  if (start) summary += ` ${start[0].toUpperCase()}${start.slice(1)}.`
  if (incomplete.length > 0) summary += ` Incomplete: ${incomplete.join(' ')}`
  if (unreplayed > 0) summary += ` The timeline lists the ${unreplayed === 1 ? 'step' : `${unreplayed} steps`} after missing entries that replay did not reach, not checked.`
  if (openEnd) summary += ` ${openEnd}`
  if (d) {
    const again = steps.slice(divergenceIndex + 1).filter((s) => s.matched === true).length
    summary +=
      continued > 0 || divergenceIndex < steps.length - 1
        ? ` The timeline goes on from the replayed state to ${endNote ? `seq ${steps[steps.length - 1].seq}, where ${endNote}` : 'the end of the log'}: ${steps.length - 1 - divergenceIndex} ${steps.length - 1 - divergenceIndex === 1 ? 'step' : 'steps'} after the divergence${hashAfter ? `, ${again} of them hashing as recorded` : ''}.`
        : ''
  }
  return {
    source,
    text,
    ending,
    result,
    steps,
    states,
    divergenceIndex,
    continued,
    summary,
    verdict,
    report: result.ok ? null : formatDivergence(result),
    kinds,
  }
}

/**
 * The timeline's one-line verdict. `hashed` is the steps whose own hash matched; the replayer's
 * `checked` counts those and the full states it compared (checkpoints, `@@end`; a
 * `@@replaceReducer`'s hash too), so the two counts are said apart.
 */
function summarize(result: ReplayResult, steps: number, hashed: number, verdict: 'ok' | 'warn' | 'bad'): string {
  const d = result.divergence
  if (d) return `✗ Diverged at seq ${d.seq} (${d.kind}, turn ${d.turn ?? '–'}): ${REASONS[d.reason] ?? d.reason}.`
  if (result.stopped) return `✗ Replay stopped at seq ${result.stopped.seq}: ${result.stopped.reason}`
  // Not a success: said as a warning (⚠, and in words), not with the verified log's ✓.
  if (!result.verified && hashed > 0) return `⚠ Not fully verified: replayed ${steps} steps, ${hashed} of them matching their recorded state hash.`
  if (!result.verified) return `⚠ Not verified: replayed ${steps} steps; the log has no hashes to check.`
  if (verdict === 'warn') return `⚠ Not fully verified: replayed ${steps} steps, each matching its recorded state hash, but entries are missing.`
  const full = result.checked - hashed
  const each = hashed === steps ? 'each matching its recorded state hash' : `${hashed} of them matching their recorded state hash`
  return `✓ Verified: ${steps} steps replayed, ${each}${full > 0 ? `; ${full} full state${full === 1 ? '' : 's'} (checkpoints, @@end) matched too` : ''}.`
}

/**
 * What the summary says of how the log ends, `undefined` for a log that ends with `@@end`. A log
 * whose last entry is the recorder's `'snapshot'` checkpoint (`toJSONL`/`snapshot` with the final
 * state: a "Report a problem" file, a download) or that the panel read from this tab's running
 * recorder is a snapshot of a running session, not a log cut short; a stored session whose page
 * was left ended there; a .gz file cut off is said to be (`cutGzipNote`, in `verify`'s words). Any
 * other log without `@@end` gets the readers' own note (`openEndNote`).
 */
function endingNote(source: string, before: string, last: string, warnings: readonly string[], ending: LogEnding | undefined, incomplete: boolean, buffer: boolean): string | undefined {
  const whole = warnings.some((w) => w.includes('; it was left out')) ? before : last
  if (isEndLine(whole)) return undefined
  const seq = lineSeq(whole)
  const upTo = seq === undefined ? 'the header' : `seq ${seq}`
  if (ending === 'gzip-cut-off') return cutGzipNote(source, seq)
  // (A sink's log that ends with one is a session that stopped after a snapshot: `openEndNote`.)
  if (ending === 'snapshot' || (buffer && isSnapshotCheckpoint(whole))) return snapshotNote(seq)
  if (ending === 'pagehide') {
    return pageLeftNote(upTo, incomplete ? 'entries pending then were not all stored (above).' : undefined)
  }
  return openEndNote(before, last, warnings, buffer)
}


/** What a step's log line and its replay say of a throwing reducer (`TimelineStep`'s `recordedThrow`, `replayThrow`). */
function throws(line: string | undefined, thrown: { error: unknown } | undefined): Pick<TimelineStep, 'recordedThrow' | 'replayThrow'> {
  const out: Pick<TimelineStep, 'recordedThrow' | 'replayThrow'> = {}
  if (thrown) out.replayThrow = errorText(thrown.error)
  if (line?.includes('"threw"')) {
    try {
      const threw = (JSON.parse(line) as { threw?: { name?: unknown; message?: unknown } }).threw
      if (threw && typeof threw.name === 'string') out.recordedThrow = typeof threw.message === 'string' && threw.message !== '' ? `${threw.name}: ${threw.message}` : threw.name
    } catch {}
  }
  return out
}

/** `Name: message` of what was thrown. */
function errorText(error: unknown): string {
  try {
    const e = error as { name?: unknown; message?: unknown }
    return typeof e?.message === 'string' ? `${typeof e.name === 'string' ? e.name : 'Error'}: ${e.message}` : String(error)
  } catch {
    return 'an error'
  }
}

/** What the summary says of the steps whose reducer threw when recorded (a crash the log holds). */
function threwNote(steps: TimelineStep[]): string {
  const crashed = steps.filter((s) => s.recordedThrow !== undefined)
  if (crashed.length === 0) return ''
  const again = crashed.filter((s) => s.replayThrow !== undefined).length
  if (crashed.length === 1) {
    const s = crashed[0]
    return ` The reducer threw at seq ${s.seq} (${s.kind}) when recorded: ${s.recordedThrow}; replayed, it ${again ? 'threw again and the state stayed as it was, as recorded' : 'did not throw'}.`
  }
  return ` The reducer threw at ${crashed.length} steps when recorded (seq ${crashed.map((s) => s.seq).join(', ')}); replayed, it threw again at ${again === crashed.length ? 'each' : `${again} of them`}.`
}

const REASONS: Record<string, string> = {
  'hash-mismatch': 'the replayed state hashes differently',
  'state-mismatch': 'a recorded full state differs',
  'reducer-threw': 'the reducer threw',
  'non-recordable': 'an action was not recorded in full',
  'adapter-threw': 'an adapter threw',
  'hash-threw': 'hashing the state threw',
}
