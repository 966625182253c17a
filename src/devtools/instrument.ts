import type { Action, Reducer, Store } from 'redux'
import type { DevToolsSupport } from 'redux-flight-recorder'
import { isReduxInit, isReduxReplace } from '../internal/reduxActions'
import type { Recorder } from '../recorder/recorder'

/** Redux DevTools instrument's lifted state, the parts the recorder reads. */
interface LiftedState {
  computedStates: { state: unknown; error?: string }[]
  currentStateIndex: number
  isPaused?: boolean
}

function isLiftedState(value: unknown): value is LiftedState {
  const v = value as Partial<LiftedState> & { actionsById?: unknown; stagedActionIds?: unknown }
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(v.computedStates) &&
    typeof v.currentStateIndex === 'number' &&
    typeof v.actionsById === 'object' &&
    Array.isArray(v.stagedActionIds)
  )
}

/** The app's state DevTools currently shows. */
const unliftState = (lifted: unknown): unknown => {
  const l = lifted as LiftedState
  return l.computedStates[l.currentStateIndex]?.state
}

const MATCHED = Symbol('matched')

/**
 * Support for stores built with Redux DevTools' `@redux-devtools/instrument` (what the DevTools
 * extension's compose and Redux Toolkit's `devTools` option install), in either order:
 * - instrument inside the recorder (the extension's compose, `.concat(recorder.enhancer)`):
 *   instrument calls the reducer again to recompute its history (toggle, jump, import); only the
 *   call for an action that really went through `dispatch` is an entry;
 * - instrument outside the recorder (`compose(instrument(), recorder.enhancer)`): the reducer the
 *   recorder wraps is instrument's lifted reducer; the app's actions are taken out of
 *   `PERFORM_ACTION` and the app's state out of the lifted state.
 * Either way a state change no dispatch explains is an `@@lifecycle` entry carrying the new state,
 * so the log replays to the state the app shows. Without this option such a store is recorded as
 * a plain one: DevTools' recomputations become entries (development warns).
 *
 * @example
 * import { devToolsInstrument } from 'redux-flight-recorder/devtools'
 * const recorder = createFlightRecorder({ devtools: devToolsInstrument() })
 */
export function devToolsInstrument(): DevToolsSupport {
  return { attach: attach as DevToolsSupport['attach'] }
}

function attach(store: Store & { liftedStore?: unknown }, rec: Recorder, generation: number): { store: Store; getState: () => unknown } {
  const created = store.getState()
  if (isLiftedState(created)) return outside(store, rec, created)
  if (!store.liftedStore) return { store, getState: store.getState }
  // Instrument inside: only reducer calls for the actions being dispatched count.
  const expected: unknown[] = []
  rec.reduceHook = (prev, action, next, reducer, threw) => {
    const i = expected.lastIndexOf(action)
    if (i === -1) return
    // The same action may be recomputed later in this dispatch; only its first call counts.
    // One that threw is an entry too, which says so: instrument rethrows, or (`shouldCatchErrors`)
    // keeps the error in its history and the state from before the action, as Redux would.
    expected[i] = MATCHED
    rec.reduce(prev, action, next, reducer, 'devtools', threw)
  }
  const dispatch = (action: Action) => {
    if (rec.generation !== generation) return store.dispatch(action)
    expected.push(action)
    try {
      return store.dispatch(action)
    } finally {
      expected.pop()
    }
  }
  // A hot reload: instrument recomputes its whole history with the new reducer instead of passing
  // Redux's REPLACE down, so the state change is noted (with its state) by the listener below,
  // and the replacement itself here: without it, replay would go on with the old reducer.
  const replaceReducer = (next: Reducer) => {
    store.replaceReducer(next)
    if (rec.generation === generation && !rec.paused) {
      try {
        rec.record({ kind: '@@replaceReducer' }, store.getState())
      } catch (error) {
        rec.fault('record', error, null)
      }
    }
  }
  const unsubscribe = store.subscribe(() => rec.noticeStateChange(store.getState(), 'devtools'))
  const forget = rec.onClose(unsubscribe)
  rec.storeCleanup = () => {
    forget()
    unsubscribe()
  }
  return { store: { ...store, dispatch: dispatch as Store['dispatch'], replaceReducer }, getState: store.getState }
}

/**
 * Instrument outside: the reducer here is its lifted reducer. PERFORM_ACTION carries the app's
 * action; every other lifted action (jump, toggle, import, sweep…) changes the state without one.
 */
function outside(store: Store, rec: Recorder, created: unknown): { store: Store; getState: () => unknown } {
  let lastLifted = created
  rec.reduceHook = (prev: unknown, liftedAction: Action, next: unknown, reducer: Reducer, threw?: { error: unknown }) => {
    try {
      // The app's reducer threw inside the lifted one (instrument rethrows): the action is an entry
      // that says so, its state the log's, which stays (as the lifted state does).
      const performed = liftedAction.type === 'PERFORM_ACTION' ? (liftedAction as { action?: Action }).action : undefined
      if (threw) {
        if (!rec.paused && performed && typeof performed === 'object') rec.reduce(rec.lastState, performed, rec.lastState, reducer, 'devtools', threw)
        return
      }
      // A locked DevTools returns its lifted state untouched: nothing reached the app's reducer.
      if (next === lastLifted) return
      lastLifted = next
      if (rec.paused || isReduxInit(liftedAction.type)) return
      const state = unliftState(next)
      if (isReduxReplace(liftedAction.type)) return rec.record({ kind: '@@replaceReducer' }, state)
      const computed = (next as LiftedState).computedStates
      const devtoolsPaused = (next as LiftedState).isPaused === true
      if (performed && typeof performed === 'object' && (devtoolsPaused || computed.length >= 2)) {
        // The new action's state is the last computed one, reduced from the one before it; the
        // visible state differs from it when DevTools shows an earlier point in time. A paused
        // DevTools reduces the action on the visible state and keeps only the result.
        const before = devtoolsPaused ? rec.lastState : computed[computed.length - 2].state
        const after = devtoolsPaused ? state : computed[computed.length - 1].state
        // (`shouldCatchErrors`: instrument caught the app's reducer throwing, its error "Name: message",
        // or, after an earlier error, did not call it: an entry that says so, or none, as with
        // instrument inside the recorder.)
        const error = devtoolsPaused ? undefined : computed[computed.length - 1].error
        if (error === undefined) {
          if (before !== rec.lastState) rec.noticeStateChange(before, 'PERFORM_ACTION')
          rec.recordAction(performed, after)
        } else if (computed[computed.length - 2].error === undefined) {
          const [name, ...message] = error.split(': ')
          rec.reduce(before, performed, after, reducer, 'PERFORM_ACTION', { error: Object.assign(new Error(message.join(': ')), { name }) })
        }
      }
      rec.noticeStateChange(state, String(liftedAction.type))
    } catch (error) {
      rec.fault('record', error, null)
    }
  }
  return { store, getState: () => unliftState(store.getState()) }
}
