import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { httpSink } from 'redux-flight-recorder/browser'
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import S3rver from 's3rver'
import { createCollector, fileStore, s3Store, type Collector, type CollectorOptions, type CollectorStore, type SessionListing } from 'redux-flight-recorder/collector'
import { afterEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, INGEST_KEY, admin, deliver, listen, recordThrough, reducer, sentBatch, tempDir, type SentBatch } from './helpers'

const running: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  while (running.length) await running.pop()!.close()
})

const LIMIT = 60_000

async function start(store: CollectorStore, options: Partial<CollectorOptions> = {}): Promise<{ base: string; collector: Collector }> {
  const collector = createCollector({ store, ingestKey: INGEST_KEY, adminToken: ADMIN_TOKEN, limits: { maxSessionBytes: LIMIT }, ...options })
  const server = await listen(collector)
  running.push({
    close: async () => {
      collector.close()
      await server.close()
    },
  })
  return { base: server.url, collector }
}

async function storeDir(): Promise<string> {
  const tmp = await tempDir()
  running.push({ close: tmp.remove })
  return tmp.dir
}

/**
 * A real recorder and httpSink (the Node fetch, real HTTP) recording `actions` actions, flushed every
 * 5, its requests going to the collectors in turn. Notes each request and whether the answer asked
 * for a header.
 */
async function recordLong(bases: string[], actions: number) {
  const sent: Array<SentBatch & { askedHeader: boolean; status: number }> = []
  let n = 0
  const roundRobin: typeof fetch = async (input, init) => {
    const url = new URL(String(input))
    const target = new URL(bases[n++ % bases.length])
    url.protocol = target.protocol
    url.host = target.host
    const batch = await sentBatch(url, init!)
    const res = await fetch(url, { ...init, body: batch.body })
    sent.push({ ...batch, askedHeader: res.headers.get('flight-recorder-header') === 'missing', status: res.status })
    return res
  }
  const recorded = await recordThrough(httpSink(`${bases[0]}/ingest?key=${INGEST_KEY}`, { fetch: roundRobin, retries: 0 }), 'long@1', actions, 5)
  return { sent, ...recorded, actions }
}

async function readLog(base: string, session: string) {
  const res = await admin(`${base}/sessions/${session}`)
  const text = await res.text()
  return { status: res.status, text, dropped: res.headers.get('flight-recorder-dropped'), gaps: res.headers.get('flight-recorder-gaps') }
}

/** The log reads and replays, verified, to the page's last state, and holds the newest actions. */
function expectNewestPart(log: Awaited<ReturnType<typeof readLog>>, rec: Awaited<ReturnType<typeof recordLong>>) {
  expect(log.status).toBe(200)
  expect(log.gaps).toBe('')
  const recording = parseRecording(log.text)
  const from = recording.header.from_seq
  // Its older lines were dropped, and the answer says which.
  expect(from).toBeGreaterThan(1)
  expect(log.dropped).toBe(`1-${from - 1}`)
  expect(recording.header.meta).toEqual({ app: 'long@1' })
  const seqs = recording.entries.filter(isActionEntry).map((e) => e.seq)
  // Every action from the part's start to the last one, without a hole.
  expect(seqs.length).toBeGreaterThan(20)
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0] + i))
  expect(seqs.at(-1)).toBe(rec.actions)
  expect(recording.warnings).toEqual([])
  expect(recording.end).toBeDefined()
  const result = replay(recording, { reducer })
  expect(result).toMatchObject({ ok: true, verified: true })
  expect(result.warnings).toEqual([])
  expect(result.state).toEqual(rec.state)
  return recording
}

/** The largest request's bytes: each part may pass half of the limit by one batch, the last with the @@end state. */
const largest = (rec: { sent: SentBatch[] }) => Math.max(...rec.sent.map((s) => Buffer.byteLength(s.body)))

/** The names in a session's folder, and the bytes of its batches (part headers, header.json and end.json apart). */
async function sessionBytes(dir: string, session: string): Promise<{ bytes: number; names: string[] }> {
  const names = await readdir(join(dir, session))
  let bytes = 0
  for (const name of names) if (/^\d{16}-\d{16}\.jsonl$/.test(name)) bytes += (await stat(join(dir, session, name))).size
  return { bytes, names }
}

describe('a session past limits.maxSessionBytes', () => {
  it('keeps its newest lines: the collector asks the page for its state, starts a part there, and the log verifies from the older of the newest two parts', async () => {
    const dir = await storeDir()
    const r = await start(fileStore(dir))
    const rec = await recordLong([r.base], 1000)
    // Every request was taken: nothing refused as too large.
    expect(rec.sent.filter((s) => s.status !== 200)).toEqual([])
    // The session passed half of the limit many times over: each time the collector asked for a header.
    const asked = rec.sent.filter((s) => s.askedHeader).length
    expect(asked).toBeGreaterThanOrEqual(4)
    const log = await readLog(r.base, rec.session)
    const recording = expectNewestPart(log, rec)

    // What the store keeps stays bounded: the newest two parts, about the limit.
    const { bytes, names } = await sessionBytes(dir, rec.session)
    const total = rec.sent.reduce((n, s) => n + Buffer.byteLength(s.body), 0)
    expect(total).toBeGreaterThan(4 * LIMIT)
    expect(bytes).toBeLessThan(LIMIT + 2 * largest(rec))
    expect(names.filter((n) => n.startsWith('part-'))).toHaveLength(2)
    // The log starts at the older of them; the list says where the log starts.
    expect(names).toContain(`part-${String(recording.header.from_seq).padStart(16, '0')}.jsonl`)
    const listed = ((await (await admin(`${r.base}/sessions`)).json()) as { sessions: SessionListing[] }).sessions
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({ id: rec.session, app: 'long@1', hasHeader: true, fromSeq: recording.header.from_seq })
  })

  it('batches sent again from before the cut are not stored again, and do not change the log; a part header sent again is a duplicate', async () => {
    const dir = await storeDir()
    const r = await start(fileStore(dir))
    const rec = await recordLong([r.base], 900)
    const before = await readLog(r.base, rec.session)
    const recording = expectNewestPart(before, rec)
    const from = recording.header.from_seq
    const files = (await sessionBytes(dir, rec.session)).names.sort()
    const ingest = `${r.base}/ingest`
    // The first batch (the session's first header) and other batches wholly before the log's start.
    const old = rec.sent.filter((s) => s.to < from - 1)
    expect(old.length).toBeGreaterThan(5)
    for (const s of [old[0], old[1], old.at(-1)!]) {
      const res = await deliver(ingest, s)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ stored: false, duplicate: false, dropped: true })
    }
    // The header the page sent where the log starts, sent again.
    const partHeader = rec.sent.find((s) => s.from === from - 1 && s.body.startsWith('{"kind":"@@session"'))!
    const again = await deliver(ingest, partHeader)
    expect(again.status).toBe(200)
    expect((await again.json()) as object).toMatchObject({ stored: false, duplicate: true })
    // A batch of the part, sent again: a duplicate too.
    const newer = rec.sent.filter((s) => s.from > from && !s.body.startsWith('{"kind":"@@session"')).at(-3)!
    expect((await (await deliver(ingest, newer)).json()) as object).toMatchObject({ stored: false, duplicate: true })
    // A second collector on the same store (it knows nothing of the session yet) answers the same.
    const other = await start(fileStore(dir))
    expect(await (await deliver(`${other.base}/ingest`, old[2])).json()).toEqual({ stored: false, duplicate: false, dropped: true })
    expect((await deliver(`${other.base}/ingest`, partHeader)).status).toBe(200)

    expect((await sessionBytes(dir, rec.session)).names.sort()).toEqual(files)
    const after = await readLog(r.base, rec.session)
    expect(after.text).toBe(before.text)
    expect(after.dropped).toBe(before.dropped)
  })

  it('with two collectors sharing one store, taking the requests in turn', async () => {
    const dir = await storeDir()
    const a = await start(fileStore(dir))
    const b = await start(fileStore(dir))
    const rec = await recordLong([a.base, b.base], 1000)
    expect(rec.sent.filter((s) => s.status !== 200)).toEqual([])
    expect(rec.sent.filter((s) => s.askedHeader).length).toBeGreaterThanOrEqual(4)
    for (const c of [a, b]) expectNewestPart(await readLog(c.base, rec.session), rec)
    const { bytes, names } = await sessionBytes(dir, rec.session)
    expect(bytes).toBeLessThan(LIMIT + 2 * largest(rec))
    expect(names.filter((n) => n.startsWith('part-'))).toHaveLength(2)
  })

  it('a single batch larger than the limit is still refused (413 session-too-large): it cannot fit', async () => {
    const dir = await storeDir()
    const r = await start(fileStore(dir), { limits: { maxSessionBytes: 200 } })
    const rec = await recordLong([r.base], 10)
    expect(rec.sent.length).toBeGreaterThan(0)
    expect(rec.sent.every((s) => s.status === 413)).toBe(true)
  })

  it('a store without parts (no putPart…dropBefore) keeps the first maxSessionBytes as before: later batches get 413', async () => {
    const dir = await storeDir()
    const { putPart, listParts, readPart, dropBefore, ...plain } = fileStore(dir)
    void [putPart, listParts, readPart, dropBefore]
    const r = await start(plain)
    const rec = await recordLong([r.base], 800)
    expect(rec.sent.some((s) => s.askedHeader)).toBe(false)
    expect(rec.sent.some((s) => s.status === 413)).toBe(true)
    const log = await readLog(r.base, rec.session)
    expect(log.status).toBe(200)
    expect(parseRecording(log.text).header.from_seq).toBe(1)
    expect(log.dropped).toBeNull()
  })
})

describe('a session past limits.maxSessionBytes, in S3 (s3rver on 127.0.0.1)', () => {
  it('two collectors sharing a bucket keep its newest two parts; the log verifies from either', async () => {
    const tmp = await tempDir('rfr-s3rver-')
    const s3rver = new S3rver({ port: 0, address: '127.0.0.1', directory: tmp.dir, silent: true })
    const { port } = await s3rver.run()
    running.push({ close: async () => (await s3rver.close(), await tmp.remove()) })
    const clientConfig = { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }
    await new S3Client(clientConfig).send(new CreateBucketCommand({ Bucket: 'parts' }))
    const a = await start(s3Store({ bucket: 'parts', prefix: 'long/', clientConfig }))
    const b = await start(s3Store({ bucket: 'parts', prefix: 'long/', clientConfig }))
    const rec = await recordLong([a.base, b.base], 1000)
    expect(rec.sent.filter((s) => s.status !== 200)).toEqual([])
    expect(rec.sent.filter((s) => s.askedHeader).length).toBeGreaterThanOrEqual(4)
    let from = 0
    for (const c of [a, b]) from = expectNewestPart(await readLog(c.base, rec.session), rec).header.from_seq
    const listed = await new S3Client(clientConfig).send(new ListObjectsV2Command({ Bucket: 'parts', Prefix: `long/${rec.session}/` }))
    const objects = (listed.Contents ?? []).map((o) => ({ name: o.Key!.slice(`long/${rec.session}/`.length), size: o.Size ?? 0 }))
    const parts = objects.filter((o) => o.name.startsWith('part-')).map((o) => o.name)
    expect(parts).toHaveLength(2)
    expect(parts).toContain(`part-${String(from).padStart(16, '0')}.jsonl`)
    const batchBytes = objects.filter((o) => /^\d{16}-\d{16}\.jsonl$/.test(o.name)).reduce((n, o) => n + o.size, 0)
    expect(batchBytes).toBeLessThan(LIMIT + 2 * largest(rec))
  })
})
