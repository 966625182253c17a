import { configureStore, createSlice } from '@reduxjs/toolkit'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, stateHash } from 'redux-flight-recorder'
import { headerOf, headerReady, type PartedText } from '../../src/internal/lineParts'
import type { Sink } from '../../src/recorder/types'

// A sink that asks for the header as soon as it may (httpSink and indexedDbSink do, so that a page
// left early still has it) waits for `headerReady`. That resolved at once while the recorder's
// full-state writer (a chunk loaded with import() when the recorder starts) had not arrived: the
// header was then written in one piece on the spot, with the starting state hashed whole in the same
// task (Chromium, 10 MB: one task of 1.3-2.2 s, found by session 32's jank trace). Now it resolves
// once the writer is there and the starting state is hashed in slices: the header comes in parts.

const entities = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`e${i}`, { id: `e${i}`, title: `item ${i}`, done: i % 3 === 0 }]))
const items = createSlice({ name: 'items', initialState: { ids: Object.keys(entities), entities }, reducers: {} })

describe('headerReady: a sink that asks for the header before the full-state writer has arrived', () => {
  it('gets it once the writer is there: in parts, with the starting state hashed', async () => {
    let asked!: Promise<PartedText>
    const sink: Sink = {
      attach(ctx) {
        asked = headerReady(ctx).then(() => headerOf(ctx))
      },
      write() {},
    }
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = configureStore({ reducer: { items: items.reducer }, enhancers: (g) => g().concat(recorder.enhancer) })
    const header = await asked
    // Written by the state writer, chunk by chunk (2,000 entities), not as one string on the spot.
    expect(header.parts).toBeDefined()
    expect(header.parts!.length).toBeGreaterThan(2)
    const parsed = JSON.parse(header.parts!.join('')) as { kind: string; state: unknown; hash: string }
    expect(parsed).toMatchObject({ kind: '@@session', state: store.getState(), hash: stateHash(store.getState()) })
    await recorder.close()
  })
})

// indexedDbSink starts a new segment with a header of the state before the lines it is writing.
// Asked for on the spot, that state (never a full state before) was written in one task (10 MB in
// Chromium: 45-70 ms, session 38's jank trace). `headerReady` asked during a write now has the
// recorder write it in slices first: the header then reads nothing of the state.
describe('headerReady during a write: the header of its lines', () => {
  it("has that header's state written in slices first: the header read after it walks none of the state", async () => {
    const keysOfMap = vi.fn()
    const big = items.reducer(undefined, { type: 'init' }).entities
    let header: PartedText | undefined
    let fromSeq = 0
    let wrote = 0
    const sink: Sink = {
      write(lines, ctx) {
        if (wrote++ === 0) return
        // (The second write's header: the state before its first line, the first write's last state.)
        fromSeq = (JSON.parse(lines[0]) as { seq: number }).seq
        return headerReady(ctx).then(() => {
          const keys = Object.keys
          // (The state writer's walk reads the map's keys; a prepared state's text is not walked again.)
          Object.keys = ((o: object) => (o === big && keysOfMap(), keys(o))) as typeof Object.keys
          try {
            header = headerOf(ctx)
          } finally {
            Object.keys = keys
          }
        })
      },
    }
    const touch = createSlice({ name: 'touch', initialState: { n: 0 }, reducers: { bump: (s) => void s.n++ } })
    const recorder = createFlightRecorder({ sinks: [sink], flushIntervalMs: 600_000 })
    const store = configureStore({ reducer: { items: items.reducer, touch: touch.reducer }, enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch(touch.actions.bump())
    const before = store.getState()
    await recorder.flush()
    store.dispatch(touch.actions.bump())
    store.dispatch(touch.actions.bump())
    await recorder.flush()
    expect(wrote).toBe(2)
    expect(keysOfMap).not.toHaveBeenCalled()
    expect(header!.parts).toBeDefined()
    const parsed = JSON.parse(header!.parts!.join('')) as { kind: string; from_seq: number; state: unknown; hash: string }
    expect(parsed).toMatchObject({ kind: '@@session', from_seq: fromSeq, state: before, hash: stateHash(before) })
    await recorder.close()
  })
})
