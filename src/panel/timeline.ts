// The model behind the replay timeline: a log replayed into a reducer in slices (the page never
// waits on more than a few milliseconds of replay at a time), each step kept with its state so the
// panel can move back and forth without replaying again.
import type { Reducer } from 'redux'
import { formatDivergence, replayStream, type ReplayResult } from './deps'

export interface TimelineStep {
  seq: number
  turn: string | null
  kind: string
  action: unknown
  expectedHash: string | null
  actualHash: string | null
  /** `true`/`false` when the hash was checked; `null` when it was not (no hash, or after a divergence). */
  matched: boolean | null
  state: unknown
}

export interface Timeline {
  /** Where the log came from: a file name, a stored session, this tab. */
  source: string
  /** The log as JSONL. */
  text: string
  result: ReplayResult
  /** The state replay started from. */
  start: unknown
  steps: TimelineStep[]
  /** Index in `steps` of the first step whose hash differs, or -1. */
  divergenceIndex: number
  /** One line: verified, or where it diverged. */
  summary: string
  /** `formatDivergence`'s report when replay did not reach the recorded states. */
  report: string | null
  /** Every action type, in order of first appearance. */
  kinds: string[]
}

/** Gives the page a turn (a task boundary) between slices of replay. */
export type Yield = () => Promise<void>

/** How long one slice of replay may hold the main thread. */
const SLICE_MS = 8

/**
 * Replays `text` into `reducer`, yielding to the page every few milliseconds. Resolves to
 * `undefined` when `cancelled()` became true meanwhile.
 */
export async function buildTimeline(source: string, text: string, reducer: Reducer, pause: Yield, cancelled: () => boolean): Promise<Timeline | undefined> {
  const steps: TimelineStep[] = []
  let stop = false
  async function* lines() {
    let slice = performance.now()
    let at = 0
    while (at < text.length) {
      let nl = text.indexOf('\n', at)
      if (nl === -1) nl = text.length
      const line = text.slice(at, nl)
      at = nl + 1
      if (line !== '') yield line
      if (performance.now() - slice > SLICE_MS) {
        await pause()
        if (cancelled()) {
          stop = true
          return
        }
        slice = performance.now()
      }
    }
  }
  const result = await replayStream(lines(), {
    reducer,
    input: 'lines',
    onStep: (s) =>
      steps.push({ seq: s.seq, turn: s.turn, kind: s.kind, action: s.action, expectedHash: s.expectedHash, actualHash: s.actualHash, matched: s.matched, state: s.state }),
  })
  if (stop || cancelled()) return undefined
  const kinds = [...new Set(steps.map((s) => s.kind))]
  return {
    source,
    text,
    result,
    start: result.header.state,
    steps,
    divergenceIndex: steps.findIndex((s) => s.matched === false),
    summary: summarize(result, steps.length),
    report: result.ok ? null : formatDivergence(result),
    kinds,
  }
}

function summarize(result: ReplayResult, steps: number): string {
  const d = result.divergence
  if (d) return `✗ Diverged at seq ${d.seq} (${d.kind}, turn ${d.turn ?? '–'}): ${REASONS[d.reason] ?? d.reason}.`
  if (result.stopped) return `✗ Replay stopped at seq ${result.stopped.seq}: ${result.stopped.reason}`
  if (!result.verified) return `✓ Replayed ${steps} steps; the log has no hashes to check.`
  return `✓ Verified: ${steps} steps replayed, ${result.checked} state hashes matched the recording.`
}

const REASONS: Record<string, string> = {
  'hash-mismatch': 'the replayed state hashes differently',
  'state-mismatch': 'a recorded full state differs',
  'reducer-threw': 'the reducer threw',
  'non-recordable': 'an action was not recorded in full',
  'adapter-threw': 'an adapter threw',
  'hash-threw': 'hashing the state threw',
}
