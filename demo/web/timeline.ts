// The model behind the panel's step-through timeline: a recording replayed with `onStep`, each step
// kept with its state so the panel can move back and forth without replaying again.
import type { Reducer } from '@reduxjs/toolkit'
import { type Recording } from 'redux-flight-recorder'
import { diffStates, formatDivergence, parseRecording, replay, type ReplayResult, type StateDifference } from 'redux-flight-recorder/replay'

export interface TimelineStep {
  seq: number
  turn: string | null
  kind: string
  expectedHash: string | null
  actualHash: string | null
  /** `true`/`false` when the hash was checked; `null` when it was not (no hash, or after a divergence). */
  matched: boolean | null
  state: unknown
}

export interface Timeline {
  /** Where the log came from: a file name, or a stored session. */
  source: string
  recording: Recording
  result: ReplayResult
  /** The state replay started from (the header's). */
  start: unknown
  steps: TimelineStep[]
  /** Index in `steps` of the first step whose hash differs, or -1. */
  divergenceIndex: number
  /** One line: verified, or where it diverged. */
  summary: string
  /** `formatDivergence`'s report when replay did not reach the recorded states. */
  report: string | null
  /** Where the recorded and replayed states differ, at the first full state after the divergence. */
  differences: string[]
  /** Which full state `differences` were taken at, in words; `null` when there is no diff. */
  diffAt: string | null
}

/** Reads a log (JSONL text or a `Recording`) and replays it into `reducer`, keeping every step. */
export function buildTimeline(source: string, input: string | Recording, reducer: Reducer): Timeline {
  const recording = typeof input === 'string' ? parseRecording(input, { strict: false }) : input
  const steps: TimelineStep[] = []
  const result = replay(recording, {
    reducer,
    onStep: (step) =>
      steps.push({
        seq: step.seq,
        turn: step.turn,
        kind: step.kind,
        expectedHash: step.expectedHash,
        actualHash: step.actualHash,
        matched: step.matched,
        state: step.state,
      }),
  })
  const divergenceIndex = steps.findIndex((s) => s.matched === false)
  return {
    source,
    recording,
    result,
    start: recording.header.state,
    steps,
    divergenceIndex,
    summary: summarize(result, steps.length),
    report: result.ok ? null : formatDivergence(result),
    differences: differencesOf(result),
    diffAt: diffAtOf(result),
  }
}

function differencesOf(result: ReplayResult): string[] {
  const diff = result.divergence?.diff
  if (!diff) return []
  // The app's own state; redux-undo's bookkeeping only when nothing else differs.
  const own = diff.filter((x) => !NOISE.test(x.path))
  return (own.length > 0 ? own : diff).slice(0, 3).map((x) => `${x.path}: recorded ${short(x.recorded)}, replayed ${short(x.replayed)}`)
}

function diffAtOf(result: ReplayResult): string | null {
  const d = result.divergence
  if (!d) return null
  if (!d.diff || d.diffAtSeq === null) return d.diffNote ?? 'The log holds no full state after the divergence to compare.'
  return `Replay went on to seq ${d.diffAtSeq}${d.diffAt ? ` (${d.diffAt})` : ''}, the first full state after it; there the states differ at:`
}

/** A value in one short line. */
export function short(value: unknown): string {
  if (value === undefined) return '(none)'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? text.slice(0, 57) + '…' : text
}

function summarize(result: ReplayResult, steps: number): string {
  const d = result.divergence
  if (d) return `✗ Diverged at seq ${d.seq} (${d.kind}, turn ${d.turn ?? '–'}): ${reasonText(d.reason)}.`
  if (result.stopped) return `✗ Replay stopped at seq ${result.stopped.seq}: ${result.stopped.reason}`
  if (!result.verified) return `✓ Replayed ${steps} steps; the log has no hashes to check.`
  return `✓ Verified: ${steps} steps replayed, ${result.checked} state hashes matched the recording.`
}

function reasonText(reason: string): string {
  switch (reason) {
    case 'hash-mismatch':
      return 'the replayed state hashes differently'
    case 'state-mismatch':
      return 'a recorded full state differs'
    case 'reducer-threw':
      return 'the reducer threw'
    default:
      return reason
  }
}

/** redux-undo's bookkeeping changes at every step; what a person wants to see is the rest. */
const NOISE = /^todos\.(past|future|_latestUnfiltered|group|index|limit)\b/

/** The key paths a step changed, against the previous step's state. */
export function changesAt(timeline: Timeline, index: number): StateDifference[] {
  const before = index === 0 ? timeline.start : timeline.steps[index - 1].state
  return diffStates(before, timeline.steps[index].state, 200)
    .filter((d) => !NOISE.test(d.path))
    .slice(0, 6)
}
