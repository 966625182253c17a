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

/**
 * Ends the process once what it wrote is flushed: a store module's timers and handles (RTK Query's
 * middleware in a replay store keeps a removal timer of 60 s per unused query) would otherwise keep
 * it alive long after its report.
 */
function exit(code: number): void {
  process.exitCode = code
  let pending = 2
  const flushed = () => {
    if (--pending === 0) process.exit(code)
  }
  process.stdout.write('', flushed)
  process.stderr.write('', flushed)
}

run(process.argv.slice(2), processIo()).then(exit, (error) => {
  process.stderr.write(terminalSafe(`flight-recorder: ${oneLine(error)}\n`))
  exit(EXIT_USAGE)
})
