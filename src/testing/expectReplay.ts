import { formatDivergence, replay, ReplayDivergenceError, type Recording, type ReplayOptions, type ReplayResult } from 'redux-flight-recorder'
import { replayFile } from 'redux-flight-recorder/node'

function check(result: ReplayResult, source: string): ReplayResult {
  if (result.ok) return result
  const d = result.divergence
  const code = d ? (d.error ? 'reducer-threw' : 'hash-mismatch') : 'replay-stopped'
  throw new ReplayDivergenceError(
    code,
    `[redux-flight-recorder] ${source} did not replay:\n${formatDivergence(result)}`,
    d?.seq ?? result.stopped?.seq ?? null,
    d?.turn ?? null,
  )
}

/**
 * Replays a recording (or JSONL text) and throws a `ReplayDivergenceError` whose message is the
 * divergence report when it does not reach the recorded states. Returns the result otherwise.
 *
 * @example
 * it('replays the checkout session', () => { expectReplay(log, { reducer }) })
 */
export function expectReplay(recording: Recording | string, options: ReplayOptions): ReplayResult {
  return check(replay(recording, options), 'The recording')
}

/** Like `expectReplay`, for a log file (streamed). */
export async function expectReplayFile(path: string, options: ReplayOptions): Promise<ReplayResult> {
  return check(await replayFile(path, options), `The log ${path}`)
}
