import { FlightRecorderError } from 'redux-flight-recorder'
import { formatDivergence, replayStream, type ReplayResult } from 'redux-flight-recorder/replay'
import { INCOMPLETE } from '../format/types'
import { cutGzipNote } from '../internal/gzipCut'
import { lineSeq } from '../internal/lineSeq'
import { isEndLine, openEndNote, startNote } from '../internal/openEnd'
import { shrunkWithoutBaseline } from '../internal/shrunk'
import { shortenLongStrings } from '../replay/diff'
import { TOO_LARGE_WHEN_RECORDED } from '../replay/hints'
import {
  CliError,
  checkGzipCut,
  EXIT_FAIL,
  EXIT_OK,
  display,
  existingFile,
  loadStoreModule,
  oneLine,
  parse,
  plural,
  fileLines,
  gzipReadError,
  notALog,
  rotatedContinuation,
  fillRehashLine,
  StatusBar,
  unusableLog,
  type Io,
} from './util'

export const VERIFY_HELP = `Usage: flight-recorder verify <log> --store <module> [--strict] [--no-progress] [--json]

Replays the log into a fresh store and checks every step's state hash. The store module is
JavaScript (ESM or CommonJS) and exports \`reducer\` (the root reducer: replay runs it alone, with
no middleware, so no side effects) or \`createStore(preloadedState)\`. It may also export
\`hash\` (for logs recorded with a custom hash such as sha256JsonHash), \`serializeState\`,
\`adapters\`, \`onNonRecordable\` and \`onReplaceReducer\`, passed to replay as they are.
A TypeScript module needs a loader: NODE_OPTIONS="--import tsx" flight-recorder verify …

Options:
  --store <module>  the module to replay into (required)
  --strict          also fail (exit 1) when some steps could not be verified (no hash, a gap,
                    a last line cut short) or the log holds lossy values
  --no-progress     no progress bar (it is only drawn on a terminal, for logs over 256 KB)
  --json            print the result as JSON (ok, counts, warnings, lossy values, the localized
                    divergence); \`ok\` is true exactly when the exit code is 0 (\`exitCode\`). Of the counts,
                    stepHashesChecked is the steps whose own hash was checked, fullStatesCompared
                    the full states (checkpoints, @@end) the whole replayed state was checked against
  -h, --help        show this help

Exit codes: 0 the replay reached every recorded state, 1 it diverged (the report says where
and what differs), 2 no such file, not a log, or an unusable store module.`

const PROGRESS_MIN_BYTES = 256 * 1024

/** A progress bar on stderr, only on a terminal: how much of the log has been replayed. */
export class ProgressBar extends StatusBar {
  constructor(
    io: Io,
    private readonly total: number,
    private readonly label: string,
  ) {
    super(io, 40)
  }

  update(done: number, steps: number, force = false): void {
    const ratio = this.total > 0 ? Math.min(1, done / this.total) : 1
    this.draw(ratio, ` ${String(Math.floor(ratio * 100)).padStart(3)}%  ${plural(steps, 'action')}  ${this.label}`, force)
  }
}

export async function verify(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    args,
    { store: { type: 'string' }, strict: { type: 'boolean' }, 'no-progress': { type: 'boolean' }, json: { type: 'boolean' } },
    VERIFY_HELP,
  )
  if (values.help) {
    io.out(VERIFY_HELP + '\n')
    return EXIT_OK
  }
  if (positionals.length !== 1) throw new CliError(`\`verify\` takes one log file.\n${VERIFY_HELP}`)
  const file = existingFile(positionals[0], io.cwd, 'log file')
  const shown = display(file.path, io.cwd)
  const store = await loadStoreModule(values.store, io.cwd, 'verify')
  const bar = io.tty && !values['no-progress'] && !values.json && file.size >= PROGRESS_MIN_BYTES ? new ProgressBar(io, file.size, shown) : undefined
  let bytes = 0
  let steps = 0
  // Steps whose own recorded hash was checked; the replayer's `checked` also counts the full
  // states it compared (checkpoints, `@@end`) and a `@@replaceReducer`'s hash.
  let stepHashes = 0
  let result: ReplayResult
  /** The log's last line: whether it is `@@end` says whether the recorder was closed. */
  let last = ''
  let before = ''
  /** What the log's first `@@error` of the recorder's hashing says (why steps carry no hash). */
  let hashFailed: string | undefined
  const source = fileLines(file.path, (n) => {
    bytes = n
    bar?.update(bytes, steps)
  })
  /** Whether the replay read the whole log (it stops at a divergence, e.g. a reducer that throws). */
  let readAll = false
  /** Whether something came after the last line read (the nothing after its newline): it was written whole. */
  let whole = true
  // The source is read with next(), not for await: when the replay stops early, ending this
  // generator leaves the source open, so the rest of the log can be read for its last line.
  async function* tracked(): AsyncGenerator<string> {
    for (;;) {
      const next = await source.next()
      if (next.done) {
        readAll = true
        return
      }
      const line = next.value
      if (line.trim() !== '') (before = last), (last = line), (whole = false)
      else whole = true
      if (hashFailed === undefined && line.includes('"kind":"@@error"')) hashFailed = hashFailure(line)
      yield line
    }
  }
  try {
    result = await replayStream(
      tracked(),
      {
        ...store.options,
        // Whole lines (a run of empty lines as one item of newlines), even when the first is one of those.
        input: 'lines',
        onStep: (step) => {
          steps++
          if (step.matched !== null) stepHashes++
        },
      },
    )
  } catch (error) {
    bar?.clear()
    await source.return(undefined)
    // A .gz file damaged, or cut off before its first line was whole: said of the file.
    const gzip = await gzipReadError(file.path, shown, error)
    if (gzip) throw gzip
    if (error instanceof CliError) throw error
    const firstLine = error instanceof FlightRecorderError && (error.code === 'empty' || (error.code === 'bad-json' && (error as { line?: number }).line === 1))
    if (firstLine && file.size > 0) {
      throw await notALog(file.path, shown)
    }
    if (error instanceof FlightRecorderError) throw await unusableLog(shown, file.path, error)
    throw new CliError(`Replaying ${shown} failed in the store module ${values.store}: ${oneLine(error)}`)
  }
  // A replay that stopped early (a divergence, a reducer that threw) did not read the log's end:
  // whether the log ends with @@end is the log's, whatever the replay did, so the rest is read
  // (not replayed) for its last lines.
  if (!readAll) {
    try {
      for (;;) {
        const next = await source.next()
        if (next.done) break
        if (next.value.trim() !== '') (before = last), (last = next.value), (whole = false)
        // Anything after a line (the nothing after its newline) says it was written whole.
        else whole = true
      }
    } catch (error) {
      // A damaged .gz file (gzip's check at its end fails): what the replay diverged on may be the damage.
      const gzip = await gzipReadError(file.path, shown, error)
      if (gzip) throw gzip
      // otherwise unreadable now: the lines read so far
    } finally {
      await source.return(undefined)
    }
    // A last line cut short (no newline after it, not JSON) is left out, as the reader leaves it out.
    if (!whole && !isJson(last)) last = before
  }
  if (bar) {
    bar.update(file.size, steps, true)
    bar.clear()
  }
  const storeName = display(store.path, io.cwd)
  const meta = result.header.meta ?? {}
  const app = typeof meta.app === 'string' ? meta.app : undefined
  const converted = meta.source === 'redux-devtools'
  // A log without @@end (a tab closed before its last batch reached the collector, a killed
  // process, a download of a recorder still running) may have lost its tail: said in a note, since
  // nothing in the log tells how much (a converted DevTools export never has one).
  // A log written by `shrink` without --baseline ends at its last kept action, without @@end (with
  // --baseline it ends with @@end): neither gets a note.
  const shrunk = shrunkWithoutBaseline(result.header)
  // A .gz file cut off (an interrupted download) reads as a log cut short: said of the file, not the recorder.
  const { cut: gzipCut, cutLine, warnings } = converted ? { cut: false, cutLine: false, warnings: result.warnings } : await checkGzipCut(file.path, shown, result.warnings, isEndLine(last))
  result.warnings = warnings
  const rotatedTo = converted || shrunk || gzipCut || isEndLine(last) ? undefined : rotatedContinuation(file.path, result.header.session, lineSeq(last) ?? null, io.cwd)
  const openEnd = converted
    ? undefined
    : gzipCut
      ? cutGzipNote(shown, lineSeq(cutLine ? before : last))
    : shrunk
      ? undefined
    : rotatedTo !== undefined
      ? `The log ends without @@end because its file was rotated: the session goes on in ${rotatedTo} (verify it too; each file replays on its own).`
      : openEndNote(before, last, result.warnings, (result.header as { sink?: unknown }).sink === undefined)
  const alg = result.header.hash_alg
  // The same rule as the test helpers (src/testing/expectReplay.ts): a log with entries missing
  // (a seq gap, `@@dropped`) or a last line cut short was not fully checked, even when every step
  // that is there matched.
  const incomplete = result.warnings.filter((w) => INCOMPLETE.test(w))
  const empty = result.steps + result.skipped === 0 && incomplete.length === 0
  const unverified = result.ok && (!result.verified || incomplete.length > 0 || empty)
  const lossy = result.lossy.length > 0
  // Lossy values (a Date logged as its ISO string, NaN as null): the replay checked the forms the
  // log holds, not the app's values (as the test helpers say, src/testing/expectReplay.ts).
  const lossyWhy =
    result.ok && lossy
      ? 'the log holds lossy values (values in another form than the app had them: see the warnings), so the replay checked those forms, not the values.'
      : undefined
  const unverifiedWhy = !unverified
    ? undefined
    : empty
      ? 'the log has no actions, so it checks nothing about the reducer.'
      : incomplete.length > 0
      ? `the log is incomplete, so the steps lost there were not checked: ${incomplete.join(' ')}${hashFailed ? ` And ${hashFailed}.` : ''}`
      : alg === 'none'
      ? converted
        ? 'the log was converted from a Redux DevTools export without computed states, so it has no hashes to check against.'
        : result.checked > 0
          ? `the log was recorded with \`hash: false\`: only its ${result.checked === 1 ? 'full state was' : `${result.checked} full states were`} compared, not each step.`
          : 'the log was recorded with `hash: false`, so there is nothing to check against.'
      : result.checked === 0 && result.steps > 0
        ? alg === 'fr64'
          ? "its steps carry no hashes and it has no full state to compare (a log written by `shrink` without `--baseline`, or edited by hand), so there is nothing to check against."
          : `no step could be checked (hash '${alg}': export a matching \`hash\` function from the store module).`
        : alg !== 'fr64' && result.warnings.some((w) => w.startsWith('The log was hashed with'))
          ? `its steps were not checked, only its full states (hash '${alg}': export a matching \`hash\` function from the store module).`
          : result.warnings.some((w) => w.includes(TOO_LARGE_WHEN_RECORDED))
            ? 'an action was too large to log (see the warnings): the steps after it were not checked up to the next full state.'
            : hashFailed
              ? `${hashFailed}, so the steps without a hash were not checked.`
              : 'some steps had no hash to check (a gap in the log, or skipped actions).'
  const why = unverifiedWhy === undefined ? lossyWhy : lossyWhy === undefined ? unverifiedWhy : `${unverifiedWhy} And ${lossyWhy}`
  // A recorded hash that is the replayed one in uppercase (a log edited by hand): hashes are
  // compared as strings (docs/FORMAT.md), so it is a mismatch; the report says so, with its line.
  const d = result.divergence
  // (Only a recorded hash with uppercase and a replayed one without: a store's own `hash` may return uppercase.)
  const caseOnly = d && d.expectedHash !== null && d.actualHash !== null && d.expectedHash !== d.actualHash && d.expectedHash.toLowerCase() === d.actualHash
  const caseNote = caseOnly
    ? `  the recorded hash is the replayed one in uppercase (${await lineOf(file.path, d.kind === '@@session' ? null : d.seq).then((n) => (n === undefined ? '' : `line ${n}, `)).catch(() => '')}${d.kind === '@@session' ? 'the @@session header' : `seq ${d.seq}`}): hashes are compared as strings and ${alg === 'fr64' ? 'fr64 writes them in lowercase' : 'an uppercase one never matches'} (docs/FORMAT.md), so the line was edited by hand; write its hash in lowercase.`
    : undefined
  // The report's rehash line, with this log and store module in place of its placeholders.
  const report = () =>
    formatDivergence(result)
      .split('\n')
      .map((line) => fillRehashLine(line, shown, storeName))
      .flatMap((line) => (caseNote !== undefined && line.startsWith('  actual hash:') ? [line, caseNote] : [line]))
      .join('\n')
  const fullStates = Math.max(0, result.checked - stepHashes)
  const failed = !result.ok || (values.strict === true && (unverified || lossy))
  if (values.json) {
    const { state: _state, header, ...rest } = result
    // The action as the report's values are: a long string in it (a pasted file) shortened.
    const divergence = rest.divergence && { ...rest.divergence, action: shortenLongStrings(rest.divergence.action) }
    io.out(
      JSON.stringify({
        file: shown,
        store: storeName,
        app: app ?? null,
        session: header.session,
        ...rest,
        divergence,
        ended: openEnd === undefined,
        endNote: openEnd ?? null,
        ok: !failed,
        exitCode: failed ? EXIT_FAIL : EXIT_OK,
        replayOk: result.ok,
        stepHashesChecked: stepHashes,
        fullStatesCompared: fullStates,
        notFullyVerified: why ?? null,
        report: result.ok ? null : report(),
      }) + '\n',
    )
    return failed ? EXIT_FAIL : EXIT_OK
  }
  for (const w of result.warnings) io.err(`warning: ${w}\n`)
  const recordedBy = app ? `  recorded by:   ${app}\n` : ''
  if (!result.ok) {
    // Which app wrote the log comes first: a log from another app diverges at once.
    io.out(`FAIL  ${shown} does not replay on ${storeName}\n${recordedBy}${report()}\n`)
    // Of the log itself, whatever the replay did (as --json's endNote).
    if (openEnd) io.err(`note: ${openEnd}\n`)
    return EXIT_FAIL
  }
  const summary =
    `${plural(result.steps, 'action')} replayed on ${storeName}, ` +
    (alg === 'none'
      ? 'no hashes in the log'
      : `${stepHashes === 1 ? "1 step's hash" : `${stepHashes} steps' hashes`} checked (${alg})` +
        (fullStates > 0 ? `, ${plural(fullStates, 'full state')} (checkpoints, @@end) compared` : ''))
  if (failed) {
    io.out(`FAIL  ${shown}: ${summary}, NOT fully verified${lossy ? ' (lossy values)' : ''} (--strict)\n${recordedBy}`)
  } else io.out(`ok  ${shown}: ${summary}${unverified ? ', NOT fully verified' : lossy ? ', NOT fully verified (lossy values)' : ''}\n`)
  // The warnings of an incomplete log are printed above already: say what they mean, not them again.
  if (why) {
    const text =
      incomplete.length > 0
        ? `the log is incomplete (see the warning above), so the steps lost there were not checked.${hashFailed ? ` And ${hashFailed}.` : ''}${lossyWhy ? ` And ${lossyWhy}` : ''}`
        : why
    io.err(`warning: not fully verified: ${text}\n`)
  }
  if (openEnd) io.err(`note: ${openEnd}\n`)
  // A download of a bounded buffer, a rotated file: the session began before this log.
  const start = startNote(result.header)
  if (start !== undefined) io.err(`note: ${start}.\n`)
  return failed ? EXIT_FAIL : EXIT_OK
}

/**
 * The line number of the entry with this `seq` in the log (`null`: its header, the first line that
 * is not blank); `undefined` if none is found.
 */
async function lineOf(path: string, seq: number | null): Promise<number | undefined> {
  let n = 0
  const lines = fileLines(path)
  try {
    for await (const line of lines) {
      n++
      // A run of blank lines comes as one item: its newlines, one fewer than its lines.
      if (line.trim() === '') {
        n += line.length - line.replaceAll('\n', '').length
        continue
      }
      if (seq === null) return n
      let at = lineSeq(line)
      if (at === undefined && line.includes('"seq"')) {
        try {
          const value = (JSON.parse(line) as { seq?: unknown }).seq
          if (typeof value === 'number') at = value
        } catch {
          // not JSON: not that entry
        }
      }
      if (at === seq) return n
    }
  } finally {
    await lines.return(undefined)
  }
  return undefined
}

/** Whether `line` parses as JSON (a last line cut short does not). */
function isJson(line: string): boolean {
  try {
    JSON.parse(line)
    return true
  } catch {
    return false
  }
}

/**
 * An `@@error` line of the recorder's hashing, as a clause: the seq and its message (a state
 * nested too deeply says so: "state nested deeper than 1195 levels"); otherwise `undefined`.
 */
function hashFailure(line: string): string | undefined {
  try {
    const body = (JSON.parse(line) as { body?: { source?: unknown; message?: unknown; seq?: unknown } }).body
    if (body?.source === 'hash' && typeof body.message === 'string') {
      return `the recorder could not hash the state${typeof body.seq === 'number' ? ` at seq ${body.seq}` : ''} (its @@error: ${oneLine(body.message).slice(0, 300)})`
    }
  } catch {
    // not JSON: the replay reports the line
  }
  return undefined
}
