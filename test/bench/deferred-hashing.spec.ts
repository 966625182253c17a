import { afterEach, describe, expect, it } from 'vitest'
import { configureStore } from '@reduxjs/toolkit'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFlightRecorder, memorySink, REDACTED, stateHash, type FlightRecorderOptions } from 'redux-flight-recorder'
import { isActionEntry, parseRecording } from 'redux-flight-recorder/replay'
import { fileSink, sha256JsonHash } from 'redux-flight-recorder/node'

// Deferred hashing (issue 7): the recorder hashes states off the dispatch path, in batches, and
// inline once more than a bounded number wait. These tests check the result, not the timing:
// every action entry, in every output (memorySink, a file, toJSONL(), snapshot()), carries the
// hash of the state its own action produced, computed here independently by a cold hash of a JSON
// copy of that state (no cache, no previous version).

type Entity = { id: string; title: string; n: number; tags: string[]; secret: string; nested?: { deep: number[] } }
type State = { ids: string[]; entities: Record<string, Entity>; status: string }

function initialState(count: number): State {
  const s: State = { ids: [], entities: {}, status: 'idle' }
  for (let i = 0; i < count; i++) {
    const id = `e${i}`
    s.ids.push(id)
    s.entities[id] = { id, title: `Item ${i}`, n: 0, tags: ['a', String(i % 3)], secret: `s${i}` }
  }
  return s
}

type A = { type: 'bump' | 'add' | 'remove' | 'deep' | 'status'; id: string }

// A plain spread reducer touching the cases fr64 treats differently: an entity replaced (same
// keys), added at the end, removed, given a nested subtree, and the root alone.
function reducer(s: State = initialState(100), a: A): State {
  const e = s.entities[a.id]
  switch (a.type) {
    case 'bump':
      return e ? { ...s, entities: { ...s.entities, [a.id]: { ...e, n: e.n + 1 } } } : s
    case 'add':
      if (e) return s
      return { ...s, ids: [...s.ids, a.id], entities: { ...s.entities, [a.id]: { id: a.id, title: a.id, n: 0, tags: [], secret: 'x' } } }
    case 'remove': {
      if (!e) return s
      const { [a.id]: _gone, ...rest } = s.entities
      return { ...s, ids: s.ids.filter((id) => id !== a.id), entities: rest }
    }
    case 'deep':
      return e ? { ...s, entities: { ...s.entities, [a.id]: { ...e, nested: { deep: [e.n, e.n + 1] } } } } : s
    case 'status':
      return { ...s, status: s.status === 'idle' ? 'busy' : 'idle' }
  }
  return s
}

function action(i: number): A {
  const r = (i * 7919) % 97
  const id = `e${(i * 31) % 130}`
  if (r < 70) return { type: 'bump', id }
  if (r < 78) return { type: 'add', id }
  if (r < 84) return { type: 'remove', id }
  if (r < 92) return { type: 'deep', id }
  return { type: 'status', id }
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function setup(options: FlightRecorderOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'fr-deferred-'))
  dirs.push(dir)
  const mem = memorySink()
  const file = join(dir, 'session.jsonl')
  const recorder = createFlightRecorder({ maxEntries: 50_000, maxBytes: 2 ** 30, ...options, sinks: [mem, fileSink(file, { processLifecycle: false })] })
  const store = configureStore({
    reducer,
    middleware: (g) => g({ immutableCheck: false, serializableCheck: false }).prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  // The state each action produced, by seq (nothing else is recorded in these sessions).
  const states = new Map<number, State>()
  const dispatch = (i: number) => {
    store.dispatch(action(i))
    states.set(recorder.stats().entries, store.getState())
  }
  return { recorder, store, mem, file, states, dispatch }
}

/** Checks every action entry of a JSONL text against `expected(state)`; returns how many. */
function checkText(text: string, states: Map<number, State>, expected: (s: State) => string): number {
  const rec = parseRecording(text)
  let n = 0
  for (const entry of rec.entries) {
    if (!isActionEntry(entry)) continue
    const state = states.get(entry.seq)
    expect(state, `seq ${entry.seq}`).toBeDefined()
    expect(entry.hash, `seq ${entry.seq}`).toBe(expected(state!))
    n++
  }
  return n
}

/** Memoised per state object: the expected value is the same each time a text is checked. */
function memo(f: (s: State) => string): (s: State) => string {
  const seen = new WeakMap<State, string>()
  return (s) => {
    let h = seen.get(s)
    if (h === undefined) seen.set(s, (h = f(s)))
    return h
  }
}

const cold = memo((s: State) => stateHash(JSON.parse(JSON.stringify(s))))

describe('deferred hashing', () => {
  it('gives each of thousands of entries dispatched before any flush the hash of its own state', async () => {
    const { recorder, mem, file, states, dispatch } = setup()
    // No yield: past the bound on waiting states the recorder hashes inline, in order.
    for (let i = 0; i < 6000; i++) dispatch(i)
    const inBuffer = recorder.toJSONL()
    await recorder.close()
    expect(checkText(inBuffer, states, cold)).toBe(6000)
    expect(checkText(mem.text(), states, cold)).toBe(6000)
    expect(checkText(readFileSync(file, 'utf8'), states, cold)).toBe(6000)
  })

  it('keeps every hash right when toJSONL() and snapshot() are called in between, with and without yields', async () => {
    const { recorder, mem, file, states, dispatch } = setup()
    const texts: string[] = []
    let i = 0
    for (let round = 0; round < 40; round++) {
      // Irregular bursts, so reads land while hashes of various ages are still waiting.
      const burst = 1 + ((round * 397) % 300)
      for (let k = 0; k < burst; k++) dispatch(i++)
      if (round % 3 === 0) texts.push(recorder.toJSONL())
      if (round % 5 === 1) {
        const snap = recorder.snapshot()
        for (const e of snap.entries) if (isActionEntry(e)) expect(e.hash).toBe(cold(states.get(e.seq)!))
      }
      if (round % 4 === 2) await new Promise((r) => setImmediate(r))
      if (round % 7 === 3) await recorder.flush()
    }
    texts.push(recorder.toJSONL())
    await recorder.close()
    for (const text of texts) checkText(text, states, cold)
    expect(checkText(texts[texts.length - 1], states, cold)).toBe(i)
    expect(checkText(mem.text(), states, cold)).toBe(i)
    expect(checkText(readFileSync(file, 'utf8'), states, cold)).toBe(i)
  })

  it('hashes the redacted state, deferred, for every entry', async () => {
    const { recorder, file, states, dispatch } = setup({ redact: { state: ['entities.*.secret'] } })
    const redactedCold = memo((s: State) => {
      const copy = JSON.parse(JSON.stringify(s)) as State
      for (const e of Object.values(copy.entities)) e.secret = REDACTED
      return stateHash(copy)
    })
    for (let i = 0; i < 3000; i++) {
      dispatch(i)
      if (i % 700 === 0) checkText(recorder.toJSONL(), states, redactedCold)
    }
    await recorder.close()
    expect(checkText(readFileSync(file, 'utf8'), states, redactedCold)).toBe(3000)
  })

  it('defers a custom hash function too, and still gives each entry its own state hash', async () => {
    const { recorder, file, states, dispatch } = setup({ hash: sha256JsonHash })
    for (let i = 0; i < 2500; i++) dispatch(i)
    const mid = recorder.toJSONL()
    for (let i = 2500; i < 3000; i++) dispatch(i)
    await recorder.close()
    const sha = memo((s: State) => sha256JsonHash(JSON.parse(JSON.stringify(s))))
    expect(checkText(mid, states, sha)).toBe(2500)
    expect(checkText(readFileSync(file, 'utf8'), states, sha)).toBe(3000)
  })
})
