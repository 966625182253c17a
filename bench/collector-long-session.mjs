/**
 * One long session on one collector: N batches of 3 lines sent in order, one at a time, as a
 * page's httpSink sends them over hours (a batch a second), to a collector with `fileStore` on
 * 127.0.0.1 in this process. Prints the CPU time per batch (this process: the collector and the
 * client) over the first and the last 1,000 batches: it should not grow with the session's length.
 *
 *   npm run build && node bench/collector-long-session.mjs [batches=15000] [package dir=.]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, createServer, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { legacy_createStore } from 'redux'

const [n = '15000', dir = '.'] = process.argv.slice(2)
const from = (file) => import(pathToFileURL(join(resolve(dir), 'dist', file)).href)
const { createCollector, fileStore } = await from('collector.js')
const { createFlightRecorder } = await from('index.js')

const KEY = 'bench-ingest-key'
const tmp = mkdtempSync(join(tmpdir(), 'collector-long-'))
const unlimited = { requests: 1e9, perMs: 1 }
const collector = createCollector({ store: fileStore(tmp), ingestKey: KEY, limits: { client: unlimited, session: unlimited, maxSessionBytes: 1e10 } })
const server = createServer(collector)
await new Promise((done) => server.listen(0, '127.0.0.1', done))
const agent = new Agent({ keepAlive: true, maxSockets: 1 })

// A real header, from a recorder.
const session = `long-${Date.now()}`
const recorder = createFlightRecorder({ meta: { app: 'bench' } })
legacy_createStore((s = { n: 0 }) => s, undefined, recorder.enhancer)
const header = recorder.toJSONL().split('\n')[0].replace(/"session":"[^"]*"/, `"session":"${session}"`)
recorder.close()

const post = (a, b, body) =>
  new Promise((done, fail) => {
    const path = `/ingest?session=${session}&from=${a}&to=${b}&key=${KEY}`
    const req = request({ host: '127.0.0.1', port: server.address().port, agent, method: 'POST', path, headers: { 'content-type': 'application/x-ndjson' } }, (res) => {
      let text = ''
      res.on('data', (c) => (text += c))
      res.on('end', () => (res.statusCode === 200 ? done() : fail(new Error(`${res.statusCode} ${text}`))))
    })
    req.on('error', fail)
    req.end(body)
  })

const line = (seq) => JSON.stringify({ seq, ts: new Date().toISOString(), t: seq, turn: null, kind: 'items/updated', action: { type: 'items/updated', payload: seq }, hash: null })
const cpu = []
let seq = 0
for (let i = 0; i < Number(n); i++) {
  const lines = i === 0 ? [header] : []
  const first = i === 0 ? 0 : seq + 1
  for (let k = 0; k < 3; k++) lines.push(line(++seq))
  const before = process.cpuUsage()
  await post(first, seq, lines.join('\n') + '\n')
  const used = process.cpuUsage(before)
  cpu.push((used.user + used.system) / 1000)
}
const median = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1]
console.log(`${n} batches: CPU ms per batch, median of the first 1,000 ${median(cpu.slice(0, 1000)).toFixed(2)}, of the last 1,000 ${median(cpu.slice(-1000)).toFixed(2)}`)
server.close()
agent.destroy()
rmSync(tmp, { recursive: true, force: true })
