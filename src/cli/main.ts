// The `flight-recorder` bin (built to dist/cli.js by tsup, which adds the shebang). Commands: run.ts.
import { run } from './run'
import { EXIT_USAGE, oneLine, terminalSafe, type Io } from './util'

function processIo(): Io {
  return {
    out: (text) => void process.stdout.write(terminalSafe(text)),
    err: (text) => void process.stderr.write(terminalSafe(text, true)),
    tty: process.stderr.isTTY === true,
    columns: process.stderr.columns || 80,
    cwd: process.cwd(),
  }
}

// A closed pipe (`flight-recorder inspect big.jsonl | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
})

run(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    process.stderr.write(terminalSafe(`flight-recorder: ${oneLine(error)}\n`))
    process.exitCode = EXIT_USAGE
  },
)
