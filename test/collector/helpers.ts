import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFlightRecorder } from 'redux-flight-recorder'
import { httpSink } from 'redux-flight-recorder/browser'
import { fileStore, type CollectorStore } from 'redux-flight-recorder/collector'
import { actionAt, makeStore, reducer } from '../fixtures/cli/todoStore.mjs'

export { reducer }

export const INGEST_KEY = 'ingest-key-for-tests'
export const ADMIN_TOKEN = 'admin-token-for-tests'

/** A request exactly as httpSink made it. */
export interface SentBatch {
  url: URL
  session: string
  from: number
  to: number
  body: string
  contentType: string
}

/**
 * Records a real session (RTK todo store, real recorder, real httpSink) and keeps the requests
 * httpSink made instead of sending them, so tests can deliver them in any order, twice, or not at all.
 */
export async function recordBatches(actions = 40, maxChunkBytes = 1024): Promise<{ batches: SentBatch[]; session: string; state: unknown }> {
  const batches: SentBatch[] = []
  const capture: typeof fetch = async (input, init) => {
    batches.push(await sentBatch(new URL(String(input)), init!))
    return new Response(null, { status: 204 })
  }
  return { batches, ...(await recordThrough(httpSink('http://collector.test/ingest', { fetch: capture, maxChunkBytes }), 'todo@1.0.0', actions, 10)) }
}

/** A request httpSink made to `url` with `init`, as a `SentBatch` (a line with a large state goes as a Blob). */
export async function sentBatch(url: URL, init: RequestInit): Promise<SentBatch> {
  const body = init.body instanceof Blob ? await init.body.text() : String(init.body)
  return {
    url,
    session: url.searchParams.get('session')!,
    from: Number(url.searchParams.get('from')),
    to: Number(url.searchParams.get('to')),
    body,
    contentType: (init.headers as Record<string, string>)['Content-Type'],
  }
}

/** A real session (RTK todo store, real recorder) through `sink`: `actions` actions, a flush after every `flushEvery`, then close. */
export async function recordThrough(sink: ReturnType<typeof httpSink>, app: string, actions: number, flushEvery: number): Promise<{ session: string; state: unknown }> {
  const recorder = createFlightRecorder({ sinks: [sink], meta: { app }, flushIntervalMs: 600_000 })
  const store = makeStore(recorder)
  for (let i = 0; i < actions; i++) {
    store.dispatch(actionAt(i))
    if (i % flushEvery === flushEvery - 1) await recorder.flush()
  }
  await recorder.close()
  return { session: recorder.session, state: store.getState() }
}

export interface Listening {
  url: string
  server: Server
  close(): Promise<void>
}

export function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, port = 0): Promise<Listening> {
  const server = createServer(handler)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}

/** POSTs one captured batch to `base` (the collector's ingest URL), as httpSink would. */
export function deliver(base: string, batch: SentBatch, init: { key?: string | null; headers?: Record<string, string> } = {}): Promise<Response> {
  const url = new URL(base)
  url.searchParams.set('session', batch.session)
  url.searchParams.set('from', String(batch.from))
  url.searchParams.set('to', String(batch.to))
  if (init.key !== null) url.searchParams.set('key', init.key ?? INGEST_KEY)
  return fetch(url, { method: 'POST', body: batch.body, headers: { 'content-type': batch.contentType, ...init.headers } })
}

export function admin(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(init.headers as Record<string, string>) } })
}

export async function tempDir(prefix = 'rfr-collector-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** A `fileStore` in a temporary directory that notes each batch it reads (`from-to`): with S3 each read is a GET. */
export async function readCountingStore(): Promise<{ store: CollectorStore; reads: string[]; dir: string; remove(): Promise<void> }> {
  const tmp = await tempDir()
  const real = fileStore(tmp.dir)
  const reads: string[] = []
  const store = { ...real, readBatch: (session: string, from: number, to: number) => (reads.push(`${from}-${to}`), real.readBatch(session, from, to)) }
  return { store, reads, ...tmp }
}

/** Every file under `dir`, relative paths, recursively. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath ?? (entry as { path: string }).path, entry.name).slice(dir.length + 1))
  }
  return out.sort()
}

/** Fisher–Yates with a seeded generator, so a failing order can be read from the test. */
export function shuffled<T>(items: T[], seed: number): T[] {
  const a = [...items]
  let s = seed >>> 0 || 1
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1664525 + 1013904223) >>> 0
    const j = s % (i + 1)
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a
}
