import express from 'express'
import Fastify from 'fastify'
import type { AddressInfo } from 'node:net'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { createCollector, fileStore, type Collector } from 'redux-flight-recorder/collector'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, INGEST_KEY, admin, deliver, recordBatches, reducer, shuffled, tempDir } from './helpers'

let recorded: Awaited<ReturnType<typeof recordBatches>>
beforeAll(async () => {
  recorded = await recordBatches(30, 1024)
})

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function newCollector(basePath?: string): Promise<Collector> {
  const tmp = await tempDir()
  const collector = createCollector({
    store: fileStore(tmp.dir),
    ingestKey: INGEST_KEY,
    adminToken: ADMIN_TOKEN,
    allowedOrigins: ['https://shop.example'],
    basePath,
  })
  cleanups.push(async () => {
    collector.close()
    await tmp.remove()
  })
  return collector
}

/** Express: `app.use('/flight', collector)`; Express strips the mount path, and other routes still answer. */
async function mountExpress(): Promise<string> {
  const collector = await newCollector()
  const app = express()
  app.get('/health', (_req, res) => void res.send('fine'))
  app.use('/flight', collector)
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  cleanups.push(() => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/**
 * Fastify: in its own plugin, no body parsing (the collector reads the body itself) and the raw
 * request and response handed over with `reply.hijack()`.
 */
async function mountFastify(): Promise<string> {
  const collector = await newCollector('/flight')
  const app = Fastify()
  app.get('/health', async () => 'fine')
  await app.register(
    async (scope) => {
      scope.removeAllContentTypeParsers()
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null))
      scope.all('/*', (request, reply) => {
        reply.hijack()
        collector(request.raw, reply.raw)
      })
      scope.all('/', (request, reply) => {
        reply.hijack()
        collector(request.raw, reply.raw)
      })
    },
    { prefix: '/flight' },
  )
  await app.listen({ port: 0, host: '127.0.0.1' })
  cleanups.push(() => app.close())
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

describe.each([
  ['Express', mountExpress],
  ['Fastify', mountFastify],
])('createCollector mounted in %s', (_name, mount) => {
  it('receives batches out of order and twice, and serves the assembled log', async () => {
    const base = await mount()
    for (const b of shuffled([...recorded.batches, recorded.batches[1]], 3)) {
      const res = await deliver(`${base}/flight/ingest`, b)
      expect(res.status).toBe(200)
    }
    const res = await admin(`${base}/flight/sessions/${recorded.session}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/jsonl; charset=utf-8')
    const recording = parseRecording(await res.text())
    expect(recording.warnings).toEqual([])
    expect(replay(recording, { reducer })).toMatchObject({ ok: true, verified: true, steps: 30 })
    const listing = (await (await admin(`${base}/flight/sessions?app=todo%401.0.0`)).json()) as { sessions: Array<{ id: string }> }
    expect(listing.sessions.map((s) => s.id)).toEqual([recorded.session])
    expect(await (await fetch(`${base}/health`)).text()).toBe('fine')
  })

  it('answers preflights and refuses bad input with the same statuses as node:http', async () => {
    const base = await mount()
    const preflight = await fetch(`${base}/flight/ingest`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    const b = recorded.batches[0]
    expect((await deliver(`${base}/flight/ingest`, b, { headers: { origin: 'https://evil.example' } })).status).toBe(403)
    expect((await deliver(`${base}/flight/ingest`, b, { key: 'wrong-key-entirely' })).status).toBe(401)
    const partial = await deliver(`${base}/flight/ingest`, { ...b, body: b.body.slice(0, -5) })
    expect(partial.status).toBe(400)
    expect(((await partial.json()) as { code: string }).code).toBe('partial-line')
    expect((await deliver(`${base}/flight/ingest`, { ...b, session: '../../x' })).status).toBe(400)
    expect((await fetch(`${base}/flight/sessions`)).status).toBe(401)
  })
})
