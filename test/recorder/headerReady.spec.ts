import { configureStore, createSlice } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
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
