import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { compileRedactor, type Redactor } from '../src/redact'
import { stateText } from '../src/serialize'
import { CompactFr64Hasher, keyLists } from '../src/hash/compact'
import { stateHash as referenceHash } from '../src/hash/fr64'
import { StateJson } from '../src/stateJson'
import type { LossyOptions } from '../src/lossy'

const quiet: LossyOptions = { warn: false }

/** What the writer wrote before: text for text, and the same `onUnwritable` calls. */
function reference(state: unknown, redactor: Redactor | null = null, options: LossyOptions = quiet) {
  const errors: unknown[] = []
  const text = stateText(state, redactor, options, (e) => errors.push(e))
  return { text, errors: errors.map(String) }
}
function incremental(w: StateJson, state: unknown) {
  const errors: unknown[] = []
  const written = w.write(state, (e) => errors.push(e))
  // In parts, the parts are the text.
  const text = typeof written === 'string' ? written : written.join('')
  if (typeof written !== 'string') for (const part of written) expect(typeof part).toBe('string')
  return { text, errors: errors.map(String) }
}

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}
class WithToJSON {
  toJSON(key: string) {
    return { key }
  }
}

/** A `{ ids, entities }` slice with `n` entities (a big container: children are stringified one by one). */
function entities(n: number, extra: (k: number) => Record<string, unknown> = () => ({})) {
  const ids: string[] = []
  const map: Record<string, unknown> = {}
  for (let k = 0; k < n; k++) {
    const id = 'e' + k
    ids.push(id)
    map[id] = { id, title: `Item ${k} \u00e9\ud83d\ude00`, done: k % 3 === 0, tags: ['a', 'b'], ...extra(k) }
  }
  return { ids, entities: map, status: 'idle' }
}

describe('StateJson: the same bytes as stateText', () => {
  it('writes every state of the frozen v1 fixtures exactly as stateText does', () => {
    const dir = join(__dirname, 'fixtures/v1')
    let states = 0
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
      const w = new StateJson(null, quiet)
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
        let entry: { state?: unknown }
        try {
          entry = JSON.parse(line)
        } catch {
          continue // the truncated fixture's last line
        }
        if (!('state' in entry)) continue
        states++
        expect(incremental(w, entry.state)).toEqual(reference(entry.state))
      }
    }
    expect(states).toBeGreaterThan(5)
  })

  it('matches on values JSON writes in another form, in small and in big containers, with their lossy paths', () => {
    const odd = {
      date: new Date(Date.UTC(2026, 0, 2)),
      map: new Map([[1, 2]]),
      set: new Set([1]),
      point: new Point(1, 2),
      custom: new WithToJSON(),
      nan: NaN,
      inf: -Infinity,
      negZero: -0,
      fn: () => 1,
      sym: Symbol('s'),
      undef: undefined,
      arr: [undefined, () => 1, Symbol('t'), NaN, new Date(0), [new WithToJSON()]],
      boxed: [new Number(3), new String('s'), new Boolean(false)],
      typed: new Uint8Array([1, 2]),
      nullProto: Object.assign(Object.create(null), { a: 1 }),
      ownToJSON: { toJSON: () => 'mine', b: 2 },
      __proto__: null,
    } as Record<string, unknown>
    Object.defineProperty(odd, '__proto__', { value: { inner: true }, enumerable: true })
    const big = entities(150, (k) => (k % 10 === 0 ? { ...odd, k } : { k }))
    const bigArray = Array.from({ length: 1300 }, (_, k) => (k % 13 === 0 ? odd : k % 7 === 0 ? undefined : k === 600 ? new WithToJSON() : k === 601 ? NaN : { k }))
    for (const state of [odd, big, { slice: big, list: bigArray }, bigArray, new Point(3, 4), new WithToJSON(), null, 5, 'text', undefined, () => 1]) {
      const w = new StateJson(null, quiet)
      expect(incremental(w, state)).toEqual(reference(state))
      // Second time, from the cache.
      expect(incremental(w, state)).toEqual(reference(state))
    }
  })

  it('applies ignoredPaths to the lossy list exactly as stateText does, and falls back past 50 lossy values', () => {
    const state = { a: entities(100, (k) => ({ at: new Date(k) })), b: { when: new Date(0), n: NaN } }
    for (const options of [{ warn: false, ignoredPaths: ['a.entities.e3', /^b\./] }, { warn: false, ignoredPaths: ['a'] }, quiet] as LossyOptions[]) {
      const w = new StateJson(null, options)
      expect(incremental(w, state)).toEqual(reference(state, null, options))
    }
  })

  it('redacts as stateText does, also where a pattern reaches into a big container', () => {
    const redactor = compileRedactor(['users.entities.*.password', 'auth.token', '**.secret'])
    const users = entities(120, (k) => ({ password: 'p' + k, profile: { secret: k } }))
    const state = { users, auth: { token: 't', user: 'u' }, other: { secret: 1, keep: 2 } }
    const w = new StateJson(redactor, quiet)
    expect(incremental(w, state)).toEqual(reference(state, redactor))
    const next = { ...state, users: { ...users, entities: { ...users.entities, e5: { id: 'e5', password: 'new' } } } }
    expect(incremental(w, next)).toEqual(reference(next, redactor))
  })

  it('reports an unwritable state (cycle, BigInt without toJSON, a throwing getter) with the same text and error as stateText', () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = { back: cyclic }
    const deepCycle = entities(80)
    ;(deepCycle.entities.e7 as Record<string, unknown>).up = deepCycle
    const getter = Object.defineProperty({ a: 1 }, 'b', { enumerable: true, get: () => { throw new Error('no b') } })
    const withBig = { n: 10n, list: entities(70, (k) => (k === 3 ? { big: 2n } : {})) }
    for (const state of [cyclic, deepCycle, getter, withBig, { inner: getter }]) {
      const w = new StateJson(null, quiet)
      const got = incremental(w, state)
      expect(got).toEqual(reference(state))
    }
    expect(incremental(new StateJson(null, quiet), cyclic).text).toMatch(/^null,"unwritable":"TypeError: Converting circular/)
  })

  it('after a change made the Redux way (copies along the path), writes the new state exactly', () => {
    const w = new StateJson(null, quiet)
    // Three chunks of 512 children and a partial one: changes land in different chunks.
    let state = { items: entities(1700), list: Array.from({ length: 1100 }, (_, k) => ({ k })), ui: { open: true } }
    expect(incremental(w, state).text).toBe(reference(state).text)
    for (let k = 0; k < 20; k++) {
      const id = 'e' + ((k * 397) % 1700)
      const items = state.items
      const changed = { ...(items.entities[id] as object), n: k, when: k % 5 === 0 ? new Date(k) : k }
      // Some steps add or remove an entity too.
      const map: Record<string, unknown> = { ...items.entities, [id]: changed }
      if (k % 4 === 1) map['new' + k] = { id: 'new' + k, sym: Symbol('x') }
      if (k % 4 === 3) delete map['e' + k]
      // The same entity object under a second key (its cached `"key":text` must not be reused there).
      if (k % 4 === 2) map['alias' + k] = items.entities['e' + (k + 50)]
      // The last key renamed: the same object at the same place under another key.
      if (k === 8) {
        const last = Object.keys(map).pop()!
        const moved = map[last]
        delete map[last]
        map['renamed' + k] = moved
      }
      const changedList = k % 3 === 0 ? state.list.map((x, i) => (i === (k * 211) % 1100 ? { k: -i, at: new Date(i) } : x)) : state.list
      const list = k % 5 === 4 ? [...changedList, { k: 9999 }] : changedList
      state = { ...state, items: { ...items, entities: map }, list }
      expect(incremental(w, state)).toEqual(reference(state))
    }
  })

  it('gives a state with a big container in parts (its chunks, not one string), and a small one as one string', () => {
    const w = new StateJson(null, quiet)
    const state = { items: entities(1700), ui: { open: true }, when: new Date(0), nan: NaN }
    const written = w.write(state)
    expect(Array.isArray(written)).toBe(true)
    const parts = written as string[]
    // Four chunks of the entity map (512 children each) stand as parts of their own.
    expect(parts.length).toBeGreaterThan(4)
    expect(parts.filter((p) => p.includes('"title"'))).toHaveLength(4)
    expect(parts.filter((p) => p.includes('"title"') && p.length > 30_000)).toHaveLength(3)
    expect(parts.join('')).toBe(reference(state).text)
    // The lossy field (the Date, NaN) is the last part.
    expect(parts[parts.length - 1]).toMatch(/^,"lossy":\[\{"path":"when","kind":"date"\},\{"path":"nan"/)
    // Reused chunks come back in parts too, and later writes do not change what was returned.
    const next = { ...state, items: { ...state.items, entities: { ...state.items.entities, e3: { id: 'e3' } } } }
    const again = w.write(next) as string[]
    expect(again.join('')).toBe(reference(next).text)
    expect(parts.join('')).toBe(reference(state).text)
    expect(w.write({ small: [1, 2, 3] })).toBe('{"small":[1,2,3]}')
  })

  it('under redaction, equals stateText where paths collide as text, values change in place, cycles are cut, nesting is deep, holes and undefined swap (review cases)', () => {
    const rows = Array.from({ length: 70 }, (_, i) => ({ id: i, secret: 'S' + i }))
    const same = (w: StateJson, state: unknown, redactor: Redactor) => expect(incremental(w, state)).toEqual(reference(state, redactor))
    // A key holding a dot and two nested keys spell the same path "a.b": the memo of big containers
    // was keyed by it, and the second wrote the first's unredacted text.
    const ab = compileRedactor(['a.b.*.secret'])!
    same(new StateJson(ab, quiet), { 'a.b': rows, a: { b: rows } }, ab)
    same(new StateJson(ab, quiet), { a: { b: rows }, 'a.b': rows }, ab)
    let w = new StateJson(ab, quiet)
    w.write({ 'a.b': rows })
    same(w, { a: { b: rows } }, ab)
    const x = compileRedactor(['x.*.secret'])!
    w = new StateJson(x, quiet)
    w.write({ '': { x: rows } })
    same(w, { x: rows }, x)
    // A value changed in place after a write that found nothing to redact in it (a class instance).
    class Session {
      user = 'ada'
    }
    const token = compileRedactor(['session.token'])!
    const session = new Session()
    w = new StateJson(token, quiet)
    w.write({ session, n: 1 })
    ;(session as unknown as { token: string }).token = 'SECRET-TOKEN'
    same(w, { session, n: 2 }, token)
    // A cycle that a redacted path would cut: stateText refuses it (redaction leaves an ancestor as it is).
    const cyclic: { a: { x?: unknown } } = { a: {} }
    cyclic.a.x = cyclic
    const cut = compileRedactor(['a.x.a'])!
    same(new StateJson(cut, quiet), cyclic, cut)
    // Nesting past what redaction follows (1,024) counts from the root, not from the walk's last level.
    const deep = compileRedactor(['**.secret'])!
    for (const depth of [1020, 1026, 1030]) {
      let chain: unknown = { secret: 's' }
      for (let i = 0; i < depth; i++) chain = { c: chain }
      same(new StateJson(deep, quiet), { chain }, deep)
    }
    // A big array's hole and an explicit undefined: null and "[redacted]", also when a chunk's children are otherwise the same.
    const list = compileRedactor(['list.*'])!
    const filled = Array.from({ length: 70 }, (_, i) => i)
    const holey = filled.slice()
    delete holey[0]
    const undef = filled.slice()
    undef[0] = undefined as never
    w = new StateJson(list, quiet)
    same(w, { list: holey }, list)
    same(w, { list: undef }, list)
    same(w, { list: holey }, list)
  })

  it('equals stateText on arbitrary values (property)', () => {
    const leaf = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom(undefined, NaN, Infinity, -0, null),
      fc.date({ noInvalidDate: true }),
      fc.constant(new Map()),
      fc.constant(new Point(1, 2)),
      fc.constant(new WithToJSON()),
      fc.constant(() => 0),
      fc.string(),
    )
    const small = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 3 })),
    })).node
    // Big containers (64 keys or more) are walked key by key: some at the root, some nested.
    const big = fc.array(small, { minLength: 64, maxLength: 80 }).map((xs) => Object.fromEntries(xs.map((x, i) => [i % 3 === 0 ? String(i) : 'k' + i, x])))
    const bigArray = fc.array(small, { minLength: 64, maxLength: 80 })
    // (Holes stay null under a redaction path; an explicit undefined is redacted.)
    const holey = fc.sparseArray(small, { minNumElements: 1, maxLength: 90 })
    const value = fc.oneof(small, big, bigArray, holey, fc.record({ a: big, b: small, c: fc.record({ d: bigArray, h: holey }) }))
    // Redaction as the walk applies it (child by child, chunk by chunk): into big containers, whole ones, the root.
    const paths = fc.subarray(['**.k3', '*.0', 'a.*', 'c.d.*', 'c.h.*', 'k5', '*.k1.*', '**.1', 'a'], { minLength: 1 })
    fc.assert(
      fc.property(value, fc.boolean(), paths, fc.boolean(), (state, redact, chosen, everything) => {
        const redactor = redact ? compileRedactor(everything ? ['**'] : chosen) : null
        const w = new StateJson(redactor, quiet)
        expect(incremental(w, state)).toEqual(reference(state, redactor))
        expect(incremental(w, { wrap: state, again: state })).toEqual(reference({ wrap: state, again: state }, redactor))
      }),
      { numRuns: 400 },
    )
  })
})

describe('StateJson: prepared off the dispatch path', () => {
  it('works through a big state in several slices, and text() finishes the rest synchronously with the same bytes', async () => {
    const state = { items: entities(20_000), ui: { open: true } }
    const w = new StateJson(null, quiet, undefined, 0)
    w.prepare(state)
    expect(w.pending).toBe(1)
    // One slice of 0 ms moves at least one step but does not finish 20,000 entities.
    await new Promise((r) => setImmediate(r))
    await new Promise((r) => setImmediate(r))
    expect(w.pending).toBe(1)
    expect(w.text(state)).toBe(reference(state).text)
    expect(w.pending).toBe(0)
  })

  it('under a redaction path into every entity, redacts step by step and, for a state where one entity changed, only its chunk', () => {
    // (The whole state was copied redacted in the first step, ~130 ms at 50,000 entities, and at
    // every full state: the copies were new objects, so no chunk's text could be reused.)
    let reads = 0
    const counted = (k: number) => Object.defineProperty({ id: 'e' + k, secret: 's' + k }, 'title', { get: () => (reads++, 'Item ' + k), enumerable: true })
    const ids = Array.from({ length: 5_000 }, (_, k) => 'e' + k)
    const map = Object.fromEntries(ids.map((id, k) => [id, counted(k)]))
    const state = { items: { ids, entities: map }, auth: { token: 't' } }
    const redactor = compileRedactor(['items.entities.*.secret', 'auth.token'])
    const w = new StateJson(redactor, quiet)
    w.prepare(state)
    w.advance(0)
    // One step: a chunk of entities or so, not all 5,000.
    expect(w.pending).toBe(1)
    expect(reads).toBeLessThan(2_000)
    reads = 0
    expect(incremental(w, state)).toEqual(reference(state, redactor))
    const next = { ...state, items: { ...state.items, entities: { ...map, e7: counted(7) } } }
    reads = 0
    const written = w.write(next)
    expect(reads).toBeLessThan(1_000)
    expect(typeof written === 'string' ? written : written.join('')).toBe(reference(next, redactor).text)
  })

  it('advance(ms) moves a prepared state on by a bounded step (at least one), and the text is the same', () => {
    const state = { items: entities(20_000), ui: { open: true } }
    const w = new StateJson(null, quiet)
    w.prepare(state)
    // advance(0): one step at a time, synchronously (the flush tick's share when slices are starved).
    let calls = 0
    while (w.pending > 0) {
      w.advance(0)
      calls++
      if (calls > 100_000) throw new Error('no progress')
    }
    expect(calls).toBeGreaterThan(10)
    expect(w.isReady(state)).toBe(true)
    expect(w.text(state)).toBe(reference(state).text)
    // Nothing pending: it does nothing.
    w.advance(0)
    expect(w.pending).toBe(0)
  })

  it('fetches and compares the children of a big container chunk by chunk: no step reads more than a chunk of them, and the text is the same', () => {
    // (Before, the first step into a 62,662-key map read and compared all of its children, one task
    // of 15 ms and more in Chromium.) Every child read is counted (a getter); the clock moves on at
    // each look, so every step is past its deadline at its first check.
    const n = 3 * 512 + 7
    let reads = 0
    const vals = Array.from({ length: n }, (_, k) => ({ id: 'e' + k, title: 'Item ' + k }))
    const counted = (changed: number) => {
      const map: Record<string, unknown> = {}
      const e7 = { id: 'e7', title: 'changed' }
      for (let k = 0; k < n; k++) Object.defineProperty(map, 'e' + k, { get: () => (reads++, k === changed ? e7 : vals[k]), enumerable: true })
      return map
    }
    const first = { items: { ids: vals.map((x) => x.id), entities: counted(-1) }, ui: { open: true } }
    // One entity changed: the other chunks are the memo's (compared, not written again).
    const next = { ...first, items: { ...first.items, entities: counted(7) } }
    let t = 0
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (t += 1))
    const w = new StateJson(null, quiet, undefined, 0)
    try {
      for (const state of [first, next]) {
        w.prepare(state)
        reads = 0
        const perStep: number[] = []
        while (w.pending > 0 && perStep.length < 10_000) {
          const before = reads
          w.advance(0)
          perStep.push(reads - before)
        }
        expect(reads).toBe(n)
        expect(Math.max(...perStep)).toBeLessThanOrEqual(512)
        expect(w.text(state)).toBe(reference(state).text)
      }
    } finally {
      now.mockRestore()
    }
  })

  it('starts the Object.keys of a big map in a step of its own once the step is past its deadline', () => {
    // (One native call of several ms for 62,662 keys: after a slice's other work it made the task longer.)
    // Children read as their chunk is written: a counted getter in each of the first map's entities.
    let reads = 0
    const counted = (k: number) => Object.defineProperty({ id: k }, 'title', { get: () => (reads++, 'Item ' + k), enumerable: true })
    const list = Object.fromEntries(Array.from({ length: 600 }, (_, k) => ['e' + k, counted(k)]))
    const map = Object.fromEntries(Array.from({ length: 600 }, (_, k) => ['e' + k, { id: k }]))
    const state = { list, map }
    let t = 0
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (t += 1))
    const keys = Object.keys
    let stepStart = 0
    const readBefore: number[] = []
    const spy = vi.spyOn(Object, 'keys').mockImplementation((o: object) => {
      if (o === map) readBefore.push(reads - stepStart)
      return keys(o)
    })
    const w = new StateJson(null, quiet, undefined, 0)
    try {
      w.prepare(state)
      for (let i = 0; w.pending > 0 && i < 10_000; i++) {
        stepStart = reads
        w.advance(0)
      }
    } finally {
      spy.mockRestore()
      now.mockRestore()
    }
    // The step that listed the map's keys wrote none of the list's last chunk (88 entities) before.
    expect(readBefore).toEqual([0])
    expect(w.text(state)).toBe(reference(state).text)
  })

  it('lists the keys of a big map in a slice that has the time it took last time, and an unchanged one not at all', () => {
    // A clock moved only by the work: 0.002 ms per entity read, 7 ms to list `map`'s keys.
    let t = 0
    let reads = 0
    const counted = (k: number) => Object.defineProperty({ id: k }, 'title', { get: () => ((t += 0.002), reads++, 'Item ' + k), enumerable: true })
    const list = () => Object.fromEntries(Array.from({ length: 600 }, (_, k) => ['e' + k, counted(k)]))
    const plainMap = () => Object.fromEntries(Array.from({ length: 600 }, (_, k) => ['e' + k, { id: k }]))
    const first = { list: list(), map: plainMap(), other: plainMap() }
    const next = { list: list(), map: { ...first.map, e1: { id: -1 } }, other: first.other }
    const now = vi.spyOn(performance, 'now').mockImplementation(() => t)
    const keys = Object.keys
    let stepStart = 0
    const readBefore: number[] = []
    const listed: unknown[] = []
    const spy = vi.spyOn(Object, 'keys').mockImplementation((o: object) => {
      listed.push(o)
      if (o === first.map || o === next.map) {
        readBefore.push(reads - stepStart)
        t += 7
      }
      return keys(o)
    })
    const w = new StateJson(null, quiet)
    try {
      expect(w.text(first)).toBe(reference(first).text)
      readBefore.length = 0
      listed.length = 0
      w.prepare(next)
      for (let i = 0; w.pending > 0 && i < 1_000; i++) {
        stepStart = reads
        w.advance(8)
      }
      // (Before: listed right after the list's 600 entities were written, in the same 8 ms slice.)
      expect(readBefore).toEqual([0])
      expect(listed).not.toContain(first.other)
    } finally {
      spy.mockRestore()
      now.mockRestore()
    }
    expect(w.text(next)).toBe(reference(next).text)
  })

  it('ready() resolves once every prepared state is written, and text() then returns it', async () => {
    const a = { items: entities(3_000) }
    const b = { items: { ...a.items, entities: { ...a.items.entities, e1: { id: 'e1' } } } }
    const w = new StateJson(null, quiet, undefined, 1)
    w.prepare(a)
    w.prepare(b)
    await w.ready()
    expect(w.pending).toBe(0)
    expect(w.text(a)).toBe(reference(a).text)
    expect(w.text(b)).toBe(reference(b).text)
  })
})

describe('StateJson with the hasher: its key lists instead of a second Object.keys', () => {
  /** A map of `n` entities keyed `k0`… (string keys, in insertion order). */
  const bigMap = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, k) => ['k' + k, { id: k, title: 'Item ' + k }]))

  it('does not list again a big map the hasher has listed (the latest version an action changed)', () => {
    const hasher = new CompactFr64Hasher()
    const a = { items: { entities: bigMap(600) }, ui: { open: true } }
    const b = { ...a, items: { entities: { ...a.items.entities, k7: { id: 7, title: 'changed' } } } }
    const c = { ...b, items: { entities: { ...b.items.entities, k600: { id: 600, title: 'added' } } } }
    const w = new StateJson(null, quiet, keyLists(hasher))
    hasher.hash(a)
    expect(w.text(a)).toBe(reference(a).text)
    const keys = Object.keys
    for (const [state, prev] of [[b, a], [c, b]] as const) {
      hasher.hash(state, prev)
      const listed: object[] = []
      const spy = vi.spyOn(Object, 'keys').mockImplementation((o: object) => (listed.push(o), keys(o)))
      try {
        expect(w.text(state)).toBe(reference(state).text)
      } finally {
        spy.mockRestore()
      }
      // (Before: the writer's own Object.keys of the map, the hasher's step having just listed it.)
      expect(listed).not.toContain(state.items.entities)
    }
    // A version the hasher has moved on from (its list went to the next version): listed here.
    const listed: object[] = []
    const spy = vi.spyOn(Object, 'keys').mockImplementation((o: object) => (listed.push(o), keys(o)))
    try {
      expect(new StateJson(null, quiet, keyLists(hasher)).text(b)).toBe(reference(b).text)
    } finally {
      spy.mockRestore()
    }
    expect(listed).toContain(b.items.entities)
  })

  it("gives the hasher's step the list of a large map it listed first (a hash queue lagging behind the writer)", () => {
    const hasher = new CompactFr64Hasher()
    const a = { items: { entities: bigMap(1500) } }
    const b = { items: { entities: { ...a.items.entities, k7: { id: 7, title: 'changed' } } } }
    const c = { items: { entities: { ...b.items.entities, k1500: { id: 1500, title: 'added' } } } }
    const w = new StateJson(null, quiet, keyLists(hasher))
    hasher.hash(a)
    const keys = Object.keys
    for (const [state, prev] of [[b, a], [c, b]] as const) {
      expect(w.text(state)).toBe(reference(state).text)
      const listed: object[] = []
      const spy = vi.spyOn(Object, 'keys').mockImplementation((o: object) => (listed.push(o), keys(o)))
      try {
        hasher.hash(state, prev)
      } finally {
        spy.mockRestore()
      }
      // (Before: the step's own Object.keys of the map the writer had just listed.)
      expect(listed).not.toContain(state.items.entities)
      expect(hasher.hex()).toBe(referenceHash(state))
    }
  })

  it('writes what stateText writes after random adds, removals, re-insertions and updates of integer-like and other keys, however far the hasher got (property)', () => {
    // Integer-like keys ("9" before "10", then the others in insertion order), keys that only look
    // like integers ("01", "-1", "1.5", 2^32 - 1), and "__proto__" as an own key.
    const pool = ['0', '1', '9', '10', '11', '100', '4294967294', '4294967295', '01', '-1', '1.5', 'a', 'b', 'z', '__proto__']
    const key = fc.oneof(fc.constantFrom(...pool), fc.integer({ min: 0, max: 79 }).map((k) => 'k' + k))
    const value = fc.oneof(
      { weight: 6, arbitrary: fc.integer().map((n) => ({ n })) },
      // An undefined value: the hasher keeps no key list for such a map (JSON leaves it out).
      { weight: 1, arbitrary: fc.constant(undefined) },
    )
    const op = fc.oneof(
      fc.record({ t: fc.constant('set' as const), k: key, v: value }),
      fc.record({ t: fc.constant('delete' as const), k: key }),
      fc.record({ t: fc.constant('other' as const), v: fc.integer() }),
      // Hashes the states made since the last hash (the hash queue lags behind the writer until then).
      fc.record({ t: fc.constant('hash' as const) }),
      // Writes state `back` states before the last one (the writer lags behind the hasher, or the other way round).
      fc.record({ t: fc.constant('write' as const), back: fc.nat(3) }),
      // Prepares one (often the last: its map's list is the hasher's until the next step appends
      // to it) and goes on with it for a few steps: each walk and chunk is a step of its own here.
      fc.record({ t: fc.constant('prepare' as const), back: fc.oneof(fc.constant(0), fc.nat(3)), steps: fc.nat(6) }),
    )
    let used = 0
    fc.assert(
      // (Maps of over 1,020 keys too: a hasher's step takes the writer's list only for those.)
      fc.property(fc.oneof(fc.integer({ min: 40, max: 90 }), fc.integer({ min: 1015, max: 1030 })), fc.array(op, { minLength: 1, maxLength: 30 }), fc.boolean(), (size, ops, redacting) => {
        const redactor = redacting ? compileRedactor(['items.entities.*.n'])! : null
        const hasher = new CompactFr64Hasher(redactor)
        const lists = keyLists(hasher)
        const counting = (v: object) => {
          const ks = lists(v)
          if (ks !== undefined) {
            used++
            // The list is Object.keys' own order, whatever steps made it.
            expect(ks).toEqual(Object.keys(v))
          }
          return ks
        }
        let t = 0
        const now = vi.spyOn(performance, 'now').mockImplementation(() => (t += 1))
        try {
          const w = new StateJson(redactor, quiet, counting, 0)
          // ("__proto__" as an own key: assigned, it would set the prototype.)
          const put = (o: Record<string, unknown>, k: string, v: unknown) => (k === '__proto__' ? Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true }) : (o[k] = v))
          const first: Record<string, unknown> = {}
          for (let k = 0; k < size; k++) put(first, 'k' + k, { n: k })
          let state = { items: { entities: first }, other: 0 }
          const states = [state]
          hasher.hash(state)
          let hashed = 1
          for (const o of ops) {
            if (o.t === 'set' || o.t === 'delete') {
              // (A spread copies an own "__proto__" as an own key.)
              const map: Record<string, unknown> = { ...state.items.entities }
              if (o.t === 'set') put(map, o.k, o.v)
              else delete map[o.k]
              state = { ...state, items: { entities: map } }
            } else if (o.t === 'other') state = { ...state, other: o.v }
            else if (o.t === 'hash') {
              for (; hashed < states.length; hashed++) {
                hasher.hash(states[hashed], states[hashed - 1])
                // (With the writer's lists too, the hash of fr64's reference engine.)
                expect(hasher.hex()).toBe(referenceHash(states[hashed], redactor))
              }
              continue
            } else {
              const s = states[Math.max(0, states.length - 1 - o.back)]
              if (o.t === 'write') expect(incremental(w, s)).toEqual(reference(s, redactor))
              else {
                w.prepare(s)
                for (let i = 0; i < o.steps; i++) w.advance(0)
              }
              continue
            }
            states.push(state)
          }
          for (const s of states.slice(-3)) expect(incremental(w, s)).toEqual(reference(s, redactor))
        } finally {
          now.mockRestore()
        }
      }),
      { numRuns: 150 },
    )
    // (The writer did take lists from the hasher.)
    expect(used).toBeGreaterThan(0)
  })

  it('a list the writer gave is taken by one step only: the same map in two caches (two paths, one redacted under) gets no key twice', () => {
    // 2,048 keys: the key added by the last step and a second copy of it fall in two chunks of 512.
    const v0 = Object.fromEntries(Array.from({ length: 2048 }, (_, k) => ['k' + k, k]))
    const { k5: _gone, ...v1 } = v0 // a key removed: a step that is not aligned keeps the list it was given
    const v2 = { ...v1, x: 1 } // a key added at the end: the aligned step appends it to that list
    const redactor = compileRedactor(['a.*.secret'])
    const hasher = new CompactFr64Hasher(redactor)
    const w = new StateJson(redactor, quiet, keyLists(hasher))
    const s0 = { a: v0, b: v0 }
    const s1 = { a: v1, b: v1 }
    hasher.hash(s0)
    expect(w.text(s1)).toBe(reference(s1, redactor).text) // the writer lists v1 first, and gives it
    hasher.hash(s1, s0) // v1's records under `a` (a redaction cache) and `b` (the shared one)
    // Two more states with v1 as it is: its records leave the young tier for their WeakMaps.
    const s2 = { ...s1, n: 1 }
    const s3 = { ...s1, n: 2 }
    hasher.hash(s2, s1)
    hasher.hash(s3, s2)
    const s4 = { a: v2, b: v2, n: 2 }
    hasher.hash(s4, s3)
    expect(hasher.hex()).toBe(referenceHash(s4, redactor))
    // (Before: both records held the list v1 was given, both steps appended "x": ["k0", …, "x", "x"].)
    expect(keyLists(hasher)(v2)).toEqual(Object.keys(v2))
    expect(w.text(s4)).toBe(reference(s4, redactor).text)
  })
})
