import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The demo's API on 127.0.0.1: POST /todos/sync stamps each todo with the sync time. */
export async function startApi(): Promise<{ url: string; server: Server; requests: () => number }> {
  let count = 0
  let clock = Date.parse('2026-11-21T10:00:00.000Z')
  const server = createServer((req, res) => {
    count++
    if (req.method === 'POST' && req.url === '/todos/sync') {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        clock += 60_000
        const todos = (JSON.parse(body || '[]') as { syncedAt: string | null }[]).map((t) => ({ ...t, syncedAt: new Date(clock).toISOString() }))
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(todos))
      })
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, server, requests: () => count }
}
