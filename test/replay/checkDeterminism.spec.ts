import { combineReducers, configureStore, createSlice, nanoid, type PayloadAction } from '@reduxjs/toolkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, type RecorderFaultError } from 'redux-flight-recorder'
import { isActionEntry, replay } from 'redux-flight-recorder/replay'
import { added, makeStore, removed, renamed, rootReducer, syncTodos, toggled } from '../helpers/todoApp'

function storeWith(reducer: Parameters<typeof configureStore>[0]['reducer'], onError: (e: RecorderFaultError) => void, checkDeterminism = true, immutableCheck = true) {
  const recorder = createFlightRecorder({ checkDeterminism, onError })
  const store = configureStore({
    reducer,
    middleware: (g) => g({ immutableCheck }).prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  return { recorder, store }
}

const notes = createSlice({
  name: 'notes',
  initialState: { items: [] as { id: string; text: string; at?: number; key?: number; iso?: string; perf?: number }[], count: 0 },
  reducers: {
    typed(state, action: PayloadAction<string>) {
      state.items.push({ id: action.payload, text: action.payload })
    },
    counted(state) {
      state.count++
    },
    // The impure branches: each reads the clock or Math.random inside the reducer.
    stampedWithDateNow(state, action: PayloadAction<string>) {
      const item = state.items.find((i) => i.id === action.payload)
      if (item) item.at = Date.now()
    },
    keyedWithRandom(state, action: PayloadAction<string>) {
      const item = state.items.find((i) => i.id === action.payload)
      if (item) item.key = Math.random()
    },
    stampedWithNewDate(state, action: PayloadAction<string>) {
      const item = state.items.find((i) => i.id === action.payload)
      if (item) item.iso = new Date().toISOString()
    },
    stampedWithPerformanceNow(state, action: PayloadAction<string>) {
      const item = state.items.find((i) => i.id === action.payload)
      if (item) item.perf = Math.floor(performance.now())
    },
    addedWithNanoid(state, action: PayloadAction<string>) {
      state.items.push({ id: nanoid(), text: action.payload })
    },
    // Pure: the timestamp comes with the action (prepare callback).
    stampedFromAction: {
      reducer(state, action: PayloadAction<{ id: string; at: number }>) {
        const item = state.items.find((i) => i.id === action.payload.id)
        if (item) item.at = action.payload.at
      },
      prepare: (id: string) => ({ payload: { id, at: Date.now() } }),
    },
  },
})
const a = notes.actions

describe('checkDeterminism', () => {
  afterEach(() => vi.restoreAllMocks())

  it.each([
    ['Date.now()', a.stampedWithDateNow, 'items.0.at'],
    ['Math.random()', a.keyedWithRandom, 'items.0.key'],
    ['new Date()', a.stampedWithNewDate, 'items.0.iso'],
    ['performance.now()', a.stampedWithPerformanceNow, 'items.0.perf'],
  ] as const)('flags a reducer storing %s at the first action that reaches that branch', async (_name, creator, path) => {
    const faults: RecorderFaultError[] = []
    const { recorder, store } = storeWith(notes.reducer, (e) => faults.push(e))
    store.dispatch(a.typed('n1'))
    store.dispatch(a.counted())
    store.dispatch(a.stampedFromAction('n1'))
    expect(faults).toEqual([])
    store.dispatch(creator('n1'))
    store.dispatch(creator('n1'))
    store.dispatch(a.counted())
    expect(faults).toHaveLength(1)
    const fault = faults[0]
    expect(fault.source).toBe('determinism')
    const entry = recorder.snapshot().entries.find((e) => isActionEntry(e) && e.kind === creator.type)!
    expect(fault.seq).toBe(entry.seq)
    expect(fault.message).toContain(`action '${creator.type}' (seq ${entry.seq})`)
    expect(fault.message).toContain(`\`${path}\``)
    expect(fault.message).toMatch(/^\[redux-flight-recorder\] /)
    // The fault is also in the log, right after the action it names.
    const log = recorder.snapshot()
    const error = log.entries.find((e) => e.kind === '@@error')!
    expect(error).toMatchObject({ seq: entry.seq + 1, body: { source: 'determinism', seq: entry.seq } })
    await recorder.close()
  })

  it('flags a reducer calling nanoid() (Math.random inside)', () => {
    const faults: RecorderFaultError[] = []
    const { store } = storeWith(notes.reducer, (e) => faults.push(e))
    store.dispatch(a.addedWithNanoid('x'))
    expect(faults).toHaveLength(1)
    expect(faults[0].message).toContain("'notes/addedWithNanoid'")
  })

  it('stays silent for a pure reducer (the real todo app, thunks and listeners included)', async () => {
    const faults: RecorderFaultError[] = []
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const recorder = createFlightRecorder({ checkDeterminism: true, onError: (e) => faults.push(e) })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'milk', done: false }))
    store.dispatch(added({ id: 'b', title: 'eggs', done: false }))
    store.dispatch(toggled('a'))
    store.dispatch(renamed({ id: 'b', title: 'bread' }))
    store.dispatch(removed('b'))
    await store.dispatch(syncTodos(2))
    await recorder.close()
    expect(faults).toEqual([])
    expect(warn).not.toHaveBeenCalled()
    expect(replay(recorder.snapshot(), { reducer: rootReducer })).toMatchObject({ ok: true, verified: true })
  })

  it('restores Date, Date.now, Math.random and performance.now, also when the reducer throws', () => {
    const realDate = Date
    const realNow = Date.now
    const realRandom = Math.random
    const realPerfNow = performance.now
    const ownPerfNow = Object.prototype.hasOwnProperty.call(performance, 'now')
    const faults: RecorderFaultError[] = []
    let calls = 0
    const { store } = storeWith((state: number = 0, action: { type: string }) => {
      if (action.type === 'boom' && ++calls === 2) throw new Error('second call throws')
      return action.type === 'inc' ? state + 1 : state
    }, (e) => faults.push(e))
    store.dispatch({ type: 'inc' })
    store.dispatch({ type: 'boom' })
    expect(Date).toBe(realDate)
    expect(Date.now).toBe(realNow)
    expect(Math.random).toBe(realRandom)
    expect(performance.now).toBe(realPerfNow)
    expect(Object.prototype.hasOwnProperty.call(performance, 'now')).toBe(ownPerfNow)
    expect(faults).toEqual([])
    expect(store.getState()).toBe(1)
  })

  it('does not re-run actions that carry callbacks (their side effects would fire twice)', () => {
    const faults: RecorderFaultError[] = []
    let registered = 0
    const { store } = storeWith((state: { at: number } = { at: 0 }, action: { type: string; register?: () => void }) => {
      if (action.type === 'persist/PERSIST') {
        action.register!()
        return { at: Date.now() }
      }
      return state
    }, (e) => faults.push(e))
    store.dispatch({ type: 'persist/PERSIST', register: () => registered++ })
    expect(registered).toBe(1)
    expect(faults).toEqual([])
  })

  it('is off by default and in production', () => {
    const faults: RecorderFaultError[] = []
    const { store } = storeWith(notes.reducer, (e) => faults.push(e), false)
    store.dispatch(a.typed('n1'))
    store.dispatch(a.stampedWithDateNow('n1'))
    expect(faults).toEqual([])
    vi.stubEnv('NODE_ENV', 'production')
    try {
      const prod = storeWith(notes.reducer, (e) => faults.push(e))
      prod.store.dispatch(a.typed('n1'))
      prod.store.dispatch(a.keyedWithRandom('n1'))
      expect(faults).toEqual([])
    } finally {
      vi.unstubAllEnvs()
    }
  })

  // RTK's immutableCheck middleware (on by default in development) would throw at the first
  // change in place: an app with a large state turns it off (it walks the whole state twice per
  // action), and a store made with Redux's own createStore has none.
  describe('a reducer that changes the state in place (without RTK\'s immutableCheck)', () => {
    const storeOf = (reducer: Parameters<typeof storeWith>[0], onError: (e: RecorderFaultError) => void) => storeWith(reducer, onError, true, false)
    // A hand-written slice next to createSlice ones (as in a real app): it bumps its counters on
    // the object it was given and returns it.
    type Stats = { dispatched: number; byType: Record<string, number> }
    function stats(state: Stats = { dispatched: 0, byType: {} }, action: { type: string }): Stats {
      if (!action.type.startsWith('notes/')) return state
      state.byType[action.type] = (state.byType[action.type] ?? 0) + 1
      state.dispatched++
      return state
    }
    const root = combineReducers({ notes: notes.reducer, stats })

    it('leaves the app state as the app made it and reports the mutation once, with its seq and path', async () => {
      const faults: RecorderFaultError[] = []
      const { recorder, store: s } = storeOf(root, (e) => faults.push(e))
      const store = s as unknown as { dispatch: (a: unknown) => unknown; getState: () => ReturnType<typeof root> }
      store.dispatch(a.typed('n1'))
      store.dispatch(a.counted())
      store.dispatch(a.counted())
      // Three actions, counted three times: the check's re-runs changed nothing the app sees.
      expect(store.getState().stats).toEqual({ dispatched: 3, byType: { 'notes/typed': 1, 'notes/counted': 2 } })
      expect(store.getState().notes.count).toBe(2)
      expect(faults).toHaveLength(1)
      const fault = faults[0]
      expect(fault.source).toBe('determinism')
      const entry = recorder.snapshot().entries.find((e) => isActionEntry(e) && e.kind === 'notes/typed')!
      expect(fault.seq).toBe(entry.seq)
      expect(fault.message).toContain(`The reducer changed the state in place at seq ${entry.seq} (action 'notes/typed')`)
      expect(fault.message).toMatch(/`stats\.(byType\.notes\/typed|dispatched)`/)
      expect(fault.message).not.toContain('not deterministic')
      await recorder.close()
    })

    it('does not change an array or a nested object of the state, and names the path inside it', () => {
      const faults: RecorderFaultError[] = []
      const list = (state: { rows: { n: number }[] } | undefined, action: { type: string }) => {
        if (state === undefined) return { rows: [{ n: 0 }] }
        if (action.type === 'bump') state.rows[0].n++
        if (action.type === 'push') state.rows.push({ n: 9 })
        return state
      }
      const { store } = storeOf(combineReducers({ list }), (e) => faults.push(e))
      store.dispatch({ type: 'bump' })
      expect((store.getState() as { list: { rows: unknown } }).list.rows).toEqual([{ n: 1 }])
      expect(faults[0].message).toContain('`list.rows.0.n`')
      const other: RecorderFaultError[] = []
      const second = storeOf(combineReducers({ list }), (e) => other.push(e))
      second.store.dispatch({ type: 'push' })
      expect((second.store.getState() as { list: { rows: unknown } }).list.rows).toEqual([{ n: 0 }, { n: 9 }])
      expect(other[0].message).toContain('at `list.rows`,')
    })

    it('stays silent for a state with cycles and shared objects when the reducer is pure', () => {
      const faults: RecorderFaultError[] = []
      type Node = { id: number; parent?: Node; children: Node[] }
      const tree = (state: { root: Node; also: Node } | undefined, action: { type: string }) => {
        if (state === undefined) {
          const rootNode: Node = { id: 0, children: [] }
          const child: Node = { id: 1, parent: rootNode, children: [] }
          rootNode.children.push(child)
          return { root: rootNode, also: child }
        }
        return action.type === 'renamed' ? { ...state, root: { ...state.root, id: 10 } } : state
      }
      const { store } = storeOf(tree, (e) => faults.push(e))
      store.dispatch({ type: 'renamed' })
      store.dispatch({ type: 'other' })
      expect(faults).toEqual([])
      expect((store.getState() as { root: { id: number } }).root.id).toBe(10)
    })
  })
})

