/**
 * Load on one collector: hundreds of concurrent simulated httpSink sessions on 127.0.0.1.
 *
 *   npm run build && node bench/collector-load.mjs [--sessions 300] [--batches 20] [--lines 20] [--seconds 120] [--out bench/collector.md]
 *
 * The collector (createCollector + fileStore in a temporary directory, the built package) runs in a
 * child process, so its memory is its own; this process plays the browsers. Each session sends its
 * batches one at a time, as httpSink does (header first, then 20 lines of about 190 bytes per batch,
 * a 4 KiB request), and 5% of the batches are sent twice (a retry whose answer was lost). All
 * sessions run at once over a keep-alive agent of at most 256 sockets. Latency is per request, from
 * write to the answer's end. The child samples its memory every 50 ms; the load runs twice (round
 * 2 with new sessions) to show memory does not grow with the sessions already stored. At the end
 * every session is read back (GET /sessions/<id>) and must have exactly the lines sent.
 * Bounded: at most 2,000 sessions, and the run stops with an error after --seconds.
 */
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const INGEST_KEY = 'bench-ingest-key'
const ADMIN_TOKEN = 'bench-admin-token'

if (process.argv[2] === '--child') {
  // The collector process.
  const { createServer } = await import('node:http')
  const { createCollector, fileStore } = await import('redux-flight-recorder/collector')
  const collector = createCollector({
    store: fileStore(process.argv[3]),
    ingestKey: INGEST_KEY,
    adminToken: ADMIN_TOKEN,
    // One machine plays every client: the per-client limit would measure itself.
    limits: { client: { requests: 1e9, perMs: 1 } },
  })
  const server = createServer({ keepAliveTimeout: 30_000 }, collector)
  let peak = { rss: 0, heapUsed: 0 }
  const sample = () => {
    const m = process.memoryUsage()
    peak = { rss: Math.max(peak.rss, m.rss), heapUsed: Math.max(peak.heapUsed, m.heapUsed + m.arrayBuffers) }
    return m
  }
  setInterval(sample, 50).unref()
  process.on('message', (msg) => {
    if (msg === 'memory') {
      const now = sample()
      process.send({ now: { rss: now.rss, heapUsed: now.heapUsed + now.arrayBuffers }, peak })
      peak = { rss: 0, heapUsed: 0 }
    }
    if (msg === 'stop') server.close(() => process.exit(0))
  })
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
} else {
  await main()
}

async function main() {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: '300' },
      batches: { type: 'string', default: '20' },
      lines: { type: 'string', default: '20' },
      seconds: { type: 'string', default: '120' },
      out: { type: 'string', default: fileURLToPath(new URL('./collector.md', import.meta.url)) },
    },
  })
  const SESSIONS = Math.min(2000, Number(values.sessions))
  const BATCHES = Math.min(200, Number(values.batches))
  const LINES = Math.min(200, Number(values.lines))
  const deadline = Date.now() + Number(values.seconds) * 1000

  const dir = mkdtempSync(join(tmpdir(), 'rfr-collector-load-'))
  const child = fork(fileURLToPath(import.meta.url), ['--child', dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const port = await new Promise((resolve) => child.once('message', (m) => resolve(m.port)))
  const ask = () => new Promise((resolve) => (child.once('message', resolve), child.send('memory')))
  const agent = new Agent({ keepAlive: true, maxSockets: 256 })

  function send(method, path, body, headers = {}) {
    return new Promise((resolve, reject) => {
      const started = performance.now()
      const req = request({ host: '127.0.0.1', port, method, path, agent, headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers } }, (res) => {
        const parts = []
        res.on('data', (d) => parts.push(d))
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(parts).toString('utf8'), ms: performance.now() - started }))
      })
      req.on('error', reject)
      req.end(body)
    })
  }

  /** A session's batches as httpSink cuts them: the header in the first, then LINES entries each. */
  function sessionBatches(id) {
    const header = JSON.stringify({ kind: '@@session', v: 1, session: id, ts: new Date().toISOString(), hash_alg: 'fr64', meta: { app: 'load@1' }, redact: { state: [], actions: [] }, from_seq: 1, state: { todos: { ids: [], entities: {} } }, hash: '0123456789abcdef' })
    const out = []
    let seq = 1
    for (let b = 0; b < BATCHES; b++) {
      const lines = b === 0 ? [header] : []
      const from = b === 0 ? 0 : seq
      for (let i = 0; i < LINES; i++, seq++) {
        lines.push(`{"seq":${seq},"ts":"2026-12-02T15:00:00.000Z","t":${seq * 16.5},"turn":"t${seq}","kind":"todos/added","action":{"type":"todos/added","payload":{"id":"todo-${seq}","title":"Buy some milk and bread","done":false}},"hash":"9f2c4e1b7a3d5e60"}`)
      }
      out.push({ from, to: seq - 1, body: lines.join('\n') + '\n', lines: lines.length })
    }
    return out
  }

  async function round(name, offset) {
    const latencies = []
    let requests = 0
    let bytes = 0
    let failures = 0
    const ids = Array.from({ length: SESSIONS }, (_, i) => `load-${name}-${String(offset + i).padStart(5, '0')}`)
    const started = performance.now()
    await Promise.all(
      ids.map(async (id, n) => {
        for (const [b, batch] of sessionBatches(id).entries()) {
          if (Date.now() > deadline) throw new Error(`The load did not finish within ${values.seconds} s.`)
          const path = `/ingest?session=${id}&from=${batch.from}&to=${batch.to}&key=${INGEST_KEY}`
          const times = (n * 31 + b) % 20 === 0 ? 2 : 1
          for (let t = 0; t < times; t++) {
            const r = await send('POST', path, batch.body)
            latencies.push(r.ms)
            requests++
            bytes += Buffer.byteLength(batch.body)
            if (r.status !== 200) failures++
          }
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    const memory = await ask()
    latencies.sort((a, b) => a - b)
    const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]
    return { name, ids, requests, failures, seconds, rps: requests / seconds, mbps: bytes / 1e6 / seconds, p50: pct(50), p99: pct(99), max: latencies.at(-1), memory }
  }

  const before = await ask()
  const r1 = await round('a', 0)
  const r2 = await round('b', SESSIONS)

  // Every session reads back whole.
  let wrong = 0
  const expectedLines = 1 + BATCHES * LINES
  for (const id of [...r1.ids, ...r2.ids]) {
    const r = await send('GET', `/sessions/${id}`, undefined, { authorization: `Bearer ${ADMIN_TOKEN}` })
    const n = r.body.split('\n').length - 1
    if (r.status !== 200 || n !== expectedLines) wrong++
  }
  child.send('stop')
  agent.destroy()
  rmSync(dir, { recursive: true, force: true })

  const mb = (n) => (n / 1024 / 1024).toFixed(0)
  const row = (r) =>
    `| ${r.name === 'a' ? '1' : '2'} | ${r.requests.toLocaleString('en')} | ${r.failures} | ${r.rps.toFixed(0)} | ${r.mbps.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(0)} | ${mb(r.memory.peak.rss)} | ${mb(r.memory.peak.heapUsed)} |`
  const md = [
    '## Collector under load',
    '',
    `\`node bench/collector-load.mjs --sessions ${SESSIONS} --batches ${BATCHES} --lines ${LINES}\` (built package, ${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(2)} at the end).`,
    `One collector (\`createCollector\` + \`fileStore\`, its own process) on 127.0.0.1; ${SESSIONS} concurrent sessions per round, each sending ${BATCHES} batches of ${LINES} lines (about ${(sessionBatches('x')[1].body.length / 1024).toFixed(1)} KiB a request) one at a time as httpSink does, 5% of them twice (retries).`,
    'Round 2 sends as many new sessions while round 1\'s stay stored. Latency: from sending a request to the end of its answer, every request.',
    '',
    '| round | requests | non-200 | requests/s | MB/s | p50 ms | p99 ms | max ms | collector peak RSS MB | collector peak heap MB |',
    '|---|---|---|---|---|---|---|---|---|---|',
    row(r1),
    row(r2),
    '',
    `Collector memory before the load: RSS ${mb(before.now.rss)} MB, heap ${mb(before.now.heapUsed)} MB; after round 1: RSS ${mb(r1.memory.now.rss)} MB; after round 2: RSS ${mb(r2.memory.now.rss)} MB, heap ${mb(r2.memory.now.heapUsed)} MB.`,
    `Read back: ${r1.ids.length + r2.ids.length - wrong} of ${r1.ids.length + r2.ids.length} sessions whole (${expectedLines} lines each).`,
    '',
  ].join('\n')
  writeFileSync(values.out, md)
  process.stdout.write(md)
  if (wrong > 0 || r1.failures + r2.failures > 0) process.exitCode = 1
}
