import { randomBytes } from 'node:crypto'
import { accessSync, constants, mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { CliError, EXIT_OK, display, oneLine, parse, type Io } from './util'

export const SERVE_HELP = `Usage: flight-recorder serve [--dir sessions] [--port 8787] [options]

Runs the session collector: receives what httpSink sends from browsers and keeps each session as
batch files under --dir, assembled on read. Give httpSink the URL it prints, with the ingest key:
httpSink('http://host:8787/ingest?key=<ingest key>'). Stops on SIGINT or SIGTERM, once the requests
under way are answered and a retention pass in progress (--max-age, --max-sessions) has finished.

Routes: POST /ingest (httpSink), GET /sessions[?app=&since=&until=], GET /sessions/<id> (the
assembled log, which flight-recorder verify reads), DELETE /sessions/<id>; reads and deletes need
Authorization: Bearer <admin token>.

Options:
  --dir <path>           where sessions are stored (default: sessions)
  --port <n>             port to listen on, 0 for any free one (default: 8787)
  --host <address>       address to listen on (default: 127.0.0.1; 0.0.0.0 for every interface)
  --ingest-key <key>     the key ingest requests must carry (or FLIGHT_RECORDER_INGEST_KEY), at
                         least 8 characters; without one, anyone who can reach the port may send
                         sessions
  --admin-token <token>  the token of reads and deletes (or FLIGHT_RECORDER_ADMIN_TOKEN), at
                         least 8 characters; without one, a random token is made and printed
  --origin <origin>      an origin whose pages may send sessions (repeat for more; '*' for any)
  --max-age <time>       delete sessions not written to for this long (30d, 12h, 45m, or ms),
                         checked at start and every minute
  --max-sessions <n>     keep at most this many sessions (the least recently written go first)
  --max-body <bytes>     largest request body (default: 4194304)
  --max-session <bytes>  bytes of a session kept: its newest lines (default: 67108864)
  --json                 print {"ok":true,"url","ingest","dir","adminToken","ingestKey","origins"}
                         as one JSON line once listening ("ingest": the URL for httpSink,
                         with ?key= when there is an ingest key); a failure to start prints
                         {"ok":false,"exitCode","error"} and exits 2
  -h, --help             show this help`

/**
 * Slow clients cannot hold connections open for long: a request's headers within 10 s, all of it
 * within 30 s, else 408. Node checks these every `connectionsCheckingInterval` (30 s by default,
 * which made them up to 30 s late): here every second.
 */
export const SERVER_OPTIONS = { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 } as const

/** How often `--max-age` / `--max-sessions` are applied (the collector's default). */
const PRUNE_INTERVAL_MS = 60_000

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

function duration(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(raw.trim())
  if (!m || Number(m[1]) <= 0) throw new CliError(`--${name} expects a time such as 30d, 12h, 45m or milliseconds. Instead, received: ${raw}.\n${SERVE_HELP}`)
  return Number(m[1]) * UNITS[m[2] ?? 'ms']
}

function count(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) throw new CliError(`--${name} expects an integer of at least ${min}. Instead, received: ${raw}.\n${SERVE_HELP}`)
  return n
}

/** Resolves when the server has stopped (a signal, or `signal` aborted, for tests). */
export async function serve(args: string[], io: Io, stop?: AbortSignal): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      dir: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'ingest-key': { type: 'string' },
      'admin-token': { type: 'string' },
      origin: { type: 'string', multiple: true },
      'max-age': { type: 'string' },
      'max-sessions': { type: 'string' },
      'max-body': { type: 'string' },
      'max-session': { type: 'string' },
      json: { type: 'boolean' },
    },
    SERVE_HELP,
  )
  if (values.help) {
    io.out(SERVE_HELP + '\n')
    return EXIT_OK
  }
  if (positionals.length > 0) throw new CliError(`\`serve\` takes no file arguments; use --dir for where sessions go.\n${SERVE_HELP}`)
  const dir = resolve(io.cwd, values.dir ?? 'sessions')
  const port = count('port', values.port ?? '8787', 0)!
  if (port > 65535) throw new CliError(`--port expects a port number up to 65535. Instead, received: ${port}.\n${SERVE_HELP}`)
  const host = values.host ?? '127.0.0.1'
  const ingestKey = values['ingest-key'] ?? process.env.FLIGHT_RECORDER_INGEST_KEY
  const givenToken = values['admin-token'] ?? process.env.FLIGHT_RECORDER_ADMIN_TOKEN
  const adminToken = givenToken ?? randomBytes(18).toString('base64url')
  for (const [name, secret] of [['ingest-key', ingestKey], ['admin-token', givenToken]] as const) {
    if (secret !== undefined && secret.length < 8) throw new CliError(`--${name} must be at least 8 characters long.\n${SERVE_HELP}`)
  }
  // A folder sessions cannot be written to is a failure to start, not an error at the first upload.
  try {
    mkdirSync(dir, { recursive: true })
    accessSync(dir, constants.W_OK)
  } catch (error) {
    throw new CliError(`Cannot keep sessions in ${display(dir, io.cwd)}: ${oneLine(error)}`)
  }
  const origins = values.origin ?? []
  const maxAgeMs = duration('max-age', values['max-age'])
  const maxSessions = count('max-sessions', values['max-sessions'], 1)
  // Loaded here, so the other commands do not load the collector.
  const { createCollector, fileStore } = await import('redux-flight-recorder/collector')
  const collector = createCollector({
    store: fileStore(dir),
    ingestKey,
    adminToken,
    allowedOrigins: origins.includes('*') ? '*' : origins,
    limits: { maxBodyBytes: count('max-body', values['max-body'], 1), maxSessionBytes: count('max-session', values['max-session'], 1) },
    // Retention runs here, not on the collector's own timer, so that stopping waits for a prune in
    // progress: the command line exits as soon as `serve` returns (main.ts), which would cut a prune
    // off between sessions, or inside one (a folder left without its batches is never listed, so
    // never pruned again).
    retention: { maxAgeMs, maxSessions, intervalMs: 0 },
    onError: (error) => io.err(`flight-recorder serve: ${error instanceof Error ? error.message : String(error)}\n`),
  })
  const server = createServer(SERVER_OPTIONS, collector)
  await new Promise<void>((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(new CliError(error.code === 'EADDRINUSE' ? `Port ${port} on ${host} is in use: pick another with --port.` : `Cannot listen on ${host}:${port}: ${error.message}`)),
    )
    server.listen(port, host, () => done())
  })
  let pruning: Promise<unknown> | undefined
  const prune = () => {
    // One prune at a time: a slow one (many sessions) is not overlapped by the next.
    pruning ??= collector
      .prune()
      .catch((error: unknown) => io.err(`flight-recorder serve: ${error instanceof Error ? error.message : String(error)}\n`))
      .finally(() => (pruning = undefined))
  }
  const pruneTimer = maxAgeMs !== undefined || maxSessions !== undefined ? setInterval(prune, PRUNE_INTERVAL_MS) : undefined
  pruneTimer?.unref()
  // Retention applies from the start too (a server restarted more often than every minute would
  // otherwise never apply it), in the background: requests are answered meanwhile.
  if (pruneTimer) prune()
  // Stoppable before it says it is ready: a SIGTERM sent on reading that line (a supervisor, a
  // test) must stop it gracefully, not meet Node's default action (killed: the prune cut off).
  const stopped = new Promise<void>((done) => {
    const close = () => {
      process.off('SIGINT', close)
      process.off('SIGTERM', close)
      clearInterval(pruneTimer)
      collector.close()
      // Stopped once the open requests are answered and a prune in progress has finished.
      server.close(() => void Promise.resolve(pruning).then(() => done()))
      server.closeIdleConnections()
    }
    process.once('SIGINT', close)
    process.once('SIGTERM', close)
    stop?.addEventListener('abort', close, { once: true })
  })
  const address = server.address() as AddressInfo
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${shownHost}:${address.port}`
  if (values.json) {
    // `ingest` is the URL to give httpSink as it is: with the key, when there is one.
    const ingest = `${url}/ingest${ingestKey ? `?key=${encodeURIComponent(ingestKey)}` : ''}`
    io.out(JSON.stringify({ ok: true, url, ingest, dir, adminToken, ingestKey: ingestKey ?? null, origins }) + '\n')
  } else {
    io.out(`Collecting sessions into ${display(dir, io.cwd)} at ${url}\n`)
    io.out(`  httpSink('${url}/ingest${ingestKey ? '?key=<ingest key>' : ''}')\n`)
    if (!givenToken) io.out(`  admin token (reads, deletes): ${adminToken}\n`)
    if (!ingestKey) io.err('flight-recorder serve: no --ingest-key: anyone who can reach this port may send sessions.\n')
  }
  await stopped
  return EXIT_OK
}
