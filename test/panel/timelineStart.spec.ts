// The panel's timeline of a log that starts after its session did (acceptance, session 31): a
// trimmed buffer ("Replay this tab's session" after 15,004 actions, with the default 10,000-entry
// buffer) said "✓ Verified: 9884 steps replayed…" and never that the session's first entries are
// not in the log, which `flight-recorder verify` says. The summary says it now, in verify's words.
import { createFlightRecorder } from 'redux-flight-recorder'
import { describe, expect, it } from 'vitest'
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

  it('says nothing of it for a log that starts at seq 1', async () => {
    const whole = (await buildTimeline('whole.jsonl', await recordText(rootReducer, (dispatch) => {
      dispatch(added({ id: 'todo-1', title: 'Milk', done: false }))
      dispatch(toggled('todo-1'))
    }), rootReducer, pause, never))!
    expect(whole.summary).toMatch(/^✓ Verified: 2 steps replayed/)
    expect(whole.summary).not.toContain('The log starts at seq')
  })
})
