/**
 * Redaction fails closed: an action with a cycle (a form model whose fields point back at it) or
 * nested deeper than redaction follows never has a redacted value written in clear. Before the
 * fix, `**.password` over a cyclic payload overflowed the stack and the writer fell back to the
 * unredacted action; `payload.password` redacted the top-level value, but the cycle led the
 * writer back into the original payload and wrote the password at `payload.other.back.password`.
 */
import { createStore } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { parseRecording } from 'redux-flight-recorder/replay'

const SECRET = 'hunter2-SECRET'

async function record(paths: string[], payload: unknown): Promise<{ text: string; faults: unknown[] }> {
  const mem = memorySink()
  const faults: unknown[] = []
  const recorder = createFlightRecorder({ sinks: [mem], redact: { actions: paths }, onError: (e) => faults.push(e) })
  const store = createStore((s: { n: number } = { n: 0 }, a: { type: string }) => (a.type === 'login' ? { n: s.n + 1 } : s), recorder.enhancer)
  store.dispatch({ type: 'login', payload })
  await recorder.close()
  return { text: mem.text(), faults }
}

function cyclic(): Record<string, unknown> {
  const payload: Record<string, unknown> = { password: SECRET, user: 'ada', other: {} }
  ;(payload.other as Record<string, unknown>).back = payload
  return payload
}

describe('redaction of actions with cycles or deep nesting', () => {
  for (const paths of [['payload.password'], ['**.password'], ['payload.*'], ['*.password']]) {
    it(`${JSON.stringify(paths)}: a payload with a cycle is written redacted, the cycle left out as circular`, async () => {
      const { text } = await record(paths, cyclic())
      expect(text).not.toContain(SECRET)
      const entry = parseRecording(text).entries.find((e) => e.kind === 'login')!
      // `payload.*` redacts `other` whole: no cycle is left to write.
      if (paths[0] === 'payload.*') expect(entry.omitted).toBeUndefined()
      else expect(entry.omitted).toEqual([expect.objectContaining({ kind: 'circular' })])
      expect(JSON.parse(JSON.stringify(entry.action)).payload.password).toBe('[redacted]')
    })
  }

  it('a cycle through an array and through a toJSON result stays redacted', async () => {
    const card = { number: SECRET, owner: {} as Record<string, unknown> }
    const payload = { cards: [card], extra: { toJSON: () => ({ card }) } }
    card.owner.payload = payload
    const { text } = await record(['**.number'], payload)
    expect(text).not.toContain(SECRET)
  })

  it('an action nested deeper than redaction follows is written as its type alone (unredactable), not in clear', async () => {
    const deep: Record<string, unknown> = {}
    let at = deep
    for (let i = 0; i < 3000; i++) at = at.c = {}
    at.password = SECRET
    const { text } = await record(['**.password'], { password: SECRET, deep })
    expect(text).not.toContain(SECRET)
    const entry = parseRecording(text).entries.find((e) => e.kind === 'login')!
    expect(entry.action).toEqual({ type: 'login' })
    expect(entry.omitted).toEqual([{ path: '<root>', kind: 'unredactable', detail: expect.stringMatching(/too deeply to redact/) }])
  })

  it('a state nested deeper than redaction follows is not written (unwritable), not in clear', async () => {
    const mem = memorySink()
    const deep: Record<string, unknown> = {}
    let at = deep
    for (let i = 0; i < 1500; i++) at = at.c = {}
    at.token = SECRET
    const recorder = createFlightRecorder({ sinks: [mem], redact: { state: ['**.token'] }, onError: () => {} })
    createStore((s: unknown = { deep }) => s, recorder.enhancer)
    await recorder.close()
    expect(mem.text()).not.toContain(SECRET)
    expect(mem.text()).toContain('"unwritable"')
  })
})

describe('actions whose cycles branch (a tree with parent links)', () => {
  it('are recorded without freezing dispatch, with or without redaction: each cycle left out once', async () => {
    // Before the fix the lossy scan followed every cycle to depth 512: 2^170 paths here.
    const root: Record<string, unknown> = { name: 'root', children: [] as unknown[] }
    for (const name of ['a', 'b', 'c']) (root.children as unknown[]).push({ name, parent: root, password: SECRET })
    for (const paths of [[], ['**.password']]) {
      const mem = memorySink()
      const recorder = createFlightRecorder({ sinks: [mem], redact: { actions: paths }, onError: () => {} })
      const store = createStore((s: { n: number } = { n: 0 }, a: { type: string }) => (a.type === 'tree' ? { n: s.n + 1 } : s), recorder.enhancer)
      store.dispatch({ type: 'tree', payload: root })
      expect(store.getState()).toEqual({ n: 1 })
      await recorder.close()
      const entry = parseRecording(mem.text()).entries.find((e) => e.kind === 'tree')!
      expect(entry.omitted).toEqual(['0', '1', '2'].map((i) => ({ path: `payload.children.${i}.parent`, kind: 'circular' })))
      expect(mem.text().includes(SECRET)).toBe(paths.length === 0)
    }
  })

  it('a toJSON that returns a fresh object leading back into a cycle', async () => {
    const card = { number: SECRET, owner: {} as Record<string, unknown> }
    const payload = { cards: [card], extra: { toJSON: () => ({ card }) } }
    card.owner.payload = payload
    const { text } = await record([], payload)
    expect(parseRecording(text).entries.find((e) => e.kind === 'login')!.omitted).toEqual([
      { path: 'payload.cards.0.owner.payload', kind: 'circular' },
      { path: 'payload.extra.card.owner.payload', kind: 'circular' },
    ])
  })
})
