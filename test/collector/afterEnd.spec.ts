import { parseRecording } from 'redux-flight-recorder/replay'
import { createCollector, fileStore, type Collector } from 'redux-flight-recorder/collector'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, INGEST_KEY, admin, deliver, filesUnder, listen, recordBatches, tempDir, type Listening, type SentBatch } from './helpers'

// Nothing may follow @@end (docs/FORMAT.md): the collector refuses lines after it within one batch
// (validateBatch) and, once a session's @@end is stored, in any later batch, on whichever collector
// sharing the store it arrives.

const running: Array<() => Promise<void>> = []
afterEach(async () => {
  while (running.length) await running.pop()!()
})

async function startOn(dir: string): Promise<{ collector: Collector; server: Listening; ingest: string }> {
  const collector = createCollector({ store: fileStore(dir), ingestKey: INGEST_KEY, adminToken: ADMIN_TOKEN })
  const server = await listen(collector)
  running.push(async () => {
    collector.close()
    await server.close()
  })
  return { collector, server, ingest: `${server.url}/ingest` }
}

async function storeDir(): Promise<string> {
  const tmp = await tempDir()
  running.push(tmp.remove)
  return tmp.dir
}

let recorded: Awaited<ReturnType<typeof recordBatches>>
let endSeq: number

beforeAll(async () => {
  recorded = await recordBatches(30, 1024)
  const last = recorded.batches[recorded.batches.length - 1]
  const end = JSON.parse(last.body.trim().split('\n').pop()!) as { kind: string; seq: number }
  expect(end.kind).toBe('@@end')
  endSeq = end.seq
})

/** A valid action entry at `seq`, alone in a batch of its own. */
function afterEnd(seq: number): SentBatch {
  const line = JSON.stringify({ seq, ts: new Date(0).toISOString(), t: 99, turn: 't99', kind: 'todos/added', action: { type: 'todos/added', payload: 'late' }, hash: '0000000000000000' })
  return { ...recorded.batches[0], from: seq, to: seq, body: line + '\n' }
}

async function refusedAfterEnd(res: Response): Promise<void> {
  expect(res.status).toBe(400)
  const body = (await res.json()) as { error: string; code: string }
  expect(body.code).toBe('after-end')
  expect(body.error).toContain('Nothing may follow the @@end line')
}

describe('collector: lines after a stored @@end', () => {
  it('refuses a later batch after @@end with 400 after-end, stores nothing of it, and the session stays as it was', async () => {
    const dir = await storeDir()
    const c = await startOn(dir)
    for (const b of recorded.batches) expect((await deliver(c.ingest, b)).status).toBe(200)
    const before = await filesUnder(dir)
    await refusedAfterEnd(await deliver(c.ingest, afterEnd(endSeq + 1)))
    // Further on too; the @@end batch sent again is a duplicate.
    await refusedAfterEnd(await deliver(c.ingest, afterEnd(endSeq + 5)))
    const last = recorded.batches[recorded.batches.length - 1]
    const again = await deliver(c.ingest, last)
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ duplicate: true })
    expect(await filesUnder(dir)).toEqual(before)

    const listing = (await (await admin(`${c.server.url}/sessions`)).json()) as { sessions: Array<{ id: string; batches: number }> }
    expect(listing.sessions.find((s) => s.id === recorded.session)?.batches).toBe(recorded.batches.length)
    const res = await admin(`${c.server.url}/sessions/${recorded.session}`)
    expect(res.headers.get('flight-recorder-after-end')).toBeNull()
    const recording = parseRecording(await res.text())
    expect(recording.end?.seq).toBe(endSeq)
    expect(recording.warnings).toEqual([])
  })

  it('is refused by another collector sharing the store, one that saw the session before its @@end was stored', async () => {
    const dir = await storeDir()
    const a = await startOn(dir)
    const b = await startOn(dir)
    // b sees the session first (it knows of its batches from then on), a stores the rest with @@end.
    expect((await deliver(b.ingest, recorded.batches[0])).status).toBe(200)
    for (const batch of recorded.batches.slice(1)) expect((await deliver(a.ingest, batch)).status).toBe(200)
    const before = await filesUnder(dir)
    await refusedAfterEnd(await deliver(b.ingest, afterEnd(endSeq + 1)))
    // A collector started afterwards, too.
    const c = await startOn(dir)
    await refusedAfterEnd(await deliver(c.ingest, afterEnd(endSeq + 2)))
    expect(await filesUnder(dir)).toEqual(before)
  })

  it('serves the log up to @@end and names the stored lines after it (stored before the end was known) in Flight-Recorder-After-End', async () => {
    const dir = await storeDir()
    const c = await startOn(dir)
    // The late line reaches the store first (as from a collector that had not yet heard of the end).
    const late = afterEnd(endSeq + 1)
    await fileStore(dir).putBatch(recorded.session, late.from, late.to, late.body)
    for (const b of recorded.batches) expect((await deliver(c.ingest, b)).status).toBe(200)
    const res = await admin(`${c.server.url}/sessions/${recorded.session}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('flight-recorder-after-end')).toBe(`${endSeq + 1}-${endSeq + 1}`)
    const recording = parseRecording(await res.text())
    expect(recording.end?.seq).toBe(endSeq)
  })
})
