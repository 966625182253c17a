import type { Recording } from 'redux-flight-recorder'
import { ReplayDivergenceError } from '../errors'
import { encodeRecording, formatDivergence, rehashRecording, replay, type ReplayOptions, type ReplayResult } from 'redux-flight-recorder/replay'
import { loadRecording, replayFile } from 'redux-flight-recorder/node'
import { writeLogFile } from '../internal/gzipFile'
import { INCOMPLETE } from '../format/types'
import { allowLossyPath, describeLossy, isIgnored, shapePath } from '../lossy'
import { plural } from '../internal/plural'
import { FOREIGN_HINT, NO_LONGER_THROWS, REDACTED_DECIDES, REDACTED_MAY_BE_WHY, REDACTED_REHASH_HINT, REHASH_HINT, THREW_AS_RECORDED, TOO_LARGE_WHEN_RECORDED } from '../replay/hints'
import { attachResult } from '../internal/attachResult'
import { shrunkWithoutBaseline } from '../internal/shrunk'

/** A log's path in a command line to copy. */
const shellWord = (file: string): string => (/^[\w./@+-]+$/.test(file) ? file : JSON.stringify(file))

/** What to do about steps that were not hash-checked, by what the replay's warnings say caused them. */
function unverifiedAdvice(result: ReplayResult): string {
  if (result.header.hash_alg !== 'none' && result.warnings.some((w) => w.includes(TOO_LARGE_WHEN_RECORDED))) {
    return 'An action too large to log (see the warnings) leaves the steps after it unchecked up to the next full state: raise `maxEntryBytes` when recording, keep such payloads out of actions (or redact them), or pass `allowUnverified: true`.'
  }
  if (result.header.hash_alg === 'fr64' && result.warnings.length > 0) return 'The warnings say which steps and why; pass `allowUnverified: true` to accept that.'
  return 'Record with the default `hash`, or pass `allowUnverified: true`.'
}

export interface ExpectReplayOptions<S = any> extends ReplayOptions<S> {
  /**
   * Accept a replay in which some steps could not be hash-checked (a log recorded with
   * `hash: false`, or hashed by a function this replay does not have), or a log with no action
   * at all. Off by default: such a test passes whatever the reducer does at those steps.
   * @default false
   */
  allowUnverified?: boolean
  /**
   * Accept a log with entries missing (a seq gap, `@@dropped`) or a last line cut short: the
   * steps lost there were not checked.
   * @default false
   */
  allowIncomplete?: boolean
  /**
   * Accept a log holding values in another form than the app had them (a `Date` as its ISO
   * string, a `Map` as `{}`: see `lossy` in docs/FORMAT.md): `true`, or the paths to accept
   * (`'payload.at'`, `'state.tags'`); a path covers what is below it, and `*` stands for any one
   * key or index (`'state.items.*.at'`), as in `lossy.ignoredPaths`.
   * @default false
   */
  allowLossy?: boolean | string[]
}

/** Why a replay does not pass a test, or `null` when it does. */
/**
 * Why a replay does not pass a test, or `null` when it does. `file`: the log file replayed, named in
 * the report's update hint; without it the recording was held in memory, which `-u` cannot update.
 */
export function replayFailure(result: ReplayResult, options: boolean | Pick<ExpectReplayOptions, 'allowUnverified' | 'allowIncomplete' | 'allowLossy'> = {}, file?: string): { code: string; report: string } | null {
  const o = typeof options === 'boolean' ? { allowUnverified: options } : (options ?? {})
  const warnings = result.warnings.length > 0 ? `\n  warnings:\n${result.warnings.map((w) => `    - ${w}`).join('\n')}` : ''
  if (!result.ok) {
    let hint =
      file === undefined
        ? '  if the reducer changed on purpose, record the session again, or update the log this recording was read from: flight-recorder rehash <log> --store <module> --in-place (expectReplayFile and replaySuite update their log files with -u)'
        : REHASH_HINT.replace('<log>', shellWord(file))
    // A divergence with a hint (the test's setup, redaction, an adapter), or a crash no longer made
    // where replay dispatched "[redacted]": -u does not update such a log (see `updateRefusal`).
    if (updateRefusal(result) !== undefined) hint = hint.replace(', or run the tests with -u', '').replace(' (expectReplayFile and replaySuite update their log files with -u)', '')
    const report = formatDivergence(result).replace(REHASH_HINT, hint)
    return { code: result.divergence ? result.divergence.reason : 'replay-stopped', report: (file === undefined ? report : report.replace(REDACTED_REHASH_HINT, REDACTED_REHASH_HINT.replace('<log>', shellWord(file)))) + warnings }
  }
  const incomplete = result.warnings.filter((w) => INCOMPLETE.test(w))
  if (!o.allowIncomplete && incomplete.length > 0) {
    return {
      code: 'incomplete',
      report: `The log is incomplete, so the steps lost there were not checked: ${incomplete.join(' ')} Pass \`allowIncomplete: true\` to accept it.` + warnings,
    }
  }
  // A whole log with no action in it (a header, a checkpoint) would pass any reducer: it tests nothing.
  if (!o.allowUnverified && result.steps + result.skipped === 0 && incomplete.length === 0) {
    return { code: 'unverified', report: 'The log has no actions to replay, so it checks nothing about the reducer. Record a session with actions, or pass `allowUnverified: true`.' + warnings }
  }
  if (!o.allowUnverified && !result.verified && result.steps + result.skipped > 0 && (o.allowIncomplete !== true || incomplete.length === 0)) {
    const none = result.checked === 0
    // A log `shrink` wrote without a baseline: recording with `hash` is not the remedy, the fixed reducer's hashes are.
    const shrunk = none && result.header.hash_alg === 'fr64' && shrunkWithoutBaseline(result.header)
    return {
      code: 'unverified',
      report:
        (none
          ? `The log replayed ${plural(result.steps, 'step')} but nothing could be compared: ${shrunk ? 'it was shrunk without `--baseline`, so it has no state hashes' : `it has no state hashes${result.header.hash_alg !== 'none' && result.header.hash_alg !== 'fr64' ? ` this replay can compute (pass \`hash\` for '${result.header.hash_alg}')` : ''}`} and no checkpoint or @@end. `
          : `The log replayed ${plural(result.steps, 'step')} but not every step was hash-checked (${plural(result.checked, 'check')}${result.header.hash_alg === 'none' ? ', the log was recorded with `hash: false`' : ''}). `) +
        (shrunk
          ? `Give it the fixed reducer's hashes: flight-recorder rehash ${file === undefined ? '<log>' : shellWord(file)} --store <module> --in-place; or pass \`allowUnverified: true\` to check only that it replays without throwing.`
          : unverifiedAdvice(result)) +
        warnings,
    }
  }
  const allowed = o.allowLossy
  // The paths as `lossy.ignoredPaths` reads them: a path covers what is below it, `*` any one key or index.
  const lossy = allowed === true ? [] : result.lossy.filter((l) => !(Array.isArray(allowed) && isIgnored(allowLossyPath(l), allowed)))
  if (lossy.length > 0) {
    const seen = new Set<string>()
    const lines: string[] = []
    for (const l of lossy) {
      const text = describeLossy(l, l.where)
      if (!seen.has(text)) lines.push(`    - ${text} (seq ${l.seq})`)
      seen.add(text)
    }
    // The paths to pass, as allowLossy reads them (state paths start with `state.`; indexes as `*`).
    const paths = [...new Set(lossy.map((l) => shapePath(allowLossyPath(l))))]
    const shown = paths.slice(0, 8).map((p) => `'${p.replace(/['\\]/g, '\\$&')}'`)
    return {
      code: 'lossy',
      report:
        `The log holds values in another form than the app had them, so the replay checked those forms, not the values:\n${lines.join('\n')}\n` +
        `Keep such values out of actions and state, or accept them: \`allowLossy: [${shown.join(', ')}${paths.length > shown.length ? ', …' : ''}]\` (or \`allowLossy: true\`).`,
    }
  }
  return null
}

function check<S>(result: ReplayResult<S>, source: string, options: ExpectReplayOptions<S>, note = '', file?: string): ReplayResult<S> {
  const failure = replayFailure(result, options, file)
  if (!failure) {
    // Passing, with a recorded crash the reducer still makes (the log reproduces it), or one it no
    // longer makes while the log still expects it: said, not silent, with why -u left the log as it
    // was (`note`: -u only comes here passing for such a crash).
    const crashes = result.warnings.filter((w) => w.includes(THREW_AS_RECORDED) || w.includes(NO_LONGER_THROWS))
    if (crashes.length > 0) console.warn(`[redux-flight-recorder] ${source} replayed as recorded, crash included:\n${crashes.map((w) => `  - ${w}`).join('\n')}${note}`)
    return result
  }
  const d = result.divergence
  const error = new ReplayDivergenceError(
    failure.code,
    // (A log that replayed as recorded but is not accepted as it is — incomplete, not every step
    // checked, lossy values — is not said to have failed to replay.)
    `[redux-flight-recorder] ${source} ${failure.code === 'incomplete' || failure.code === 'unverified' || failure.code === 'lossy' ? 'replayed, but is not accepted as it is' : 'did not replay'}:\n${failure.report}${note}`,
    d?.seq ?? result.stopped?.seq ?? null,
    d?.turn ?? null,
  )
  // The whole result, for tests that look further (`error.result.divergence.diff`).
  attachResult(error, result)
  throw error
}

/**
 * Replays a recording (or JSONL text) and throws a `ReplayDivergenceError` whose message is the
 * divergence report when it does not reach the recorded states. Returns the result otherwise.
 *
 * @example
 * it('replays the checkout session', () => { expectReplay(log, { reducer }) })
 */
export function expectReplay<S = any>(recording: Recording | string, options: ExpectReplayOptions<S>): ReplayResult<S> {
  notAPath(recording, 'expectReplay')
  return check(replay(recording, options), 'The recording', options ?? {})
}

/** A file name given where the log's text goes reads as "Line 1 … not JSON": say what to call instead. */
export function notAPath(recording: unknown, caller: string): void {
  if (typeof recording === 'string' && !recording.includes('\n') && /\.(jsonl|ndjson|json|log)\s*$/i.test(recording) && !recording.trimStart().startsWith('{')) {
    throw new TypeError(`[redux-flight-recorder] \`${caller}\` takes a log's text or a Recording, and received what looks like a file name (${JSON.stringify(recording.slice(0, 200))}). For a file, use \`expectReplayFile(path, options)\`, or read it first.`)
  }
}

/**
 * Why `-u` leaves a log as it was: `kind` chooses the advice that follows it in the report
 * (`rehashAdvice`), `text` is what the report says.
 */
export interface UpdateRefusal {
  /**
   * `foreign-reducer`: the reducer keeps none of the log's state; `redacted-decides`: the step was
   * shown to depend on the action's redacted values; `hint`: the report's hint names another cause;
   * `redacted-replayed`: the diverging action had values the log redacts; `redacted-crash`: a
   * recorded crash no longer made where replay dispatched "[redacted]".
   */
  kind: 'foreign-reducer' | 'redacted-decides' | 'hint' | 'redacted-replayed' | 'redacted-crash'
  text: string
}

/**
 * Why `-u` leaves a log as it was where it would rewrite it, or `undefined` when it may: the
 * report's hint names another cause than a changed reducer (how the test builds its store, redacted
 * values, an adapter), the diverging action had values the log redacts (replay dispatched the
 * placeholder: the reducer's change cannot be told from it), or a step that threw when recorded no longer throws where replay dispatched
 * "[redacted]" for values of its action (the app's value may be what the reducer throws on). A
 * rewrite would write what that cause makes into the log (there: no crash at that step).
 */
export function updateRefusal(result: ReplayResult): UpdateRefusal | undefined {
  const hint = result.divergence?.hint
  // (A crash the reducer no longer makes, nothing of the action redacted: the hint itself says to
  // update the log if that is the fix.)
  // (Another app's reducer: rehash refuses it too, so the refusal names no rehash to run.)
  if (hint?.startsWith(FOREIGN_HINT)) return { kind: 'foreign-reducer', text: "the reducer keeps none of the log's state (the hint above): a rewrite would replace every state in it." }
  // (A step shown to depend on the action's redacted values: the report advises no update either.)
  if (hint?.includes(REDACTED_DECIDES)) {
    return {
      kind: 'redacted-decides',
      text: 'this step depends on values of its action that the log redacts (replay dispatched "[redacted]" there, and other texts in their place lead to another state: the hint above): a rewrite would write what the reducer makes of "[redacted]" into the log.',
    }
  }
  if (hint !== undefined && !(hint.includes(NO_LONGER_THROWS) && !hint.includes(REDACTED_MAY_BE_WHY))) return { kind: 'hint', text: 'the hint above names a cause other than a changed reducer.' }
  const redacted = result.divergence?.redacted
  if (redacted !== undefined && redacted.length > 0) {
    return {
      kind: 'redacted-replayed',
      text: `replay dispatched "[redacted]" for values of the diverging action (${redacted.slice(0, 3).join(', ')}${redacted.length > 3 ? ', …' : ''}), not what the app dispatched: the difference may come from that placeholder and not from a change of the reducer, and a rewrite would write what the reducer makes of it into the log.`,
    }
  }
  if (result.warnings.some((w) => w.includes(REDACTED_MAY_BE_WHY))) {
    return {
      kind: 'redacted-crash',
      text: `a step that threw when recorded no longer throws where replay dispatched "[redacted]" for values of its action (see the warnings above), not what the app dispatched: rewriting the log would drop that crash for the placeholder alone.`,
    }
  }
  return undefined
}

/**
 * What the report says after a refusal, for the log at `path`: the rehash to run if the reducer did
 * change on purpose, or nothing where rehash would refuse it too (another app's reducer) or the
 * report advises no update (a step shown to depend on redacted values).
 */
export function rehashAdvice(refusal: UpdateRefusal, path: string): string {
  const { kind } = refusal
  return kind === 'foreign-reducer' || kind === 'redacted-decides'
    ? ''
    : kind === 'redacted-replayed'
      ? ` If the reducer did change on purpose at this step (its effect above shows that change), update the log with flight-recorder rehash ${path} --store <module> --in-place: its states are then what the reducer makes of "[redacted]".`
      : ` If the reducer did change on purpose, update the log with flight-recorder rehash ${path} --store <module> --in-place.`
}

/**
 * Whether the test runner updates snapshots (`vitest -u`, `jest -u`): both keep the mode in
 * `expect.getState().snapshotState`, Vitest's `expect` under a global symbol, Jest's as `expect`.
 */
function updatingSnapshots(): boolean {
  const g = globalThis as Record<PropertyKey, any>
  const expect = g[Symbol.for('expect-global')] ?? g.expect
  return expect?.getState?.()?.snapshotState?._updateSnapshot === 'all'
}

/**
 * Like `expectReplay`, for a log file, read as a stream (bounded memory). When the test runner
 * updates snapshots (`vitest -u`, `jest -u`) and the replay reaches other states than the
 * recorded ones, the log is rewritten with the states the reducer gives now (as
 * `flight-recorder rehash` does) and the test passes, saying so on `console.warn`; not when the
 * report has a hint naming another cause (the test's store, redacted values, an adapter), nor at a
 * step whose action had values the log redacts (`divergence.redacted`), nor for a recorded crash that replay no longer makes where it dispatched "[redacted]" for the action's values.
 *
 * @example
 * it('replays the checkout session', () => expectReplayFile('test/sessions/checkout.jsonl', { reducer }))
 */
export async function expectReplayFile<S = any>(path: string, options: ExpectReplayOptions<S>): Promise<ReplayResult<S>> {
  const result = await replayFile(path, options)
  const reason = result.divergence?.reason
  // (Also a log that still expects a crash the reducer no longer makes, though nothing differs.)
  if ((reason === 'hash-mismatch' || reason === 'state-mismatch' || (result.ok && result.warnings.some((w) => w.includes(NO_LONGER_THROWS)))) && updatingSnapshots()) {
    // The report names another cause than a changed reducer (how the test builds its store, redacted
    // values, an adapter): rewriting the log would write what that cause makes into it.
    const refusal = updateRefusal(result)
    if (refusal !== undefined) {
      return check(result, `The log ${path}`, options ?? {}, `\nThe test runner updates snapshots, but the log was not updated: ${refusal.text}${rehashAdvice(refusal, path)}`, path)
    }
    let updated: ReturnType<typeof rehashRecording>
    try {
      updated = rehashRecording(await loadRecording(path, options.parse), options)
    } catch (error) {
      // A log with entries lost cannot be rewritten (`allowIncomplete` accepts it for replay only),
      // nor one whose every state another app's reducer would replace: the usual report, and why
      // the log stayed as it was.
      const code = (error as { code?: unknown } | null)?.code
      if (code !== 'incomplete' && code !== 'foreign-reducer') throw error
      return check(result, `The log ${path}`, options ?? {}, `\nThe test runner updates snapshots, but the log was not updated: ${String((error as Error).message).replace(/^\[redux-flight-recorder\] /, '')}`, path)
    }
    // Written only if the updated log passes as it is: one that is lossy, incomplete or has steps
    // unchecked, without the option that accepts it, left a changed file and a failing test.
    const again = replay(updated, options)
    if (replayFailure(again, options, path)) {
      return check(again, `The log ${path}`, options ?? {}, `\nThe test runner updates snapshots, but the log was not updated: updated, it would replay but not be accepted as it is (above).`, path)
    }
    writeLogFile(path, encodeRecording(updated))
    const { changed, steps, first } = updated.rehash
    console.warn(
      `[redux-flight-recorder] Updated ${path} (the test runner updates snapshots): ${changed} of ${steps} steps changed` +
        `${first ? `, the first at seq ${first.seq} (${first.kind})` : ''}.${updated.rehash.warnings.map((w) => `\n  ${w}`).join('')}`,
    )
    return check(again, `The updated log ${path}`, options ?? {}, '', path)
  }
  return check(result, `The log ${path}`, options ?? {}, '', path)
}
