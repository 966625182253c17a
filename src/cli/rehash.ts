import { resolve } from 'node:path'
import { FlightRecorderError } from 'redux-flight-recorder'
import { encodeRecording, formatDivergence, rehashRecording, type RehashedRecording, type ReplayResult } from 'redux-flight-recorder/replay'
import { writeLogFile } from '../internal/gzipFile'
import { CliError, EXIT_FAIL, EXIT_OK, display, existingFile, loadStoreModule, oneLine, parse, plural, readLog, refuseOverwrite, type Io } from './util'

export const REHASH_HELP = `Usage: flight-recorder rehash <log> --store <module> (-o <file> | --in-place) [--force] [--json]

Updates a log after an intended reducer change: replays its actions from the recorded starting
state into the store module (the one \`verify\` takes, see \`flight-recorder verify --help\`) and
writes the same log with the new state hashes, checkpoints and @@end. Actions, seqs, turns,
timestamps, marks, lifecycle entries, the header and its redaction stay as they were. Prints
the first step whose hash changed and how many did. The file is written whole or not at all.
A log \`shrink\` wrote without --baseline (no hashes) also gets the @@end it lacked, and its
header's shrunk.rehashed becomes true.

A log with entries missing (a seq gap, @@dropped) cannot be rehashed: after the gap replay
restarts from a state the old reducer recorded. Nor can one whose last line was cut short: the
rewritten log would not show the entry lost there (delete that line first to rehash without it).
Each file of a rotated session is rehashed on its own, from its own header's state.

Options:
  --store <module>     the store module, with the reducer as it is now (required)
  -o, --output <file>  where to write the updated log
  --in-place           replace the log itself (left untouched when nothing changed)
  --force              let -o overwrite an existing file
  --json               print the result as JSON: {"ok","exitCode","output","steps","changed",
                       "first","fullStates","written","warnings"}; ok is true exactly when the
                       exit code is 0
  -h, --help           show this help

Exit codes: 0 the log was updated (or nothing changed), 1 its actions do not replay on the
store module (the reducer throws: the report says where; nothing is written), 2 no such file,
not a log, an incomplete log, an unusable store module, or the output exists.`

export async function rehash(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    args,
    { store: { type: 'string' }, output: { type: 'string', short: 'o' }, 'in-place': { type: 'boolean' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
    REHASH_HELP,
  )
  if (values.help) {
    io.out(REHASH_HELP + '\n')
    return EXIT_OK
  }
  if (positionals.length !== 1) throw new CliError(`\`rehash\` takes one log file.\n${REHASH_HELP}`)
  const file = existingFile(positionals[0], io.cwd, 'log file')
  const shown = display(file.path, io.cwd)
  const inPlace = values['in-place'] === true
  if (inPlace && values.output !== undefined) throw new CliError(`Pass either -o <file> or --in-place, not both.\n${REHASH_HELP}`)
  const out = inPlace ? file.path : values.output === undefined ? undefined : resolve(io.cwd, values.output)
  if (out === undefined) throw new CliError(`\`rehash\` needs -o <file> for the updated log, or --in-place to replace ${shown}.\n${REHASH_HELP}`)
  if (!inPlace && out === file.path) throw new CliError(`-o names the log itself: pass --in-place to replace it.`)
  if (!inPlace) refuseOverwrite(out, values.force, io.cwd)
  const recording = await readLog(file.path, shown)
  const store = await loadStoreModule(values.store, io.cwd, 'rehash')
  const storeName = display(store.path, io.cwd)
  let updated: RehashedRecording
  try {
    updated = rehashRecording(recording, store.options)
  } catch (error) {
    const result = (error as { result?: ReplayResult }).result
    if (error instanceof FlightRecorderError && error.code === 'replay-failed' && result) {
      const report = formatDivergence(result)
      if (values.json) io.out(JSON.stringify({ ok: false, exitCode: EXIT_FAIL, file: shown, store: storeName, written: false, report }) + '\n')
      else io.out(`FAIL  ${shown} does not replay on ${storeName}, so it was not rehashed\n${report}\n`)
      return EXIT_FAIL
    }
    if (error instanceof FlightRecorderError) throw new CliError(`Cannot rehash ${shown}: ${oneLine(error)}`)
    throw new CliError(`Rehashing ${shown} failed in the store module ${values.store}: ${oneLine(error)}`)
  }
  const r = updated.rehash
  const same = r.changed === 0 && r.fullStates === 0
  const written = !(inPlace && same)
  if (written) {
    try {
      writeLogFile(out, encodeRecording(updated))
    } catch (error) {
      throw new CliError(`Cannot write ${display(out, io.cwd)}: ${oneLine(error)}`)
    }
  }
  const output = display(out, io.cwd)
  if (values.json) {
    io.out(JSON.stringify({ ok: true, exitCode: EXIT_OK, file: shown, store: storeName, output, ...r, written }) + '\n')
    return EXIT_OK
  }
  for (const w of r.warnings) io.err(`warning: ${w}\n`)
  const what = same
    ? `nothing changed: every hash and full state is the same on ${storeName}`
    : `${r.changed} of ${plural(r.steps, 'step')} changed on ${storeName}` +
      (r.first ? `, the first at seq ${r.first.seq} (${r.first.kind})` : '') +
      (r.fullStates > 0 ? `; ${plural(r.fullStates, 'full state')} (checkpoints, @@end) changed` : '')
  io.out(`rehashed ${shown}: ${what}\n${written ? `written to ${output}${inPlace ? ' (in place)' : ''}` : `${shown} left as it was`}\n`)
  return EXIT_OK
}
