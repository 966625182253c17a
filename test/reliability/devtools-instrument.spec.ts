/**
 * Issue 8 (4), Redux DevTools' `@redux-devtools/instrument`, in both orders (recorder inside it and
 * outside it). The contract (DESIGN.md "Recording", issue 8): instrument's recomputations (toggle,
 * jump, sweep, reorder, import, commit, rollback, reset) are not recorded as actions; a state change
 * they make visible is an `@@lifecycle` entry carrying the state (a checkpoint: `state` and its
 * `hash`), so the log replays to the state the app shows. What the app sees (dispatch results,
 * notifications, visible states, `liftedStore`) is the same as without the recorder.
 */
import { ActionCreators, instrument } from '@redux-devtools/instrument'
import { compose, createStore, type Reducer, type StoreEnhancer } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, stateHash, type Entry, type FlightRecorder } from 'redux-flight-recorder'
import { devToolsInstrument } from 'redux-flight-recorder/devtools'
import { isActionEntry, replay } from 'redux-flight-recorder/replay'

interface S {
  n: number
  notes: string[]
}
const reducer: Reducer<S, any> = (state = { n: 0, notes: [] }, action) => {
  if (action.type === 'inc') return { ...state, n: state.n + 1 }
  if (action.type === 'note') return { ...state, notes: [...state.notes, String(action.payload)] }
  return state
}

const ORDERS: [string, (recorder?: StoreEnhancer) => StoreEnhancer][] = [
  // compose(a, b)(createStore) = a(b(createStore)): b is innermost.
  ['recorder inside instrument', (rec) => (rec ? compose(instrument() as StoreEnhancer, rec) : (instrument() as StoreEnhancer))],
  ['recorder outside instrument', (rec) => (rec ? compose(rec, instrument() as StoreEnhancer) : (instrument() as StoreEnhancer))],
]

type Lifted = ReturnType<typeof createStore> & { liftedStore: { dispatch(a: unknown): unknown; getState(): any } }

function make(order: (typeof ORDERS)[number][1], recorder?: FlightRecorder): Lifted {
  return createStore(reducer, order(recorder?.enhancer)) as unknown as Lifted
}

const json = (v: unknown) => JSON.parse(JSON.stringify(v))
const lifecycleWithState = (entries: Entry[]) => entries.filter((e) => e.kind === '@@lifecycle' && Object.prototype.hasOwnProperty.call(e, 'state'))

/** A DevTools session: the app dispatches, the developer toggles, jumps, sweeps, imports… */
function session(store: Lifted, devtools: (lifted: Lifted['liftedStore']) => void) {
  let notified = 0
  store.subscribe(() => void notified++)
  const results: unknown[] = []
  const visible: unknown[] = []
  for (const a of [{ type: 'inc' }, { type: 'note', payload: 'x' }, { type: 'inc' }, { type: 'note', payload: 'y' }]) {
    results.push(store.dispatch(a))
    visible.push(json(store.getState()))
  }
  devtools(store.liftedStore)
  visible.push(json(store.getState()))
  results.push(store.dispatch({ type: 'inc' }))
  visible.push(json(store.getState()))
  return { results, visible, notified, final: json(store.getState()) }
}

/** What the developer does in DevTools between the app's 4th and 5th dispatch. */
const OPERATIONS: [string, (lifted: Lifted['liftedStore']) => void][] = [
  ['JUMP_TO_STATE', (l) => void l.dispatch(ActionCreators.jumpToState(2))],
  ['JUMP_TO_ACTION', (l) => void l.dispatch(ActionCreators.jumpToAction(1))],
  ['TOGGLE_ACTION', (l) => void l.dispatch(ActionCreators.toggleAction(1))],
  ['TOGGLE_ACTION then SWEEP', (l) => {
    l.dispatch(ActionCreators.toggleAction(3))
    l.dispatch(ActionCreators.sweep())
  }],
  ['SET_ACTIONS_ACTIVE', (l) => void l.dispatch(ActionCreators.setActionsActive(1, 3, false))],
  ['REORDER_ACTION', (l) => void l.dispatch(ActionCreators.reorderAction(4, 1))],
  ['COMMIT', (l) => void l.dispatch(ActionCreators.commit())],
  ['ROLLBACK', (l) => void l.dispatch(ActionCreators.rollback())],
  ['RESET', (l) => void l.dispatch(ActionCreators.reset())],
  ['IMPORT_STATE of another session', (l) => {
    const other = createStore(reducer, instrument() as StoreEnhancer) as unknown as Lifted
    for (let i = 0; i < 7; i++) other.dispatch({ type: 'note', payload: `imported ${i}` })
    l.dispatch(ActionCreators.importState(json(other.liftedStore.getState())))
  }],
  // Paused, DevTools stops keeping history but the app's reducer still runs the 5th action.
  ['PAUSE_RECORDING', (l) => void l.dispatch(ActionCreators.pauseRecording(true))],
  // Locked, DevTools drops the 5th action: the app's reducer never receives it.
  ['LOCK_CHANGES', (l) => void l.dispatch(ActionCreators.lockChanges(true))],
  ['JUMP_TO_STATE and back to the present', (l) => {
    l.dispatch(ActionCreators.jumpToState(1))
    l.dispatch(ActionCreators.jumpToState(4))
  }],
]

describe.each(ORDERS)('Redux DevTools instrument with the recorder (%s)', (_order, order) => {
  it('forwards liftedStore, and changes no dispatch result, notification or visible state', () => {
    const recorder = createFlightRecorder({ devtools: devToolsInstrument() })
    const store = make(order, recorder)
    expect(typeof store.liftedStore.dispatch).toBe('function')
    expect(store.liftedStore.getState()).toHaveProperty('computedStates')
    const ops = (l: Lifted['liftedStore']) => {
      l.dispatch(ActionCreators.toggleAction(1))
      l.dispatch(ActionCreators.jumpToState(2))
    }
    expect(session(store, ops)).toEqual(session(make(order), ops))
  })

  it.each(OPERATIONS)('%s: no recomputation becomes an action entry; the log replays to the state the app shows', (_op, devtools) => {
    const recorder = createFlightRecorder({ devtools: devToolsInstrument() })
    const store = make(order, recorder)
    const seen = session(store, devtools)
    expect(seen).toEqual(session(make(order), devtools))
    const rec = recorder.snapshot()
    // Exactly the dispatched actions the app's reducer received, in order (all five, but the fifth
    // when DevTools locked changes): instrument's replays of them are not entries.
    const received = [{ type: 'inc' }, { type: 'note', payload: 'x' }, { type: 'inc' }, { type: 'note', payload: 'y' }, { type: 'inc' }]
    expect(rec.entries.filter(isActionEntry).map((e) => e.action)).toEqual(_op === 'LOCK_CHANGES' ? received.slice(0, 4) : received)
    const result = replay(rec, { reducer })
    expect(result.divergence).toBeUndefined()
    expect(result).toMatchObject({ ok: true })
    expect(json(result.state)).toEqual(seen.final)
  })

  it('notes a JUMP_TO_STATE as an @@lifecycle entry carrying the jumped-to state and its hash (a checkpoint)', () => {
    const recorder = createFlightRecorder({ devtools: devToolsInstrument() })
    const store = make(order, recorder)
    store.dispatch({ type: 'inc' })
    store.dispatch({ type: 'inc' })
    store.dispatch({ type: 'note', payload: 'z' })
    store.liftedStore.dispatch(ActionCreators.jumpToState(1))
    const jumped = json(store.getState())
    expect(jumped).toEqual({ n: 1, notes: [] })
    const rec = recorder.snapshot()
    const notes = lifecycleWithState(rec.entries)
    expect(notes).toHaveLength(1)
    const [note] = notes as (Entry & { state: unknown; hash: string; body: { event: string } })[]
    expect(note.turn).toBeNull()
    expect(note.body.event).toMatch(/devtools/)
    expect(note.state).toEqual(jumped)
    expect(note.hash).toBe(stateHash(jumped))
    // It comes after the three actions and carries the next seq.
    expect(rec.entries.map((e) => e.kind)).toEqual(['inc', 'inc', 'note', '@@lifecycle'])
    // Replay ends at the jumped-to state, verified.
    const result = replay(rec, { reducer })
    expect(result).toMatchObject({ ok: true, verified: true })
    expect(json(result.state)).toEqual(jumped)
  })

  it('records nothing for a recomputation that leaves the visible state as it was', () => {
    const recorder = createFlightRecorder({ devtools: devToolsInstrument() })
    const store = make(order, recorder)
    store.dispatch({ type: 'inc' })
    store.dispatch({ type: 'note', payload: 'a' })
    // Toggling an action that is then toggled back: the visible state ends where it was.
    store.liftedStore.dispatch(ActionCreators.commit())
    const before = recorder.snapshot().entries.length
    store.liftedStore.dispatch(ActionCreators.jumpToState(0))
    store.liftedStore.dispatch(ActionCreators.jumpToState(0))
    const after = recorder.snapshot().entries
    // At most the one jump (COMMIT kept the state, the second jump is to the same state).
    expect(after.length - before).toBeLessThanOrEqual(1)
    expect(after.filter(isActionEntry)).toHaveLength(2)
  })
})
