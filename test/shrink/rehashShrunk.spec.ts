import type { Recording } from 'redux-flight-recorder'
import { encodeRecording, isActionEntry, parseRecording, rehashRecording, replay, shrinkRecording } from 'redux-flight-recorder/replay'
import { beforeAll, describe, expect, it } from 'vitest'
import { shrunkWithoutBaseline } from '../../src/internal/shrunk'
import { makeReducer, makeStore, shopSession } from './fixtures/shop.mjs'
import { recordSession } from 'redux-flight-recorder/testing'

// A crash shrunk without a baseline has no hashes and no @@end, by design (its header's
// `shrunk.rehashed` false). Rehashed once the bug is fixed (as the bug-report guide says), it has
// the fixed reducer's hashes: its header says so, and it ends with @@end as one shrunk with a
// baseline does, so readers no longer take it for a log without hashes (acceptance, session 39).

const good = makeReducer()
const crash = makeReducer({ bug: 'crash' })
let min: Recording

beforeAll(async () => {
  const session = await recordSession((rec) => makeStore(rec), async (store) => {
    await shopSession(store, { actions: 300, seed: 3 })
  })
  min = parseRecording(encodeRecording(shrinkRecording(session, { reducer: crash })))
}, 60_000)

describe('rehashing a log shrunk without a baseline', () => {
  it('marks its header rehashed and ends it with @@end: the fixed reducer replays it with every state checked', () => {
    expect(min.header.shrunk).toMatchObject({ rehashed: false })
    expect(min.end).toBeUndefined()
    expect(shrunkWithoutBaseline(min.header)).toBe(true)

    const updated = parseRecording(encodeRecording(rehashRecording(min, { reducer: good })))
    expect(updated.header.shrunk).toEqual({ ...(min.header.shrunk as object), rehashed: true })
    expect(shrunkWithoutBaseline(updated.header)).toBe(false)
    const actions = updated.entries.filter(isActionEntry)
    expect(actions.every((e) => typeof e.hash === 'string')).toBe(true)
    const last = actions[actions.length - 1]
    expect(updated.end).toMatchObject({ kind: '@@end', seq: last.seq + 1, ts: last.ts, t: last.t, count: actions.length, dropped: 0, hash: last.hash })
    expect(replay(updated, { reducer: good })).toMatchObject({ ok: true, verified: true, checked: actions.length + 1 })
    // The crash coming back fails it, as before.
    expect(replay(updated, { reducer: crash }).divergence).toMatchObject({ reason: 'reducer-threw' })
  })

  it('rehashed again, it stays as it is (one @@end, the header as it was)', () => {
    const rehashed = rehashRecording(min, { reducer: good })
    const again = rehashRecording(rehashed, { reducer: good })
    expect(again.header.shrunk).toEqual(rehashed.header.shrunk)
    expect(again.end).toEqual(rehashed.end)
    expect(again.rehash).toMatchObject({ changed: 0, fullStates: 0 })
  })
})
