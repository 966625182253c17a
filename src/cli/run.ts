import { readFileSync } from 'node:fs'
import { convert, CONVERT_HELP } from './convert'
import { diff, DIFF_HELP } from './diff'
import { inspect, INSPECT_HELP } from './inspect'
import { scaffoldTest, SCAFFOLD_HELP } from './scaffold'
import { serve, SERVE_HELP } from './serve'
import { rehash, REHASH_HELP } from './rehash'
import { shrink, SHRINK_HELP } from './shrink'
import { CliError, EXIT_OK, EXIT_USAGE, oneLine, type Io } from './util'
import { verify, VERIFY_HELP } from './verify'

const HELP = `Usage: flight-recorder <command> [options]

Commands:
  inspect <log>                     summarise a log: header, duration, actions by type and
                                    turn, omissions, drops, lifecycle events, errors, marks
  verify <log> --store <module>     replay the log and check every state hash (exit 1 with
                                    the divergence report when it does not replay)
  convert <log> --to devtools       write the Redux DevTools Import file for a log
  convert <file> --from devtools    turn a DevTools export into a log
  diff <a> <b>                      the first step where two logs of the same app differ
  scaffold-test <log> --store <m>   write a Vitest or Jest test that replays the log
  shrink <log> --store <m>          shrink a failing log to the few actions that fail the same way
  rehash <log> --store <m> --in-place
                                    update a log's hashes after an intended reducer change
  serve --dir <d> --port <n>        run the session collector that httpSink sends to

Run \`flight-recorder <command> --help\` for a command's options.

Exit codes: 0 ok, 1 the check failed (divergence, difference), 2 unusable input or usage.`

type Command = (args: string[], io: Io) => Promise<number>

const COMMANDS: Record<string, { run: Command; help: string }> = {
  inspect: { run: inspect, help: INSPECT_HELP },
  verify: { run: verify, help: VERIFY_HELP },
  convert: { run: convert, help: CONVERT_HELP },
  diff: { run: diff, help: DIFF_HELP },
  'scaffold-test': { run: scaffoldTest, help: SCAFFOLD_HELP },
  shrink: { run: shrink, help: SHRINK_HELP },
  rehash: { run: rehash, help: REHASH_HELP },
  serve: { run: serve, help: SERVE_HELP },
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string }
    return pkg.version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/** Runs the command line; returns the exit code. Never throws. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === undefined || command === '--help' || command === '-h') {
      io.out(HELP + '\n')
      return command === undefined ? EXIT_USAGE : EXIT_OK
    }
    if (command === '--version' || command === '-v') {
      io.out(version() + '\n')
      return EXIT_OK
    }
    if (command === 'help') {
      const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]]
      io.out((topic ? topic.help : HELP) + '\n')
      return rest[0] === undefined || topic ? EXIT_OK : EXIT_USAGE
    }
    const entry = COMMANDS[command]
    if (!entry) throw new CliError(`Unknown command '${command}'. Commands: ${Object.keys(COMMANDS).join(', ')} (flight-recorder --help).`)
    return await entry.run(rest, io)
  } catch (error) {
    if (error instanceof CliError) {
      // One line, always; a usage mistake points at the command's help instead of printing it.
      const [first, ...usage] = error.message.split('\n')
      const cmd = /Usage: flight-recorder ([\w-]+)/.exec(usage.join('\n'))?.[1]
      io.err(`flight-recorder: ${first}${cmd ? ` (see flight-recorder ${cmd} --help)` : ''}\n`)
      // With --json, standard output still holds one result, whose `ok` agrees with the exit code.
      if (argv.includes('--json')) io.out(JSON.stringify({ ok: false, exitCode: error.exitCode, error: first }) + '\n')
      return error.exitCode
    }
    // Anything else is a fault of this program; still one line (set FLIGHT_RECORDER_DEBUG=1 for
    // the stack). Values nested deeper than this command can walk (a log `verify` reads, since it
    // keeps them as text) are the log's, and said so.
    const text = error instanceof RangeError && /call stack/i.test(error.message) ? `The log holds a value nested too deeply for \`${command}\` to walk (it ran out of stack). Such a log replays (\`verify\`), but cannot be shown or converted.` : oneLine(error)
    io.err(`flight-recorder: ${text}\n`)
    if (argv.includes('--json')) io.out(JSON.stringify({ ok: false, exitCode: EXIT_USAGE, error: text }) + '\n')
    if (process.env.FLIGHT_RECORDER_DEBUG && error instanceof Error && error.stack) io.err(error.stack + '\n')
    return EXIT_USAGE
  }
}
