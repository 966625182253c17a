// The panel's timeline of a log that starts after its session did (acceptance, session 31): a
// trimmed buffer ("Replay this tab's session" after 15,004 actions, with the default 10,000-entry
// buffer) said "✓ Verified: 9884 steps replayed…" and never that the session's first entries are
// not in the log, which `flight-recorder verify` says. The summary says it now, in verify's words.
import { createFlightRecorder } from 'redux-flight-recorder'
import { httpSink } from 'redux-flight-recorder/browser'
import { createCollector, fileStore } from 'redux-flight-recorder/collector'
import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, INGEST_KEY, admin, listen, recordThrough, reducer as collectedReducer, tempDir } from '../collector/helpers'
import { buildTimeline } from '../../src/panel/timeline'
import { recordText } from '../helpers/recordText'
import { added, makeStore, rootReducer, toggled } from '../helpers/todoApp'

const pause = () => new Promise<void>((resolve) => setImmediate(resolve))
const never = () => false

describe("the timeline of a log that starts after its session did", () => {
  it("says the session's first entries are not in a trimmed buffer's log, as verify does", async () => {
    const recorder = createFlightRecorder({ maxEntries: 40 })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'todo-1', title: 'Milk', done: false }))
    for (let i = 1; i < 150; i++) store.dispatch(toggled('todo-1'))
    const log = recorder.toJSONL({ finalState: true })
    const header = JSON.parse(log.slice(0, log.indexOf('\n'))) as { from_seq: number; trimmed: number }
    expect(header.from_seq).toBeGreaterThan(1)
    expect(header.trimmed).toBeGreaterThan(0)
    const timeline = (await buildTimeline('snapshot.jsonl', log, rootReducer, pause, never, 'snapshot'))!
    expect(timeline.verdict).toBe('ok')
    const first = header.from_seq - 1
    expect(timeline.summary).toContain(
      ` The log starts at seq ${header.from_seq}, from the state there: the session's first ${first} entries are not in it (the recorder's bounded buffer had let ${header.trimmed} entries go).`,
    )
    await recorder.close()
  })

  it("says that a collector keeps a long session's newest part, for a log it served without the older batches (session 42)", async () => {
    // A real collector (fileStore, `maxSessionBytes`) fed by a real httpSink over HTTP on 127.0.0.1:
    // past the limit it keeps the session's newest part, and the log it serves starts there (the
    // answer's `Flight-Recorder-Dropped: 1-<n>`). The summary named a rotated file, a sink added
    // later or lines a sink dropped, not the collector that dropped them.
    const tmp = await tempDir()
    const collector = createCollector({ store: fileStore(tmp.dir), ingestKey: INGEST_KEY, adminToken: ADMIN_TOKEN, limits: { maxSessionBytes: 60_000 } })
    const server = await listen(collector)
    try {
      const { session } = await recordThrough(httpSink(`${server.url}/ingest?key=${INGEST_KEY}`, { retries: 0 }), 'long@1', 1000, 5)
      const res = await admin(`${server.url}/sessions/${session}`)
      const text = await res.text()
      const from = (JSON.parse(text.slice(0, text.indexOf('\n'))) as { from_seq: number }).from_seq
      expect(from).toBeGreaterThan(1)
      expect(res.headers.get('flight-recorder-dropped')).toBe(`1-${from - 1}`)
      const timeline = (await buildTimeline(`${session}.jsonl`, text, collectedReducer, pause, never))!
      expect(timeline.verdict).toBe('ok')
      expect(timeline.summary).toContain(
        ` The log starts at seq ${from}, from the state there: the session's first ${from - 1} entries are not in it (a collector that kept a long session's newest part, a rotated file, a sink added later, or lines its sink dropped: a @@dropped entry then says how many).`,
      )
    } finally {
      collector.close()
      await server.close()
      await tmp.remove()
    }
  }, 60_000)

  it('says nothing of it for a log that starts at seq 1', async () => {
    const whole = (await buildTimeline('whole.jsonl', await recordText(rootReducer, (dispatch) => {
      dispatch(added({ id: 'todo-1', title: 'Milk', done: false }))
      dispatch(toggled('todo-1'))
    }), rootReducer, pause, never))!
    expect(whole.summary).toMatch(/^✓ Verified: 2 steps replayed/)
    expect(whole.summary).not.toContain('The log starts at seq')
  })
})
