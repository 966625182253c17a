import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { createCollector, s3Store, type Collector } from 'redux-flight-recorder/collector'
import S3rver from 's3rver'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, INGEST_KEY, admin, deliver, listen, recordBatches, reducer, shuffled, tempDir, type Listening } from './helpers'

const BUCKET = 'flight-sessions'

/** A real S3-compatible server (s3rver, on disk in a temporary folder) on 127.0.0.1. */
let s3rver: S3rver
let endpoint: string
let removeDir: () => Promise<void>
const clientConfig = () => ({
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
})

beforeAll(async () => {
  const tmp = await tempDir('rfr-s3rver-')
  removeDir = tmp.remove
  s3rver = new S3rver({ port: 0, address: '127.0.0.1', directory: tmp.dir, silent: true })
  const { port } = await s3rver.run()
  endpoint = `http://127.0.0.1:${port}`
  await new S3Client(clientConfig()).send(new CreateBucketCommand({ Bucket: BUCKET }))
})
afterAll(async () => {
  await s3rver?.close()
  await removeDir?.()
})

/** A collector with its own S3 client, as a separate process behind a load balancer would have. */
async function collectorOnS3(prefix: string): Promise<{ collector: Collector; server: Listening }> {
  const collector = createCollector({
    store: s3Store({ bucket: BUCKET, prefix, clientConfig: clientConfig() }),
    ingestKey: INGEST_KEY,
    adminToken: ADMIN_TOKEN,
  })
  return { collector, server: await listen(collector) }
}

describe('s3Store', () => {
  it('lets two collectors write one session, each batch an object, and either serves it whole', async () => {
    const recorded = await recordBatches(50, 1024)
    const a = await collectorOnS3('two/')
    const b = await collectorOnS3('two/')
    try {
      // Batches alternate between the collectors, in a shuffled order; some are retried on the other one.
      const order = shuffled(recorded.batches, 11)
      for (let i = 0; i < order.length; i++) {
        const target = i % 2 === 0 ? a : b
        expect((await deliver(`${target.server.url}/ingest`, order[i])).status).toBe(200)
        if (i % 5 === 0) expect((await deliver(`${(target === a ? b : a).server.url}/ingest`, order[i])).status).toBe(200)
      }
      const listed = await new S3Client(clientConfig()).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `two/${recorded.session}/` }))
      const keys = (listed.Contents ?? []).map((o) => o.Key!.slice(`two/${recorded.session}/`.length)).sort()
      const expected = recorded.batches.map((x) => `${String(x.from).padStart(16, '0')}-${String(x.to).padStart(16, '0')}.jsonl`)
      expect(keys).toEqual(['end.json', 'header.json', ...expected].sort())

      for (const c of [a, b]) {
        const res = await admin(`${c.server.url}/sessions/${recorded.session}`)
        expect(res.status).toBe(200)
        expect(res.headers.get('flight-recorder-gaps')).toBe('')
        const recording = parseRecording(await res.text())
        expect(recording.warnings).toEqual([])
        expect(recording.end).toBeDefined()
        const result = replay(recording, { reducer })
        expect(result).toMatchObject({ ok: true, verified: true, steps: 50 })
        expect(result.state).toEqual(recorded.state)
      }
    } finally {
      for (const c of [a, b]) {
        c.collector.close()
        await c.server.close()
      }
    }
  })

  it('refuses a batch after the stored @@end with 400 after-end on another collector that saw the session before the end', async () => {
    const recorded = await recordBatches(20, 1024)
    const end = JSON.parse(recorded.batches.at(-1)!.body.trim().split('\n').pop()!) as { kind: string; seq: number }
    expect(end.kind).toBe('@@end')
    const a = await collectorOnS3('end/')
    const b = await collectorOnS3('end/')
    try {
      expect((await deliver(`${b.server.url}/ingest`, recorded.batches[0])).status).toBe(200)
      for (const batch of recorded.batches.slice(1)) expect((await deliver(`${a.server.url}/ingest`, batch)).status).toBe(200)
      const line = JSON.stringify({ seq: end.seq + 1, ts: new Date(0).toISOString(), t: 99, turn: 't99', kind: 'todos/added', action: { type: 'todos/added', payload: 'late' }, hash: '0000000000000000' })
      const res = await deliver(`${b.server.url}/ingest`, { ...recorded.batches[0], from: end.seq + 1, to: end.seq + 1, body: line + '\n' })
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ code: 'after-end' })
      const listed = await new S3Client(clientConfig()).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `end/${recorded.session}/` }))
      expect(listed.Contents ?? []).toHaveLength(recorded.batches.length + 2)
    } finally {
      for (const c of [a, b]) {
        c.collector.close()
        await c.server.close()
      }
    }
  })

  it('lists by app, reports a missing batch as a gap, deletes, and prunes by age', async () => {
    const first = await recordBatches(20, 1024)
    const second = await recordBatches(10, 1024)
    const c = await collectorOnS3('ops/')
    try {
      const missing = first.batches[2]
      for (const x of first.batches) if (x !== missing) await deliver(`${c.server.url}/ingest`, x)
      for (const x of second.batches) await deliver(`${c.server.url}/ingest`, x)
      const list = (await (await admin(`${c.server.url}/sessions?app=todo%401.0.0`)).json()) as { sessions: Array<{ id: string; batches: number }> }
      expect(list.sessions.map((s) => s.id).sort()).toEqual([first.session, second.session].sort())
      expect(list.sessions.find((s) => s.id === first.session)!.batches).toBe(first.batches.length - 1)

      const gapped = await admin(`${c.server.url}/sessions/${first.session}`)
      expect(gapped.headers.get('flight-recorder-gaps')).toBe(`${missing.from}-${missing.to}`)
      expect(parseRecording(await gapped.text()).warnings).toHaveLength(1)

      expect((await admin(`${c.server.url}/sessions/${second.session}`, { method: 'DELETE' })).status).toBe(200)
      expect((await admin(`${c.server.url}/sessions/${second.session}`)).status).toBe(404)
      const after = await new S3Client(clientConfig()).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `ops/${second.session}/` }))
      expect(after.Contents ?? []).toEqual([])

      // An hour later, with a one-minute age limit: the session left is pruned, all its objects.
      const pruning = createCollector({
        store: s3Store({ bucket: BUCKET, prefix: 'ops/', clientConfig: clientConfig() }),
        now: () => Date.now() + 3_600_000,
        retention: { maxAgeMs: 60_000, intervalMs: 0 },
      })
      expect(await pruning.prune()).toEqual([first.session])
      const left = await new S3Client(clientConfig()).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'ops/' }))
      expect(left.Contents ?? []).toEqual([])
    } finally {
      c.collector.close()
      await c.server.close()
    }
  })
})
