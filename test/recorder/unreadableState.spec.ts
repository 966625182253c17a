import { configureStore } from '@reduxjs/toolkit'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink, stateHash } from 'redux-flight-recorder'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'

// A value no walk can read in the state — a circular reference, a getter that throws, a revoked
// proxy — is left out, as JSON leaves out a function (DESIGN.md, "Values JSON cannot carry"): the
// hash is of the state without it, the full-state lines are written without it, and both list it
// with its path and kind. Before, every hash from that action on was null (one @@error per step),
// `@@end` was `unwritable`, and replay checked nothing after it.

type Action = { type: string }
interface State {
  count: number
  items: unknown[]
}

function badValue(kind: string): unknown {
  if (kind === 'circular') {
    const item: Record<string, unknown> = { id: 'b' }
    item.self = item
    return item
  }
  if (kind === 'getter-threw') {
    return Object.defineProperty({ id: 'b' }, 'secret', { enumerable: true, get: () => { throw new Error('not readable') } })
  }
  const { proxy, revoke } = Proxy.revocable({ id: 'b' }, {})
  revoke()
  return proxy
}

const where: Record<string, string> = { circular: 'items.1.self', 'getter-threw': 'items.1.secret', 'revoked-proxy': 'items.1' }

function makeReducer(kind: string, broken = false) {
  return (s: State = { count: 0, items: [{ id: 'a' }] }, a: Action): State => {
    switch (a.type) {
      case 'add':
        return { ...s, items: [...s.items, badValue(kind)] }
      case 'inc':
        return { ...s, count: s.count + (broken && s.count === 2 ? 2 : 1) }
      default:
        return s
    }
  }
}

function record(kind: string) {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], checkpointEvery: 3 })
  const store = configureStore({
    reducer: makeReducer(kind),
    middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  for (const type of ['inc', 'add', 'inc', 'inc', 'inc', 'inc']) store.dispatch({ type })
  return { recorder, sink }
}

const parse = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>)

describe.each(['circular', 'getter-threw', 'revoked-proxy'])('a state with a value no walk can read (%s)', (kind) => {
  it('is hashed, written and listed without it, and the log replays with every step checked', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const { recorder, sink } = record(kind)
      await recorder.close()
      const lines = parse(sink.text())
      const actions = lines.filter((l) => 'action' in l)
      expect(actions).toHaveLength(6)
      for (const a of actions) expect(a.hash).toMatch(/^[0-9a-f]{16}$/)
      expect(lines.filter((l) => l.kind === '@@error')).toEqual([])
      // The action that brought it in lists it, with its path and kind.
      expect(actions[1].stateLossy).toEqual([{ path: where[kind], kind }])
      // A checkpoint and @@end hold the state without it, list it, and carry the hash of what they hold.
      const checkpoint = lines.find((l) => l.kind === '@@checkpoint')!
      const end = lines.find((l) => l.kind === '@@end')!
      for (const full of [checkpoint, end]) {
        expect(full.unwritable).toBeUndefined()
        expect(full.state.items[0]).toEqual({ id: 'a' })
        expect(full.lossy).toContainEqual({ path: where[kind], kind })
        expect(stateHash(full.state)).toBe(full.hash)
      }
      expect(end.state.count).toBe(5)
      if (kind === 'revoked-proxy') expect(end.state.items[1]).toBeNull()
      else expect(end.state.items[1]).toEqual({ id: 'b' })

      const result = replay(sink.text(), { reducer: makeReducer(kind) })
      expect(result.ok).toBe(true)
      expect(result.divergence).toBeUndefined()
      expect(result.steps).toBe(6)
      expect(result.lossy.map((l) => `${l.where} ${l.seq} ${l.path}`)).toContain(`state 2 ${where[kind]}`)

      // A reducer that goes wrong after the value is still caught, at its step.
      const broken = replay(sink.text(), { reducer: makeReducer(kind, true) })
      expect(broken.ok).toBe(false)
      expect(broken.divergence?.seq).toBe(5)
      expect(formatDivergence(broken.divergence!)).toContain('count')
    } finally {
      warn.mockRestore()
    }
  })
})

describe('what a walk cannot read, as the hash sees it', () => {
  it('hashes a state as the same state without the value', () => {
    const looped: Record<string, unknown> = { x: 1 }
    looped.me = looped
    expect(stateHash({ a: [looped] })).toBe(stateHash({ a: [{ x: 1 }] }))
    expect(stateHash({ g: badValue('getter-threw'), n: 1 })).toBe(stateHash({ g: { id: 'b' }, n: 1 }))
    expect(stateHash({ p: badValue('revoked-proxy'), n: 1 })).toBe(stateHash({ n: 1 }))
    expect(stateHash([badValue('revoked-proxy')])).toBe(stateHash([null]))
    // Only what cannot be read: a state that hashes is not changed by it.
    expect(stateHash({ a: [{ x: 1 }] })).not.toBe(stateHash({ a: [{ x: 2 }] }))
  })
})
