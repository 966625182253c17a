import { configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { formatDivergence, isActionEntry, parseRecording, replay, shrinkRecording } from 'redux-flight-recorder/replay'

/**
 * The action a reducer threw on is the one a bug report is about (acceptance, session 26: it was
 * not in the log, so `verify` passed the user's file and `shrink` found nothing to shrink). It is an
 * entry, with the state Redux kept and the error's name and message. Replay on the reducer that
 * still throws goes on as recorded and says so; on one that no longer throws it fails there, saying
 * why; shrink keeps the actions that make it throw.
 */

const cart = (fixed: boolean) =>
  createSlice({
    name: 'cart',
    initialState: { items: [] as { sku: string }[], coupon: null as string | null, label: '' },
    reducers: {
      added(s, a: PayloadAction<string>) {
        s.items.push({ sku: a.payload })
      },
      couponApplied(s, a: PayloadAction<string>) {
        s.coupon = a.payload
      },
      removed(s) {
        s.items.pop()
      },
      cleared(s) {
        // The bug: with a coupon and an empty cart, the label reads the first item.
        s.label = s.coupon ? (fixed ? s.items[0]?.sku ?? '(empty cart)' : s.items[0].sku) : ''
        s.items = []
      },
    },
  })

async function recordCrash(): Promise<{ log: string; caught: unknown }> {
  const buggy = cart(false)
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink] })
  const store = configureStore({ reducer: buggy.reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
  for (const sku of ['a', 'b', 'c']) store.dispatch(buggy.actions.added(sku))
  store.dispatch(buggy.actions.couponApplied('SAVE20'))
  for (let i = 0; i < 3; i++) store.dispatch(buggy.actions.removed())
  let caught: unknown
  try {
    store.dispatch(buggy.actions.cleared())
  } catch (error) {
    caught = error
  }
  store.dispatch(buggy.actions.added('d'))
  await recorder.close()
  return { log: sink.text(), caught }
}

describe('an action the reducer threw on', () => {
  it('is in the log, with the error and the state Redux kept, and the app sees the same error', async () => {
    const { log, caught } = await recordCrash()
    expect(caught).toBeInstanceOf(TypeError)
    const entries = parseRecording(log).entries.filter(isActionEntry)
    expect(entries.map((e) => e.kind)).toEqual([...Array(3).fill('cart/added'), 'cart/couponApplied', ...Array(3).fill('cart/removed'), 'cart/cleared', 'cart/added'])
    const crash = entries[7]
    expect(crash.threw).toEqual({ name: 'TypeError', message: (caught as Error).message })
    // The state did not change: its hash is the one before.
    expect(crash.hash).toBe(entries[6].hash)
  })

  it('replays as recorded on the reducer that still throws, saying so; shrink keeps what makes it throw', async () => {
    const { log } = await recordCrash()
    const result = replay(log, { reducer: cart(false).reducer })
    expect([result.ok, result.verified, result.steps]).toEqual([true, true, 9])
    expect(result.warnings).toContainEqual(expect.stringMatching(/^The reducer threw at seq 8 \('cart\/cleared'\), as it did when recorded \(TypeError: .*\); the state stayed as it was\.$/))
    const shrunk = shrinkRecording(log, { reducer: cart(false).reducer })
    expect(shrunk.entries.filter(isActionEntry).map((e) => e.kind)).toEqual(['cart/couponApplied', 'cart/cleared'])
    expect(shrunk.shrink.failure).toMatchObject({ reason: 'reducer-threw', kind: 'cart/cleared' })
  })

  it('replay on the fixed reducer fails there too, saying it no longer throws', async () => {
    const { log } = await recordCrash()
    const d = replay(log, { reducer: cart(true).reducer }).divergence!
    expect([d.reason, d.seq]).toEqual(['hash-mismatch', 8])
    expect(d.hint).toMatch(/^When recorded, the reducer threw at this action \(TypeError: .*\) and the state stayed as it was; replayed, it no longer throws\./)
  })
})
