import { writeLogFile } from '../internal/gzipFile'
import { basename, dirname, extname, resolve } from 'node:path'
import { FlightRecorderError } from 'redux-flight-recorder'
import { encodeRecording, formatDivergence, isActionEntry, shrinkRecording, type ShrinkProgress, type ShrunkRecording } from 'redux-flight-recorder/replay'
import { CliError, EXIT_FAIL, EXIT_OK, EXIT_USAGE, display, existingFile, fillRehashLine, loadStoreModule, oneLine, parse, plural, readLog, refuseOverwrite, short, StatusBar, type Io } from './util'

export const SHRINK_HELP = `Usage: flight-recorder shrink <log> --store <module> [-o <file>] [--force] [--baseline <module>]
                            [--max-replays <n>] [--no-progress] [--json]

Shrinks a log that fails on the store module's reducer to a few actions that fail the same way
(the reducer throws the same error, its message's digits aside, or the replay diverges, at the
same action type): delta debugging, whole turns first, then single actions. The shrunk log
starts from the log's recorded starting state and replays on its own (\`flight-recorder verify\`,
expectReplay). The store module is the one \`verify\` takes (see \`flight-recorder verify --help\`).

A divergence (the reducer reaches other states than the recorded ones) can only be shrunk with a
passing baseline: a store module whose reducer replays the log correctly (the version that
recorded it, or the fixed one). The kept steps' hashes are recomputed with it, so the shrunk log
passes on the baseline and fails on --store. Without --baseline the shrunk log has no hashes.

Options:
  --store <module>     the reducer the log fails on (required)
  -o, --output <file>  where to write the shrunk log (default: next to the log, <name>.min.jsonl;
                       - for standard output)
  --force              let the output overwrite an existing file
  --baseline <module>  a store module whose reducer replays the log correctly
  --max-replays <n>    the most replays to spend (default 1000); past it the smallest failing
                       log found so far is written
  --no-progress        no progress bar (it is only drawn on a terminal)
  --json               print the result as JSON: {"ok","exitCode","output","from","to","replays",…};
                       ok is true exactly when the exit code is 0 (with -o -, the log is its "log")
  -h, --help           show this help

Exit codes: 0 the shrunk log was written, 1 the log does not fail on the store module (nothing to
shrink), 2 no such file, not a log, an unusable store module, or a divergence without --baseline.`

const MAX_LISTED = 20

/** One status line on stderr, on a terminal only: a bar of the actions removed so far. */
class ShrinkBar extends StatusBar {
  constructor(
    io: Io,
    private readonly label: string,
  ) {
    super(io, 30)
  }

  update(p: ShrinkProgress, force = false): void {
    const ratio = p.from > 1 ? (p.from - p.actions) / (p.from - 1) : 1
    const info = ` ${p.from} → ${plural(p.actions, 'action')}  ${p.replays}/${p.maxReplays} replays  ${p.phase === 'check' ? 'reproducing' : `removing ${p.phase}`}  ${this.label}`
    this.draw(ratio, info, force)
  }
}

export async function shrink(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      store: { type: 'string' },
      baseline: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'max-replays': { type: 'string' },
      'no-progress': { type: 'boolean' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    SHRINK_HELP,
  )
  if (values.help) {
    io.out(SHRINK_HELP + '\n')
    return EXIT_OK
  }
  if (positionals.length !== 1) throw new CliError(`\`shrink\` takes one log file.\n${SHRINK_HELP}`)
  let maxReplays: number | undefined
  if (values['max-replays'] !== undefined) {
    maxReplays = Number(values['max-replays'])
    if (!Number.isSafeInteger(maxReplays) || maxReplays < 2) throw new CliError(`--max-replays takes a whole number of at least 2, not '${values['max-replays']}'.`)
  }
  const file = existingFile(positionals[0], io.cwd, 'log file')
  const shown = display(file.path, io.cwd)
  const recording = await readLog(file.path, shown)
  const store = await loadStoreModule(values.store, io.cwd, 'shrink')
  const baseline = values.baseline === undefined ? undefined : await loadStoreModule(values.baseline, io.cwd, 'shrink')
  const name = basename(file.path).replace(/\.gz$/i, '') || basename(file.path)
  const stem = basename(name, extname(name)) || name
  const toStdout = values.output === '-'
  const out = toStdout ? '-' : values.output ? resolve(io.cwd, values.output) : resolve(dirname(file.path), `${stem}.min.jsonl`)
  if (!toStdout) refuseOverwrite(out, values.force, io.cwd, file.path)

  const bar = io.tty && !values['no-progress'] && !values.json ? new ShrinkBar(io, shown) : undefined
  let min: ShrunkRecording
  try {
    min = shrinkRecording(recording, {
      ...store.options,
      ...(baseline ? { baseline: baseline.options.reducer ? { reducer: baseline.options.reducer } : { createStore: baseline.options.createStore } } : {}),
      ...(maxReplays !== undefined ? { maxReplays } : {}),
      onProgress: bar ? (p) => bar.update(p, p.phase === 'done') : undefined,
    })
  } catch (error) {
    bar?.clear()
    if (error instanceof FlightRecorderError) {
      const storeName = display(store.path, io.cwd)
      if (error.code === 'nothing-to-shrink') {
        const message = `nothing to shrink: ${shown} replays without a failure on ${storeName}${baseline ? ', the same as on the baseline' : ''}.`
        if (values.json) io.out(JSON.stringify({ ok: false, exitCode: EXIT_FAIL, file: shown, store: storeName, nothingToShrink: true, message }) + '\n')
        else io.out(message + '\n')
        return EXIT_FAIL
      }
      if (error.code === 'baseline-needed') {
        throw new CliError(
          `${oneLine(error).replace(/pass `baseline`, a reducer that/, 'pass --baseline <module>, a store module whose reducer').replace(/; or pass `fails`\.$/, '.')}`,
          EXIT_USAGE,
        )
      }
      throw new CliError(`Cannot shrink ${shown}: ${oneLine(error)}`)
    }
    throw new CliError(`Shrinking ${shown} failed in the store module ${values.store}: ${oneLine(error)}`)
  }
  bar?.clear()

  const text = encodeRecording(min)
  if (toStdout && !values.json) io.out(text)
  else if (!toStdout) {
    try {
      writeLogFile(out, text)
    } catch (error) {
      throw new CliError(`Cannot write ${display(out, io.cwd)}: ${oneLine(error)}`)
    }
  }
  const report = min.shrink
  const kept = min.entries.filter(isActionEntry)
  // The shrunk log's hashes (and the states it ends with) are the baseline's when it was rehashed: its report says so.
  // Its rehash line names the shrunk log and the store module, ready to copy, as verify's does.
  const divergenceReport = report.result.ok
    ? null
    : formatDivergence(report.result, report.rehashed ? { labels: { recorded: "the baseline's" } } : undefined)
        .split('\n')
        .map((line) => fillRehashLine(line, toStdout ? undefined : display(out, io.cwd), display(store.path, io.cwd)))
        .join('\n')
  if (values.json) {
    io.out(
      JSON.stringify({
        ok: true,
        exitCode: EXIT_OK,
        file: shown,
        store: display(store.path, io.cwd),
        output: toStdout ? '-' : display(out, io.cwd),
        from: report.from,
        to: report.to,
        replays: report.replays,
        maxReplays: report.maxReplays,
        exhausted: report.exhausted,
        minimal: report.minimal,
        rehashed: report.rehashed,
        failure: report.failure,
        kept: kept.map((e) => ({ seq: e.seq, origSeq: e.orig_seq ?? e.seq, kind: e.kind })),
        report: divergenceReport,
        ...(toStdout ? { log: text } : {}),
      }) + '\n',
    )
    return EXIT_OK
  }
  const say = toStdout ? io.err : io.out
  const f = report.failure
  // The error kept, message included (a candidate throwing another message, another crash, was not kept).
  const error = f?.errorName === undefined ? '' : ` (${f.errorName}${f.errorMessage ? `: ${oneLine(f.errorMessage)}` : ''})`
  const how = f ? `${f.reason} at ${f.kind}${error}` : 'the same way'
  say(
    `shrunk ${shown} from ${report.from} to ${plural(report.to, 'action')} in ${plural(report.replays, 'replay')} (budget ${report.maxReplays})` +
      `${toStdout ? '' : `: ${display(out, io.cwd)}`}\n` +
      `it fails like the original: ${how}${report.rehashed ? `; hashes recomputed with ${display(baseline!.path, io.cwd)}` : ''}\n`,
  )
  for (const e of kept.slice(0, MAX_LISTED)) {
    say(`  seq ${e.seq}${e.orig_seq !== undefined && e.orig_seq !== e.seq ? ` (was ${e.orig_seq})` : ''}  ${short(e.action, 100)}\n`)
  }
  if (kept.length > MAX_LISTED) say(`  … and ${kept.length - MAX_LISTED} more\n`)
  if (report.exhausted) say(`warning: the replay budget ran out; the log still fails but may not be minimal (raise --max-replays).\n`)
  if (divergenceReport !== null) say(`${divergenceReport}\n`)
  return EXIT_OK
}
