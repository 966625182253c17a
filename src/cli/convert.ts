import { mkdirSync } from 'node:fs'
import { gzipFault, gzipFaultMessage, gzipFaultOf, readFileBytes, writeLogFile } from '../internal/gzipFile'
import { dirname, resolve } from 'node:path'
import { fromDevToolsExport, toDevToolsExport } from 'redux-flight-recorder/devtools'
import { encodeRecording, isActionEntry } from 'redux-flight-recorder/replay'
import { isRebaseCheckpoint } from '../format/types'
import { CliError, EXIT_OK, display, existingFile, oneLine, parse, plural, readLog, refuseOverwrite, shellArg, type Io } from './util'

export const CONVERT_HELP = `Usage: flight-recorder convert <log> --to devtools [-o <file> [--force]] [--json]
       flight-recorder convert <file> --from devtools [--redact-state <path>]… [--redact-action <path>]… [-o <log> [--force]] [--json]

--to devtools    writes the Redux DevTools Import file for a log: {"payload": "<JSON of the
                 actions>", "preloadedState": "<JSON of the starting state>"}. Open the DevTools,
                 press Import and pick the file to step through the session.
--from devtools  reads a DevTools export (that shape, or a lifted state with actionsById and
                 computedStates) and writes a JSONL log. When the export holds computed states
                 the log gets fr64 hashes, so \`verify\` checks it. The export holds the app's
                 values as the DevTools saw them: --redact-state and --redact-action (each as
                 often as needed; the recorder's \`redact\` paths, e.g. auth.token, payload.card)
                 write "[redacted]" there instead, hashes included.

Options:
  -o, --output <file>  write there instead of standard output (missing folders are created)
  --force              let -o overwrite an existing file
  --json               print {"ok","exitCode","output","summary","warnings"} as JSON (without -o,
                       the converted text in "text")
  -h, --help           show this help

Exit codes: 0 converted, 2 no such file or an input that is not a log/export.`

export async function convert(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    args,
    { to: { type: 'string' }, from: { type: 'string' }, 'redact-state': { type: 'string', multiple: true }, 'redact-action': { type: 'string', multiple: true }, output: { type: 'string', short: 'o' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
    CONVERT_HELP,
  )
  if (values.help) {
    io.out(CONVERT_HELP + '\n')
    return EXIT_OK
  }
  if (positionals.length !== 1) throw new CliError(`\`convert\` takes one input file.\n${CONVERT_HELP}`)
  if ((values.to === undefined) === (values.from === undefined)) throw new CliError(`\`convert\` needs exactly one of --to devtools or --from devtools.`)
  const redact = { state: values['redact-state'] ?? [], actions: values['redact-action'] ?? [] }
  if (values.to && redact.state.length + redact.actions.length > 0) {
    throw new CliError('--redact-state and --redact-action apply to --from devtools (a log is redacted when recorded: the DevTools file holds what the log has).')
  }
  const format = (values.to ?? values.from)!
  if (format !== 'devtools') throw new CliError(`Unknown format '${format}': the only format is 'devtools' (Redux DevTools export).`)
  const input = existingFile(positionals[0], io.cwd, values.to ? 'log file' : 'file')
  if (values.output) refuseOverwrite(resolve(io.cwd, values.output), values.force, io.cwd, input.path)
  const shown = display(input.path, io.cwd)
  let text: string
  let summary: string
  let warnings: string[] = []
  if (values.to) {
    let recording: Awaited<ReturnType<typeof readLog>>
    try {
      recording = await readLog(input.path, shown)
    } catch (error) {
      // A DevTools export given to --to devtools: it goes the other way.
      if (error instanceof CliError && (await looksLikeDevToolsExport(input.path))) {
        throw new CliError(
          `${shown} is a Redux DevTools export already, not a flight-recorder log: to turn it into a log, convert the other way: flight-recorder convert ${shellArg(shown)} --from devtools${values.output ? ` -o ${shellArg(values.output.replace(/\.json(\.gz)?$/, '.jsonl$1'))}` : ''}`,
        )
      }
      throw error
    }
    // What reading the log noticed (a last line cut short, a gap), as verify and diff print it.
    warnings = recording.warnings
    for (const w of warnings) io.err(`warning: ${w}\n`)
    const actions = recording.entries.filter(isActionEntry)
    text = JSON.stringify(toDevToolsExport(recording)) + '\n'
    summary = plural(actions.length, 'action')
    // What the DevTools will not see as the log has it: said on stderr and in --json's warnings.
    const notes: string[] = []
    const lossy = actions.filter((a) => a.recordable === false).length
    if (lossy > 0) notes.push(`${plural(lossy, 'action')} lost values JSON cannot carry; the export holds what the log has.`)
    const rebased = recording.entries.filter((e) => e.kind === '@@checkpoint' && isRebaseCheckpoint((e as { reason?: unknown }).reason)).length
    // A state set without an action: Redux DevTools' toggle, jump, reset or import, a new store.
    const restarted = recording.entries.filter((e) => e.kind === '@@lifecycle' && Object.prototype.hasOwnProperty.call(e, 'state')).length
    const gaps = recording.warnings.filter((w) => /missing/.test(w)).length + recording.entries.filter((e) => e.kind === '@@dropped').length
    if (rebased > 0 || gaps > 0 || restarted > 0) {
      notes.push('the log has gaps or state changes without actions (pause/resume, drops, Redux DevTools toggles and jumps, a new store); the DevTools will recompute from the actions alone and may not reach the recorded states.')
    }
    if (recording.entries.some((e) => e.kind === '@@replaceReducer')) notes.push('the log replaces the reducer; the DevTools replay every action on the reducer of the store you import into.')
    for (const w of notes) io.err(`warning: ${w}\n`)
    warnings = [...warnings, ...notes]
  } else {
    let raw: string
    try {
      raw = (await readFileBytes(input.path)).toString('utf8')
    } catch (error) {
      const fault = gzipFaultOf(error)
      throw new CliError(fault ? gzipFaultMessage(shown, fault) : `Cannot read ${shown}: ${oneLine(error)}`)
    }
    try {
      const recording = fromDevToolsExport(raw, { redact })
      text = encodeRecording(recording)
      warnings = recording.warnings
      const paths = redact.state.length + redact.actions.length
      summary = `${plural(recording.entries.length, 'action')}${recording.header.hash_alg === 'none' ? ', not hashed: the export has no computed states to hash' : ', hashed with fr64'}${paths > 0 ? `, ${plural(paths, 'path')} redacted` : ''}`
    } catch (error) {
      // (A redaction path that could match nothing: fromDevToolsExport's only TypeError, before it reads anything.)
      if (error instanceof TypeError) throw new CliError(oneLine(error))
      // A flight-recorder log given to --from devtools: it goes the other way.
      if (/^\s*\{"kind":"@@session"/.test(raw)) {
        throw new CliError(
          `${shown} is a flight-recorder log, not a Redux DevTools export: to write the DevTools Import file for it, convert the other way: flight-recorder convert ${shellArg(shown)} --to devtools${values.output ? ` -o ${shellArg(values.output.replace(/\.jsonl(\.gz)?$/, '.json$1'))}` : ''}`,
        )
      }
      // A .gz export cut off reads as JSON that ends early: said of the file.
      if ((await gzipFault(input.path)) === 'cut-off') {
        throw new CliError(gzipFaultMessage(shown, 'cut-off', 'so the export in it is not whole'))
      }
      throw new CliError(`${shown} is not a Redux DevTools export: ${oneLine(error)}`)
    }
  }
  if (!values.to) for (const w of warnings) io.err(`warning: ${w}\n`)
  if (values.output) {
    const out = resolve(io.cwd, values.output)
    try {
      mkdirSync(dirname(out), { recursive: true })
      writeLogFile(out, text)
    } catch (error) {
      throw new CliError(`Cannot write ${values.output}: ${oneLine(error)}`)
    }
    io.err(`wrote ${display(out, io.cwd)} (${summary})\n`)
    if (values.json) io.out(JSON.stringify({ ok: true, exitCode: EXIT_OK, output: display(out, io.cwd), summary, warnings }) + '\n')
  } else if (values.json) {
    io.out(JSON.stringify({ ok: true, exitCode: EXIT_OK, output: null, summary, warnings, text }) + '\n')
  } else {
    io.out(text)
  }
  return EXIT_OK
}

/**
 * Whether a file is a Redux DevTools export (`{ payload, preloadedState }`, or a lifted state with
 * `actionsById`), as `fromDevToolsExport` reads one: JSON whose top level has those keys.
 */
async function looksLikeDevToolsExport(path: string): Promise<boolean> {
  try {
    const value = JSON.parse((await readFileBytes(path)).toString('utf8')) as unknown
    return typeof value === 'object' && value !== null && !Array.isArray(value) && ('payload' in value || 'actionsById' in value || 'computedStates' in value)
  } catch {
    return false
  }
}
