import { instrument, ActionCreators } from '@redux-devtools/instrument'
import { compose, createStore, type StoreEnhancer } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { isActionEntry, replay } from 'redux-flight-recorder/replay'
import { added, rootReducer, toggled } from '../helpers/todoApp'

const orders: [string, (rec: StoreEnhancer) => StoreEnhancer][] = [
  // compose(a, b)(createStore) = a(b(createStore)): b is innermost
  ['recorder innermost, instrument outside it', (rec) => compose(instrument() as StoreEnhancer, rec)],
  ['instrument innermost, recorder outside it', (rec) => compose(rec, instrument() as StoreEnhancer)],
]

describe.each(orders)('with @redux-devtools/instrument: %s', (_name, enhancer) => {
  it('records each dispatched action once, not its recomputations, and notes a jump with a checkpoint', () => {
    const recorder = createFlightRecorder()
    const store = createStore(rootReducer, enhancer(recorder.enhancer)) as ReturnType<typeof createStore> & { liftedStore: any }
    expect(store.liftedStore).toBeDefined()
    store.dispatch(added({ id: 'a', title: 'milk', done: false }))
    store.dispatch(added({ id: 'b', title: 'bread', done: false }))
    store.dispatch(toggled('a'))
    // DevTools toggles an action off (recomputes everything after it), then jumps back in time.
    store.liftedStore.dispatch(ActionCreators.toggleAction(2))
    store.liftedStore.dispatch(ActionCreators.jumpToState(1))
    store.dispatch(toggled('a'))
    const rec = recorder.snapshot()
    const actions = rec.entries.filter(isActionEntry)
    expect(actions.map((e) => e.kind)).toEqual(['todos/added', 'todos/added', 'todos/toggled', 'todos/toggled'])
    const notes = rec.entries.filter((e) => e.kind === '@@lifecycle')
    expect(notes.length).toBeGreaterThanOrEqual(2)
    for (const n of notes) expect(n).toHaveProperty('state')
    const result = replay(rec, { reducer: rootReducer })
    expect(result.ok).toBe(true)
  })
})
