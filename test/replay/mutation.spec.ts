import { combineReducers, configureStore, type Reducer } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'

const init = { count: 0, nested: { hits: 0 } }
const other = (s = 0, a: { type: string }) => (a.type === 'other' ? s + 1 : s)

async function record(reducer: Reducer, types: string[]): Promise<string> {
  const sink = memorySink()
  const rec = createFlightRecorder({ sinks: [sink] })
  const store = configureStore({
    reducer,
    middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(rec.middleware),
    enhancers: (g) => g().concat(rec.enhancer),
  })
  for (const type of types) store.dispatch({ type })
  await rec.close()
  return sink.text()
}

describe('a replay reducer that mutates the state in place', () => {
  it('is reported as such at the step, with the state hashed afresh, not blamed on the hash input', async () => {
    const good = (s = init, a: { type: string }) => (a.type === 'hit' ? { ...s, count: s.count + 1, nested: { hits: s.nested.hits + 1 } } : s)
    const mutating = (s = init, a: { type: string }) => {
      if (a.type === 'hit') {
        s.count += 1
        s.nested.hits += 1
      }
      return s
    }
    const log = await record(combineReducers({ stats: good, other }), ['other', 'hit', 'other'])
    const d = replay(log, { reducer: combineReducers({ stats: mutating, other }) }).divergence!
    expect(d.seq).toBe(2)
    // Narrowed by a second pass that hashes every step afresh: seq 2 itself.
    expect(d.mutatedInPlace).toEqual({ seq: 2, after: 1 })
    // Hashed afresh, the replayed values are the recorded ones.
    expect(d.actualHash).toBe(d.expectedHash)
    expect(d.step).toBeUndefined()
    const text = formatDivergence(d)
    expect(text).toContain("The reducer mutated the state in place at seq 2 ('hit'): replayed again with every step hashed afresh, seq 2 is the first step whose state was changed in place.")
    expect(text).not.toContain('changed nothing')
    expect(text).not.toContain('hash input')
    expect(d.diffNote).toContain('mutated the state in place')
  })

  it('is found at the next full state when the stale cached hashes matched', async () => {
    const good = (s = init, a: { type: string }) => (a.type === 'hit' ? { ...s, count: s.count + 1 } : s)
    const bad = (s = init, a: { type: string }) => {
      if (a.type === 'hit') return { ...s, count: s.count + 1 }
      if (a.type === 'other') s.nested.hits += 100
      return s
    }
    const log = await record(combineReducers({ stats: good, other }), ['other', 'other'])
    const result = replay(log, { reducer: combineReducers({ stats: bad, other }) })
    expect(result.ok).toBe(false)
    const d = result.divergence!
    expect(d.reason).toBe('state-mismatch')
    expect(d.kind).toBe('@@end')
    // Found at @@end (seq 3); a second pass names the first 'other' (seq 1) as the step that did it.
    expect(d.mutatedInPlace).toEqual({ seq: 1, after: 0 })
    expect(d.diff).toEqual([{ path: 'stats.nested.hits', recorded: 0, replayed: 200 }])
    expect(formatDivergence(d)).toContain("The reducer mutated the state in place at seq 1 ('other'): the hashes cached by reference did not show it until seq 3, and replayed again with every step hashed afresh, seq 1 is the first step whose state was changed in place.")
  })

  it('that reaches the recorded values says so in its first line, not that the hashes differ', async () => {
    // The tester's case (acceptance, session 26): the headline said "hashes differently" above two equal hashes.
    const mk = (mut: boolean) => (s = { items: { a: { n: 0 }, b: { n: 0 } } as Record<string, { n: number }>, count: 0 }, a: { type: string; payload?: string }) => {
      if (a.type !== 'inc') return s
      const id = a.payload!
      if (mut && id === 'b' && s.count >= 3) {
        s.items.b.n += 1
        return { ...s, count: s.count + 1 }
      }
      return { ...s, items: { ...s.items, [id]: { n: s.items[id].n + 1 } }, count: s.count + 1 }
    }
    const sink = memorySink()
    const rec = createFlightRecorder({ sinks: [sink] })
    const store = configureStore({ reducer: mk(false), middleware: (g) => g().prepend(rec.middleware), enhancers: (g) => g().concat(rec.enhancer) })
    for (const id of ['a', 'b', 'a', 'b', 'a', 'b', 'a']) store.dispatch({ type: 'inc', payload: id })
    await rec.close()
    const d = replay(sink.text(), { reducer: mk(true) }).divergence!
    expect(d.mutatedInPlace).toEqual({ seq: 4, after: 3 })
    expect(d.actualHash).toBe(d.expectedHash)
    const text = formatDivergence(d).split('\n')
    expect(text[0]).toBe("Replay diverged at seq 4 (turn t4), action 'inc': the reducer changed the state in place (hashed afresh, it is as recorded).")
    expect(text[3]).toMatch(/^  actual hash: {3}[0-9a-f]{16} \(replayed, hashed afresh\)$/)
  })
})
