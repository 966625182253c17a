import { ReplayDivergenceError, type Recording } from 'redux-flight-recorder'
import { formatDivergence, replay, type ReplayOptions, type ReplayResult } from 'redux-flight-recorder/replay'
import { replayFile } from 'redux-flight-recorder/node'

export interface ExpectReplayOptions extends ReplayOptions {
  /**
   * Accept a replay in which nothing could be compared (a log recorded with `hash: false` and
   * no checkpoint or `@@end`). Off by default: such a test would pass whatever the reducer does.
   * @default false
   */
  allowUnverified?: boolean
}

/** Why a replay does not pass a test, or `null` when it does. */
export function replayFailure(result: ReplayResult, allowUnverified = false): { code: string; report: string } | null {
  if (!result.ok) {
    return { code: result.divergence ? result.divergence.reason : 'replay-stopped', report: formatDivergence(result) }
  }
  if (!allowUnverified && result.checked === 0 && result.steps + result.skipped > 0) {
    return {
      code: 'unverified',
      report:
        `The log replayed ${result.steps} steps but nothing could be compared: it has no state hashes${result.header.hash_alg !== 'none' && result.header.hash_alg !== 'fr64' ? ` this replay can compute (pass \`hash\` for '${result.header.hash_alg}')` : ''} and no checkpoint or @@end. ` +
        'Record with the default `hash`, or pass `allowUnverified: true`.',
    }
  }
  return null
}

function check(result: ReplayResult, source: string, allowUnverified: boolean | undefined): ReplayResult {
  const failure = replayFailure(result, allowUnverified)
  if (!failure) return result
  const d = result.divergence
  const error = new ReplayDivergenceError(
    failure.code,
    `[redux-flight-recorder] ${source} did not replay:\n${failure.report}`,
    d?.seq ?? result.stopped?.seq ?? null,
    d?.turn ?? null,
  )
  // The whole result, for tests that look further (`error.result.divergence.diff`).
  Object.defineProperty(error, 'result', { value: result, enumerable: false, configurable: true, writable: true })
  throw error
}

/**
 * Replays a recording (or JSONL text) and throws a `ReplayDivergenceError` whose message is the
 * divergence report when it does not reach the recorded states. Returns the result otherwise.
 *
 * @example
 * it('replays the checkout session', () => { expectReplay(log, { reducer }) })
 */
export function expectReplay(recording: Recording | string, options: ExpectReplayOptions): ReplayResult {
  return check(replay(recording, options), 'The recording', options?.allowUnverified)
}

/**
 * Like `expectReplay`, for a log file, read as a stream (bounded memory).
 *
 * @example
 * it('replays the checkout session', () => expectReplayFile('test/sessions/checkout.jsonl', { reducer }))
 */
export async function expectReplayFile(path: string, options: ExpectReplayOptions): Promise<ReplayResult> {
  return check(await replayFile(path, options), `The log ${path}`, options?.allowUnverified)
}
