import { combineReducers, configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import undoable from 'redux-undo'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink, subtreeHashes } from 'redux-flight-recorder'
import { formatDivergence, parseRecording, replay } from 'redux-flight-recorder/replay'
import { changedPaths, formatPath, parsePath } from '../../src/hash/subtrees'
import { sha256JsonHash } from 'redux-flight-recorder/node'
import { bookshopReducer, recordBookshop } from '../helpers/bookshop'

describe('divergence localized at its step (issue 15, case 1)', () => {
  it('names what the replayed step changed and says a later action erased the difference', async () => {
    const log = await recordBookshop()
    const result = replay(log, { reducer: bookshopReducer(true) })
    const d = result.divergence!
    expect(d.seq).toBe(15)
    expect(d.step).toEqual([{ path: 'cart.entities.b1.n', recorded: 1, replayed: 0 }])
    expect(d.convergedAt).toEqual({ seq: 21, kind: 'cart/cleared' })
    expect(d.diff).toEqual([])
    const text = formatDivergence(result)
    expect(text).not.toContain('hash input only')
    expect(text).toContain('cart.entities.b1.n: 1 → 0')
    expect(text).toContain("after seq 21 ('cart/cleared') the replayed state hashes as recorded again")
    expect(text).toContain('no subtree hashes for this step')
  })

  it('with subtree hashes, names the entity the recording removed and replay kept', async () => {
    const log = await recordBookshop({ subtreeHashes: subtreeHashes() })
    const entry = parseRecording(log).entries.find((e) => e.seq === 15) as { changed?: Record<string, string | null> }
    expect(Object.keys(entry.changed!).sort()).toEqual(['cart.entities.b1', 'cart.ids'])
    expect(entry.changed!['cart.entities.b1']).toBeNull()
    // The key is additive: the log still verifies against the right reducer.
    expect(replay(log, { reducer: bookshopReducer() })).toMatchObject({ ok: true, verified: true })
    const d = replay(log, { reducer: bookshopReducer(true) }).divergence!
    expect(d.seq).toBe(15)
    expect(d.stepDiff).toEqual([
      { path: 'cart.ids', recordedHash: entry.changed!['cart.ids'], recordedKnown: false, replayed: ['b1', 'b2', 'b3', 'b4'], replayedUnchanged: true },
      { path: 'cart.entities.b1', recordedHash: null, recordedKnown: true, replayed: { id: 'b1', n: 0 } },
    ])
    expect(formatDivergence(d)).toContain('cart.entities.b1: (missing) → {"id":"b1","n":0}')
  })

  it('blames the hash input only when nothing ran between the step and the compared state', async () => {
    const log = await recordBookshop()
    const lines = log.trimEnd().split('\n')
    // Tamper with the last action's hash: replay and recording agree on every state.
    const last = lines.length - 2
    lines[last] = lines[last].replace(/"hash":"[0-9a-f]{16}"/, '"hash":"0000000000000000"')
    const d = replay(lines.join('\n'), { reducer: bookshopReducer() }).divergence!
    expect(d.seq).toBe(21)
    expect(d.diffNote).toContain('nothing ran after seq 21: the difference is in the hash input only')
  })

  it('names a wrong recorded hash when the very next action agrees again', async () => {
    const reducer = (s = { n: 0, seen: 0 }, a: { type: string }) => (a.type === 'inc' ? { ...s, n: s.n + 1 } : a.type === 'seen' ? { ...s, seen: s.seen + 1 } : s)
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    for (const type of ['inc', 'inc', 'noop', 'seen', 'inc', 'seen', 'inc']) store.dispatch({ type })
    await recorder.close()
    const lines = sink.text().trimEnd().split('\n')
    const tamper = (seq: number) =>
      lines.map((l) => (l.includes(`"seq":${seq},`) ? l.replace(/"hash":"[0-9a-f]{16}"/, '"hash":"0000000000000000"') : l)).join('\n')
    // seq 2's hash edited; seq 3 ('noop') leaves the state as it is and hashes as recorded.
    const noop = replay(tamper(2), { reducer }).divergence!
    expect(noop).toMatchObject({ seq: 2, convergedAt: { seq: 3, kind: 'noop' } })
    expect(noop.diffNote).toContain("the hash recorded at seq 2 looks wrong (a log edited by hand, or damaged): replayed, the next action, seq 3 ('noop'), leaves the state as it is")
    // seq 4's hash edited; seq 5 ('inc') changes the state: it may have erased a difference.
    const changed = replay(tamper(4), { reducer }).divergence!
    expect(changed).toMatchObject({ seq: 4, convergedAt: { seq: 5, kind: 'inc' } })
    expect(changed.diffNote).toContain("and so is the state after the very next action, seq 5 ('inc'): either that action erased the difference, or the hash recorded at seq 4 is wrong")
    // Convergence later than the next action keeps the plain wording.
    const later = lines.map((l) => (l.includes('"seq":4,') || l.includes('"seq":5,') ? l.replace(/"hash":"[0-9a-f]{16}"/, '"hash":"0000000000000000"') : l)).join('\n')
    const d = replay(later, { reducer }).divergence!
    expect(d).toMatchObject({ seq: 4, convergedAt: { seq: 6 } })
    expect(d.diffNote).toContain("a later action erased the difference — after seq 6 ('seen')")
  })

  it('summarises redux-undo history after the real change', async () => {
    const todos = (buggy: boolean) =>
      createSlice({
        name: 'todos',
        initialState: { items: [] as { id: number; done: boolean }[] },
        reducers: {
          added(s, a: PayloadAction<number>) {
            s.items.push({ id: a.payload, done: false })
          },
          toggled(s, a: PayloadAction<number>) {
            const t = s.items.find((i) => i.id === a.payload)
            if (t && !buggy) t.done = !t.done
          },
        },
      })
    const make = (buggy: boolean) => combineReducers({ todos: undoable(todos(buggy).reducer) })
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = configureStore({ reducer: make(false), enhancers: (g) => g().concat(recorder.enhancer) })
    const { added, toggled } = todos(false).actions
    for (let i = 0; i < 14; i++) store.dispatch(added(i))
    store.dispatch(toggled(3))
    store.dispatch(added(99))
    await recorder.close()
    const text = formatDivergence(replay(sink.text(), { reducer: make(true) }))
    const lines = text.split('\n')
    const first = lines.findIndex((l) => l.startsWith('    '))
    expect(lines[first]).toBe('    todos.present.items.3.done: true → false')
    expect(text).toMatch(/todos\.past: undo history of \d+ → \d+ states \(not shown\)/)
    expect(text).not.toMatch(/todos\.past\.\d+/)
  })

  it('names where undo histories differ when nothing else does (only the history was wrong)', async () => {
    type Canvas = { past: { color: string }[]; present: { color: string }; future: { color: string }[] }
    // A hand-written undo history (redux-undo's shape); the buggy one keeps the wrong past state.
    const make = (buggy: boolean) => (s: Canvas = { past: [], present: { color: 'white' }, future: [] }, a: { type: string; payload?: string }): Canvas =>
      a.type === 'painted' ? { past: [...s.past, buggy ? { color: s.present.color.toUpperCase() } : s.present], present: { color: a.payload! }, future: [] } : s
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = configureStore({ reducer: combineReducers({ canvas: make(false) }), enhancers: (g) => g().concat(recorder.enhancer) })
    for (const c of ['red', 'green', 'blue']) store.dispatch({ type: 'painted', payload: c })
    await recorder.close()
    const text = formatDivergence(replay(sink.text(), { reducer: combineReducers({ canvas: make(true) }) }))
    expect(text).toContain('canvas.past: undo history of 3 → 3 states (not shown), first at canvas.past.0.color: "white" → "WHITE"')
  })

  it("shows the step's effect inside arrays, and nothing for an equal copy or a key set to undefined", async () => {
    type Todo = { id: number; done: boolean }
    type S = { todos: Todo[]; extra?: unknown }
    const good = (s: S = { todos: [] }, a: { type: string; id: number }): S =>
      a.type === 'added' ? { ...s, todos: [...s.todos, { id: a.id, done: false }] } : a.type === 'toggled' ? { ...s, todos: s.todos.map((t) => (t.id === a.id ? { ...t, done: !t.done } : t)) } : s
    const recorder = createFlightRecorder()
    const store = configureStore({ reducer: good as never, enhancers: (g) => g().concat(recorder.enhancer) })
    for (let i = 0; i < 5; i++) store.dispatch({ type: 'added', id: i })
    store.dispatch({ type: 'toggled', id: 3 })
    const log = recorder.snapshot({ finalState: true })
    // Toggles the wrong todo: the effect is one leaf inside the array.
    const wrongOne = (s: S | undefined, a: { type: string; id: number }) => good(s, a.type === 'toggled' ? { ...a, id: 2 } : a)
    const wrong = replay(log, { reducer: wrongOne as never })
    expect(wrong.divergence?.step).toEqual([{ path: 'todos.2.done', recorded: false, replayed: true }])
    expect(formatDivergence(wrong)).toContain('    todos.2.done: false → true')
    // Copies the list with equal values and adds an undefined key: in JSON, the step did nothing.
    const copies = (s: S | undefined, a: { type: string; id: number }) => (a.type === 'toggled' ? { ...s!, todos: s!.todos.map((t) => ({ ...t })), extra: undefined } : good(s, a))
    const same = replay(log, { reducer: copies as never })
    expect(same.divergence?.seq).toBe(6)
    expect(same.divergence?.step).toEqual([])
    expect(formatDivergence(same)).toContain('this step, replayed: changed nothing')
  })
})

describe('changedPaths', () => {
  it('lists the deepest changed paths, removed keys included, within the budget', () => {
    const prev = { a: { x: 1, y: { z: 1 } }, b: [1], c: 1 }
    const next = { ...prev, a: { ...prev.a, y: { z: 2 } }, b: [2] } as Record<string, unknown>
    delete next.c
    expect(changedPaths(next, prev).map((p) => formatPath(p.keys))).toEqual(['a.y.z', 'b', 'c'])
    expect(changedPaths(next, prev, 1).map((p) => formatPath(p.keys))).toEqual(['<root>'])
  })

  it('writes paths that parse back to the same keys', () => {
    for (const keys of [[], ['a'], ['a.b', 'c'], ['x', '3', '"q"', 'a[b]', ''], ['-', 'é']]) {
      expect(parsePath(formatPath(keys))).toEqual(keys)
    }
  })
})

describe('redacted state paths in a divergence report', () => {
  // A reducer that writes a secret where the log has '[redacted]': the report shows neither the
  // secret nor a difference there (the log cannot say what was recorded at a redacted path).
  const slice = createSlice({
    name: 'app',
    initialState: { auth: { token: '' }, users: { u1: { name: 'ann', password: '' } }, cart: { n: 0 } },
    reducers: {
      login: (s, a: PayloadAction<string>) => void (s.auth.token = a.payload),
      setPassword: (s, a: PayloadAction<string>) => void (s.users.u1.password = a.payload),
      add: (s) => void s.cart.n++,
    },
  })
  const leaky: typeof slice.reducer = (state, action) => {
    const next = slice.reducer(state, action)
    // The regression: `add` adds two, and writes real secrets on its way.
    if (slice.actions.add.match(action)) return { ...next, auth: { token: 'TOKEN-hunter2' }, users: { u1: { ...next.users.u1, password: 'hunter2' } }, cart: { n: next.cart.n + 1 } }
    return next
  }

  it.each([
    ['without subtree hashes', {}],
    ['with subtree hashes', { subtreeHashes: subtreeHashes() }],
  ])('%s: prints no secret and blames the real change', async (_name, extra) => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], redact: { state: ['auth.token', 'users.*.password'], actions: ['payload'] }, ...extra })
    const store = configureStore({ reducer: slice.reducer, enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch(slice.actions.login('TOKEN-real'))
    store.dispatch(slice.actions.setPassword('hunter-real'))
    store.dispatch(slice.actions.add())
    await recorder.close()
    expect(sink.text()).not.toMatch(/hunter|TOKEN-/)
    const result = replay(sink.text(), { reducer: leaky })
    const d = result.divergence!
    expect(d.seq).toBe(3)
    const text = formatDivergence(result)
    expect(text).not.toMatch(/hunter|TOKEN-/)
    expect(JSON.stringify(d.step)).not.toMatch(/hunter|TOKEN-/)
    expect(JSON.stringify(d.stepDiff ?? null)).not.toMatch(/hunter|TOKEN-/)
    // The real change is named; the redacted paths are not differences.
    expect(d.step!.map((x) => x.path)).toEqual(['cart.n'])
    if (d.stepDiff) expect(d.stepDiff.map((x) => x.path)).toEqual(['cart.n'])
    expect(text).toContain('cart.n: 0 → 2')
  })
})

describe('subtree hashes and a replayed step that changes many paths', () => {
  type S = { products: { entities: Record<string, { id: string; price: number; discount?: number }> } }
  const init = (): S => {
    const e: S['products']['entities'] = {}
    for (let i = 0; i < 100; i++) e[`p${i}`] = { id: `p${i}`, price: i }
    return { products: { entities: e } }
  }
  const make = (extra: number) => (s: S = init(), a: { type: string; payload?: number }): S => {
    if (a.type !== 'priceChanged') return s
    const e: S['products']['entities'] = { ...s.products.entities, p50: { ...s.products.entities.p50, price: a.payload! } }
    for (let i = 0; i < extra; i++) e[`p${i}`] = { ...e[`p${i}`], discount: 0 }
    return { products: { entities: e } }
  }

  it('lists the changes beside the recorded path when the step changed more than 20 keys of their container', async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], subtreeHashes: subtreeHashes() })
    const store = configureStore({ reducer: make(0) as never, enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch({ type: 'priceChanged', payload: 9.5 })
    await recorder.close()
    const d = replay(sink.text(), { reducer: make(25) as never }).divergence!
    expect(d.seq).toBe(1)
    expect(d.stepDiff!.length).toBe(20)
    expect(d.stepDiff![0]).toEqual({ path: 'products.entities.p0.discount', recorded: undefined, recordedKnown: true, replayed: 0 })
    expect(d.stepDiff!.some((x) => x.path.startsWith('products.entities.p50'))).toBe(false)
    expect(d.stepNote).not.toContain('hash input')
  })
})

describe('subtree hashes and a recorded step that changed nothing', () => {
  const cart = (bad: boolean) =>
    createSlice({
      name: 'cart',
      initialState: { lines: [{ sku: 'a', qty: 4 as number | string }] },
      reducers: {
        qtyChanged(state, { payload: { index, qty } }: PayloadAction<{ index: number; qty: number }>) {
          state.lines[index].qty = bad ? String(qty) : qty
        },
      },
    })

  it('says so, and names what the replayed step changed as the difference', async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], subtreeHashes: subtreeHashes() })
    const store = configureStore({ reducer: cart(false).reducer, enhancers: (g) => g().concat(recorder.enhancer) })
    // The qty it already has: Immer returns the same state, the entry has no `changed`.
    store.dispatch(cart(false).actions.qtyChanged({ index: 0, qty: 4 }))
    await recorder.close()
    expect(parseRecording(sink.text()).entries[0]).not.toHaveProperty('changed')
    const d = replay(sink.text(), { reducer: cart(true).reducer }).divergence!
    expect(d.seq).toBe(1)
    expect(d.stepDiff).toEqual([{ path: 'lines.0.qty', recorded: 4, recordedKnown: true, replayed: '4' }])
    const text = formatDivergence(d)
    expect(text).toContain('The recorded step changed nothing')
    expect(text).toContain('lines.0.qty: 4 → "4"')
    expect(text).not.toContain('record with `subtreeHashes')
  })
})

describe('a difference a later action erased', () => {
  const make = (bad: boolean) => (s: { lines: { sku: string; qty: number }[] } = { lines: [] }, a: { type: string; payload?: string }) =>
    a.type === 'added' ? { lines: [...s.lines, { sku: a.payload!, qty: bad ? 0 : 1 }] } : a.type === 'cleared' ? { lines: [] } : s

  it.each([
    ['fr64', {}],
    ['sha256JsonHash', { hash: sha256JsonHash }],
    ['serializeState', { serializeState: (s: unknown) => s }],
  ])('is found with %s', async (_name, extra) => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], ...extra })
    const store = configureStore({ reducer: make(false) as never, enhancers: (g) => g().concat(recorder.enhancer) })
    for (const a of [{ type: 'added', payload: 'apple' }, { type: 'cleared' }, { type: 'other' }]) store.dispatch(a)
    await recorder.close()
    const d = replay(sink.text(), { reducer: make(true) as never, ...extra }).divergence!
    expect(d.seq).toBe(1)
    expect(d.convergedAt).toEqual({ seq: 2, kind: 'cleared' })
    // The next action erased it: the report cannot tell that from a hash edited at seq 1, and says both.
    expect(formatDivergence(d)).toContain("and so is the state after the very next action, seq 2 ('cleared'): either that action erased the difference, or the hash recorded at seq 1 is wrong")
  })
})

describe('a difference a later action erased, with later differences', () => {
  const make = (bad: boolean) => (s: { lines: { sku: string; qty: number | string }[] } = { lines: [] }, a: { type: string; payload?: string }) =>
    a.type === 'added'
      ? { lines: [...s.lines, { sku: a.payload!, qty: bad ? String(1) : 1 }] }
      : a.type === 'cleared'
        ? { lines: [] }
        : a.type === 'restocked'
          ? { lines: [...s.lines, { sku: a.payload!, qty: bad ? String(1) : 1 }] }
          : s

  it('is named beside the differences at the full state', async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = configureStore({ reducer: make(false) as never, enhancers: (g) => g().concat(recorder.enhancer) })
    for (const a of [{ type: 'added', payload: 'apple' }, { type: 'cleared' }, { type: 'restocked', payload: 'pear' }]) store.dispatch(a)
    await recorder.close()
    const d = replay(sink.text(), { reducer: make(true) as never }).divergence!
    expect(d.seq).toBe(1)
    expect(d.convergedAt).toEqual({ seq: 2, kind: 'cleared' })
    expect(d.diff).toEqual([{ path: 'lines.0.qty', recorded: 1, replayed: '1' }])
    expect(d.diffNote).toContain("The difference at seq 1 is not among these: a later action erased it — after seq 2 ('cleared')")
  })
})

describe("the step's own effect, over 20 paths", () => {
  it('says that more paths changed than are listed', async () => {
    const make = (bad: boolean) => (s: Record<string, { price: number; discount?: number }> = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, { price: i }])), a: { type: string }) =>
      a.type === 'reprice' ? Object.fromEntries(Object.entries(s).map(([k, v]) => [k, bad ? { price: v.price + 1, discount: 0 } : { price: v.price + 1 }])) : s
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = configureStore({ reducer: make(false) as never, enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch({ type: 'reprice' })
    await recorder.close()
    const d = replay(sink.text(), { reducer: make(true) as never }).divergence!
    expect(d.step!.length).toBe(20)
    expect(d.stepTruncated).toBe(true)
    expect(formatDivergence(d)).toContain('    … and more (the first 20 are shown)')
  })
})
