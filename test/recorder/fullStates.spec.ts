import { combineReducers, configureStore, createEntityAdapter, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { parseRecording, replay } from 'redux-flight-recorder/replay'

/**
 * Full states (header, checkpoints, `@@end`) are serialised incrementally and prepared off the
 * dispatch path (src/stateJson.ts): the log must say exactly what it said before, for a real RTK
 * store with an entity adapter (a big map: its entities are written one by one and reused).
 */
interface Item {
  id: string
  title: string
  n: number
  seen?: Date
}
const items = createEntityAdapter<Item>()
const slice = createSlice({
  name: 'items',
  initialState: items.addMany(
    items.getInitialState({ status: 'idle' as string }),
    Array.from({ length: 400 }, (_, k) => ({ id: 'i' + k, title: `item ${k} \u00e9\ud83d\ude00`, n: 0 })),
  ),
  reducers: {
    bumped(state, action: PayloadAction<string>) {
      const item = state.entities[action.payload]
      if (item) item.n++
    },
    added(state, action: PayloadAction<Item>) {
      items.addOne(state, action.payload)
    },
    removed(state, action: PayloadAction<string>) {
      items.removeOne(state, action.payload)
    },
    seen(state, action: PayloadAction<string>) {
      const item = state.entities[action.payload]
      // A Date in state: written as its ISO string and listed in `lossy`.
      if (item) item.seen = new Date(Date.UTC(2026, 0, 1))
    },
  },
})

function setup(extra: Parameters<typeof createFlightRecorder>[0] = {}) {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], checkpointEvery: 5, flushIntervalMs: 60_000, lossy: { warn: false }, ...extra })
  const store = configureStore({
    reducer: { items: slice.reducer },
    middleware: (gDM) => gDM({ serializableCheck: false, immutableCheck: false }).prepend(recorder.middleware),
    enhancers: (gDE) => gDE().concat(recorder.enhancer),
  })
  return { sink, recorder, store }
}

/** The text after `"state":` in a line, as the line holds it, up to the next top-level key. */
function stateJsonOf(line: string): string {
  const parsed = JSON.parse(line) as { state: unknown }
  const text = JSON.stringify(parsed.state)
  expect(line).toContain('"state":' + text)
  return text
}

describe('full states in the log', () => {
  it('header, checkpoints and @@end hold exactly the JSON of the state at that point, with lossy paths, and the log replays', async () => {
    const { sink, recorder, store } = setup()
    const expected: string[] = [JSON.stringify(store.getState())]
    const { bumped, added, removed, seen } = slice.actions
    for (let k = 0; k < 23; k++) {
      if (k % 7 === 3) store.dispatch(added({ id: 'new' + k, title: 'new', n: k }))
      else if (k % 7 === 5) store.dispatch(removed('i' + k))
      else if (k % 7 === 6) store.dispatch(seen('i' + (k + 1)))
      else store.dispatch(bumped('i' + ((k * 31) % 400)))
      if ((k + 1) % 5 === 0) expected.push(JSON.stringify(store.getState()))
      // Let prepared work run now and then, so some states are finished in slices, some at flush.
      if (k % 4 === 0) await new Promise((r) => setImmediate(r))
    }
    expected.push(JSON.stringify(store.getState()))
    await recorder.close()
    const withState = sink.lines.filter((l) => /"kind":"@@(session|checkpoint|end)"/.test(l))
    expect(withState.map(stateJsonOf)).toEqual(expected)
    const rec = parseRecording(sink.text(), { strict: true })
    const end = rec.end as unknown as { lossy?: { path: string; kind: string }[] }
    expect(end.lossy).toEqual([
      { path: 'items.entities.i7.seen', kind: 'date' },
      { path: 'items.entities.i14.seen', kind: 'date' },
      { path: 'items.entities.i21.seen', kind: 'date' },
    ])
    expect(replay(rec, { reducer: combineReducers({ items: slice.reducer }) }).ok).toBe(true)
  })

  it('redacts full states written incrementally, and snapshot() agrees with what the sink got', async () => {
    const { sink, recorder, store } = setup({ redact: { state: ['items.entities.*.title'] } })
    store.dispatch(slice.actions.bumped('i1'))
    for (let k = 0; k < 5; k++) store.dispatch(slice.actions.bumped('i2'))
    await recorder.flush()
    const checkpoint = sink.lines.find((l) => l.includes('"kind":"@@checkpoint"'))!
    const state = JSON.parse(checkpoint).state as { items: { entities: Record<string, Item> } }
    expect(Object.values(state.items.entities).every((e) => e.title === '[redacted]')).toBe(true)
    expect(state.items.entities.i2.n).toBe(4)
    const snap = recorder.toJSONL().split('\n').find((l) => l.includes('"kind":"@@checkpoint"'))
    expect(snap).toBe(checkpoint)
  })

  it.each([
    ['without redaction', {}],
    ['with a redaction path into every entity', { redact: { state: ['items.entities.*.title'] } }],
  ])('lists the entity map of a checkpoint once, %s: the state writer takes the key list the hasher made', async (_, extra) => {
    const { sink, recorder, store } = setup(extra)
    const keys = Object.keys
    const listed = new Map<object, number>()
    const spy = vi.spyOn(Object, 'keys').mockImplementation((o: object) => {
      listed.set(o, (listed.get(o) ?? 0) + 1)
      return keys(o)
    })
    const maps: object[] = []
    try {
      for (let k = 0; k < 10; k++) {
        store.dispatch(slice.actions.bumped('i' + k))
        if ((k + 1) % 5 === 0) maps.push(store.getState().items.entities)
        // Hashes and prepared states in slices, as in an app between frames.
        for (let t = 0; t < 5; t++) await new Promise((r) => setImmediate(r))
      }
      await recorder.close()
    } finally {
      spy.mockRestore()
    }
    expect(sink.lines.filter((l) => l.includes('"kind":"@@checkpoint"'))).toHaveLength(2)
    // (Before: twice, by the hasher's step and again by the writer, ~12 ms each at 62,662 keys.)
    expect(maps.map((m) => listed.get(m))).toEqual([1, 1])
  })
})
