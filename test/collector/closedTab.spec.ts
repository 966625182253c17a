// A tab that closes before its last batches reach the collector: the assembled log ends without
// @@end. `flight-recorder verify` (dist/cli.js) and the panel's timeline (src/panel/timeline.ts)
// say so, and name the seqs the collector knows are missing, instead of reporting a whole log.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCollector, fileStore } from 'redux-flight-recorder/collector'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTimeline } from '../../src/panel/timeline'
import { CLI, TODO_STORE, requireDist, runNode } from '../node/helpers'
import { admin, deliver, INGEST_KEY, ADMIN_TOKEN, listen, recordBatches, reducer, tempDir, type Listening, type SentBatch } from './helpers'

let recorded: Awaited<ReturnType<typeof recordBatches>>
let dir: Awaited<ReturnType<typeof tempDir>>
const servers: Listening[] = []

beforeAll(async () => {
  await requireDist()
  recorded = await recordBatches(60, 1024)
  dir = await tempDir('rfr-closed-tab-')
})
afterAll(async () => {
  for (const s of servers) await s.close()
  await dir.remove()
})

/** A fresh collector given `batches`, then the log it assembles, written to a file. */
async function assembled(name: string, batches: SentBatch[]): Promise<{ text: string; gaps: string | null; file: string }> {
  const store = await tempDir()
  const collector = createCollector({ store: fileStore(store.dir), ingestKey: INGEST_KEY, adminToken: ADMIN_TOKEN })
  const server = await listen(collector)
  servers.push({ ...server, close: async () => (collector.close(), await server.close(), await store.remove()) })
  for (const b of batches) expect((await deliver(`${server.url}/ingest`, b)).status).toBe(200)
  const res = await admin(`${server.url}/sessions/${recorded.session}`)
  expect(res.status).toBe(200)
  const text = await res.text()
  const file = join(dir.dir, `${name}.jsonl`)
  writeFileSync(file, text)
  return { text, gaps: res.headers.get('flight-recorder-gaps'), file }
}

const verify = (file: string, ...flags: string[]) => runNode(CLI, ['verify', file, '--store', TODO_STORE, '--no-progress', ...flags])
const timeline = (text: string) => buildTimeline('collector.jsonl', text, reducer, () => new Promise((r) => setImmediate(r)), () => false)

describe('a session whose tab closed before its last batches arrived', () => {
  it('verify and the panel say the log ends without @@end, and where the collector knows seqs are missing, the gap', async () => {
    const batches = recorded.batches
    expect(batches.at(-1)!.body).toContain('"@@end"')
    const lastKept = batches.at(-3)!.to

    // Whole: nothing said.
    const whole = await assembled('whole', batches)
    const wholeRun = verify(whole.file, '--strict')
    expect(wholeRun.code).toBe(0)
    expect(wholeRun.stderr).not.toMatch(/without @@end/)
    expect((await timeline(whole.text))!.summary).toMatch(/^✓ Verified: 60 steps replayed, each matching its recorded state hash; 1 full state \(checkpoints, @@end\) matched too\.$/)

    // The last two batches never arrived (the tab closed): the log just stops at `lastKept`.
    const tail = await assembled('tail', batches.slice(0, -2))
    expect(tail.gaps).toBe('')
    const run = verify(tail.file)
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(`note: The log ends without @@end, so it may be incomplete: the recorder was not closed`)
    expect(run.stderr).toContain(`whatever it recorded after seq ${lastKept} is not in it.`)
    const json = JSON.parse(verify(tail.file, '--json').stdout) as { ended: boolean; endNote: string | null }
    expect(json.ended).toBe(false)
    expect(json.endNote).toContain(`after seq ${lastKept} is not in it`)
    expect(JSON.parse(verify(whole.file, '--json').stdout)).toMatchObject({ ended: true, endNote: null })
    const tailSummary = (await timeline(tail.text))!.summary
    expect(tailSummary).toContain(`The log ends without @@end`)
    expect(tailSummary).toContain(`after seq ${lastKept} is not in it.`)

    // A batch in the middle missing too: the collector knows those seqs are missing.
    const missing = batches[3]
    const gapped = await assembled('gapped', batches.slice(0, -2).filter((b) => b !== missing))
    expect(gapped.gaps).toBe(`${missing.from}-${missing.to}`)
    const gapRun = verify(gapped.file)
    expect(gapRun.stderr).toContain(`Entries ${missing.from}–${missing.to} are missing`)
    expect(gapRun.stderr).toContain('The log ends without @@end')
    const gapSummary = (await timeline(gapped.text))!.summary
    expect(gapSummary).toMatch(/^⚠ Not fully verified: replayed \d+ steps, \d+ of them matching their recorded state hash\. Incomplete: /)
    expect(gapSummary).toContain(`Entries ${missing.from}–${missing.to} are missing`)
    expect(gapSummary).toContain('The log ends without @@end')
  })
})
