import type { Action, Reducer, StoreEnhancer, StoreEnhancerStoreCreator } from 'redux'
import { isLiftedState, unliftState } from './lifted'
import type { Recorder } from './recorder'

/**
 * The store side: wraps the reducer (and every reducer `replaceReducer` installs) so each reducer
 * call becomes an entry, and forwards every other store field untouched. Applied to another store,
 * the recorder follows that one; the earlier store's reducer stops recording.
 */
export function createEnhancer(rec: Recorder): StoreEnhancer {
  /** `generation` is the store this reducer belongs to: once another store is recorded, it records nothing. */
  const wrap = (reducer: Reducer, generation: number): Reducer =>
    function flightRecorderReducer(state: unknown, action: Action) {
      const next = reducer(state, action)
      if (rec.generation === generation) rec.onReduce(state, action, next, reducer)
      return next
    }

  return ((createStore: StoreEnhancerStoreCreator) => (reducer: Reducer, preloadedState?: unknown) => {
    if (!rec.settings.enabled || rec.closed) return createStore(reducer, preloadedState as never)
    const generation = rec.beginStore()
    // Reducer calls made while the store is being created (Redux's INIT, an inner DevTools
    // instrument's own init) are not entries: the header holds the state they produce.
    rec.creating = true
    let store: ReturnType<StoreEnhancerStoreCreator>
    try {
      store = createStore(wrap(reducer, generation), preloadedState as never)
    } finally {
      rec.creating = false
    }
    const created = store.getState()
    const lifted = isLiftedState(created)
    rec.storeCreated(lifted ? unliftState(created) : created, lifted ? () => unliftState(store.getState()) : store.getState, lifted, created)
    const replaceReducer = (next: Reducer) => store.replaceReducer(typeof next === 'function' ? wrap(next, generation) : next)
    if (!(store as { liftedStore?: unknown }).liftedStore) return { ...store, replaceReducer }
    // Redux DevTools' instrument runs inside this enhancer: it calls the reducer again to
    // recompute its history (toggle, jump, import). Only the call for an action that really went
    // through dispatch is an entry; a state change no dispatch explains is noted as a @@lifecycle
    // entry carrying the new state.
    rec.guarded = true
    const dispatch = (action: Action) => {
      if (rec.generation !== generation) return store.dispatch(action)
      rec.expected.push(action)
      try {
        return store.dispatch(action)
      } finally {
        rec.expected.pop()
      }
    }
    const unsubscribe = store.subscribe(() => rec.noticeStateChange(store.getState(), 'devtools'))
    const forget = rec.onClose(unsubscribe)
    rec.storeCleanup = () => {
      forget()
      unsubscribe()
    }
    return { ...store, dispatch, replaceReducer }
  }) as never
}
