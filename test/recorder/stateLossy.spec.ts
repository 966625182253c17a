import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { configureStore } from '@reduxjs/toolkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink, type FlightRecorderOptions } from 'redux-flight-recorder'
import { replay } from 'redux-flight-recorder/replay'
import { summarise } from '../../src/cli/inspect'

// A lossy value that enters the state with an action (docs/FORMAT.md, "Lossy values"): fr64 sees
// it as it hashes what the action changed, and the action's line lists it in `stateLossy`, once
// until the next line with a full state. See test/acceptance/lossyState.spec.ts for the user's view.

type Action = { type: string; payload?: unknown }
type Entities = Record<string, { id: string; n: number; seen?: unknown; tags?: unknown }>

function makeEntities(count: number): Entities {
  const out: Entities = {}
  for (let i = 0; i < count; i++) out['e' + i] = { id: 'e' + i, n: i }
  return out
}

interface State {
  entities: Entities
  stamp: { at: unknown; count: number }
  list: unknown[]
}

const reducer = (s: State = { entities: makeEntities(2000), stamp: { at: null, count: 0 }, list: [] }, a: Action): State => {
  switch (a.type) {
    case 'tag': // a Set deep inside a large map of entities
      return { ...s, entities: { ...s.entities, e1500: { ...s.entities.e1500, tags: new Set(['x']) } } }
    case 'touch': // a Date beside a counter, in a small container rewritten by every action
      return { ...s, stamp: { at: new Date(0), count: s.stamp.count + 1 } }
    case 'bump':
      return { ...s, stamp: { ...s.stamp, count: s.stamp.count + 1 } }
    case 'nan':
      return { ...s, list: [...s.list, Number.NaN, undefined] }
    case 'fn':
      return { ...s, entities: { ...s.entities, e3: { ...s.entities.e3, seen: () => 1 } } }
    case 'fn7': // as 'fn', at a path no other test warns about (warnings are once per process)
      return { ...s, entities: { ...s.entities, e7: { ...s.entities.e7, seen: () => 7 } } }
    default:
      return s
  }
}

function record(actions: Action[], options: Partial<FlightRecorderOptions> = {}) {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], ...options })
  const store = configureStore({
    reducer,
    middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  for (const a of actions) store.dispatch(a)
  return { recorder, sink, store }
}

const lines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
const noted = (text: string) => lines(text).filter((l) => 'stateLossy' in l).map((l) => [l.seq, l.stateLossy])

afterEach(() => {
  vi.restoreAllMocks()
})

describe('stateLossy: lossy values entering the state mid-session', () => {
  it('names the exact path, deep in a large map, on the line of the action that put it there', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { recorder } = record([{ type: 'bump' }, { type: 'tag' }, { type: 'bump' }, { type: 'nan' }, { type: 'fn' }])
    const text = recorder.toJSONL()
    expect(noted(text)).toEqual([
      [2, [{ path: 'entities.e1500.tags', kind: 'set' }]],
      [4, [{ path: 'list.0', kind: 'non-finite', detail: 'NaN' }, { path: 'list.1', kind: 'undefined-in-array' }]],
      [5, [{ path: 'entities.e3.seen', kind: 'function' }]],
    ])
    const result = replay(text, { reducer })
    expect(result.ok).toBe(true)
    expect(result.lossy.map((l) => `${l.where} ${l.seq} ${l.path}`)).toEqual(['state 2 entities.e1500.tags', 'state 4 list.0', 'state 4 list.1', 'state 5 entities.e3.seen'])
    expect(result.warnings.join('\n')).toContain('state.entities.e1500.tags is a Set: its contents are not in the log or the hash (seq 2')
    await recorder.close()
  })

  it('lists a value that stays in the state once, not on every action that rewrites its container', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { recorder } = record([{ type: 'touch' }, { type: 'touch' }, { type: 'bump' }, { type: 'bump' }])
    await recorder.flush()
    expect(noted(recorder.toJSONL())).toEqual([[1, [{ path: 'stamp.at', kind: 'date' }]]])
    await recorder.close()
  })

  it('lists it again after a full state was written (a window of the log that starts there has it in that line)', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    // checkpointEvery: 2 writes a @@checkpoint after the second action (seq 3).
    const { recorder } = record([{ type: 'touch' }, { type: 'bump' }, { type: 'touch' }], { checkpointEvery: 2 })
    const all = lines(recorder.toJSONL())
    const checkpoint = all.find((l) => l.kind === '@@checkpoint')!
    expect(checkpoint.lossy).toEqual([{ path: 'stamp.at', kind: 'date' }])
    expect(noted(recorder.toJSONL())).toEqual([
      [1, [{ path: 'stamp.at', kind: 'date' }]],
      [(checkpoint.seq as number) + 1, [{ path: 'stamp.at', kind: 'date' }]],
    ])
    await recorder.close()
  })

  it('keeps lossy.ignoredPaths out of the line and the warnings; warn: false stays silent', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { recorder } = record([{ type: 'touch' }, { type: 'tag' }], { lossy: { ignoredPaths: ['stamp.at'], warn: false } })
    await recorder.flush()
    expect(noted(recorder.toJSONL())).toEqual([[2, [{ path: 'entities.e1500.tags', kind: 'set' }]]])
    expect(warn.mock.calls.map(String).join('\n')).not.toContain('Set')
    await recorder.close()
  })

  it('warns in development once per path and kind, by the flush that sends the line', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { recorder, sink } = record([{ type: 'fn7' }, { type: 'fn7' }])
    await recorder.flush()
    expect(sink.text()).toContain('"stateLossy":[{"path":"entities.e7.seen","kind":"function"}]')
    const said = warn.mock.calls.map((c) => c.join(' ')).filter((s) => s.includes('entities.e7.seen'))
    expect(said).toHaveLength(1)
    expect(said[0]).toContain('state.entities.e7.seen was a function, left out')
    await recorder.close()
  })

  it('is counted by `inspect` as a state value', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { recorder } = record([{ type: 'tag' }])
    await recorder.close()
    const file = join(mkdtempSync(join(tmpdir(), 'fr-statelossy-')), 'log.jsonl')
    writeFileSync(file, recorder.toJSONL())
    const summary = await summarise(file, file, statSync(file).size)
    expect(summary.lossy.find((l) => l.path === 'entities.e1500.tags')).toMatchObject({ where: 'state', kind: 'set', firstSeq: 1 })
  })
})
