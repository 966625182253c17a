import type { Action, Middleware, Reducer, Store, StoreEnhancer, StoreEnhancerStoreCreator } from 'redux'
import type { DevToolsSupport } from './types'
import { looksLifted } from '../internal/lifted'
import { isReduxReplace } from '../internal/reduxActions'

/**
 * What the enhancer needs of a recorder: the recorder itself (`Recorder`), or the shell that stands
 * for it until its lazily loaded core arrives (`redux-flight-recorder/lazy`).
 */
export interface EnhancerHost {
  readonly settings: { readonly enabled: boolean; readonly devtools?: DevToolsSupport | undefined }
  readonly closed: boolean
  creating: boolean
  warnedClosed: boolean
  warnedTwice: boolean
  readonly generation: number
  beginStore(): number
  /** Records the store of `generation` again, from `state` (see `createEnhancer`); false when it cannot. */
  follow(generation: number, getState: () => unknown, state: unknown): boolean
  /** `threw`: the reducer threw (`next` is then `prev`, the state Redux keeps). */
  onReduce(prev: unknown, action: Action, next: unknown, reducer: Reducer, threw?: { error: unknown }): void
  onReplaceThrew(state: unknown): void
  storeCreated(getState: () => unknown): void
  /** Development only (never set in production): the store's reducer can add slices later (Redux Toolkit's `combineSlices(…).inject`). */
  slicesLater?: boolean
}

/**
 * The store side: wraps the reducer (and every reducer `replaceReducer` installs) so each reducer
 * call becomes an entry, and forwards every other store field untouched. Applied to another store,
 * the recorder follows that one; the earlier store's reducer stops recording, unless (in
 * development) it is called before any store made after it has: React's StrictMode calls a
 * `useState` or `useMemo` initializer twice in development and keeps the first store, which the
 * recorder then follows again. (A production build of React makes it once.)
 */
export function createEnhancer(rec: EnhancerHost): StoreEnhancer {
  /** The newest store whose reducer was called after it was made: an earlier one is not followed again. */
  let settled = 0
  /** Whether the store of `generation` (its `getState` in `store`) is recorded, following it again if it may be. */
  const recorded = (generation: number, store: { getState?: () => unknown }, state: unknown): boolean => {
    if (rec.generation === generation) {
      // Also in production, where nothing reads it: Node without a bundler reads `process.env`
      // slowly (~0.25 µs), too slowly for every dispatch. (`settled` never passes `rec.generation`.)
      if (!rec.creating) settled = generation
      return true
    }
    if (process.env.NODE_ENV === 'production' || generation <= settled || rec.creating || store.getState === undefined || !rec.follow(generation, store.getState, state)) return false
    settled = generation
    return true
  }
  /** `generation` is the store this reducer belongs to: once another store is recorded, it records nothing (see `recorded`). */
  const wrap = (reducer: Reducer, generation: number, store: { getState?: () => unknown }): Reducer =>
    function flightRecorderReducer(state: unknown, action: Action) {
      let next: unknown
      try {
        next = reducer(state, action)
      } catch (error) {
        if (recorded(generation, store, state)) {
          // A new reducer that throws on Redux's replace action stays installed all the same; any
          // other call that throws is an entry too (the action a bug report is about), its state
          // the one Redux keeps.
          if (isReduxReplace(action?.type)) rec.onReplaceThrew(state)
          else rec.onReduce(state, action, state, reducer, { error })
        }
        throw error
      }
      if (recorded(generation, store, state)) rec.onReduce(state, action, next, reducer)
      return next
    }

  return ((createStore: StoreEnhancerStoreCreator) => (reducer: Reducer, preloadedState?: unknown) => {
    if (!rec.settings.enabled) return createStore(reducer, preloadedState as never)
    if (rec.closed) {
      if (process.env.NODE_ENV !== 'production') warnClosed(rec)
      return createStore(reducer, preloadedState as never)
    }
    // The same enhancer twice in one store's enhancers: the outer one records, this one passes
    // through (it would have taken the store over from the outer one as "another store").
    if (rec.creating) {
      if (process.env.NODE_ENV !== 'production') warnTwice(rec)
      return createStore(reducer, preloadedState as never)
    }
    const generation = rec.beginStore()
    /** The store's `getState` once it is made (the recorder may follow it again). */
    const made: { getState?: () => unknown } = {}
    // Reducer calls made while the store is being created (Redux's INIT, an inner DevTools
    // instrument's own init) are not entries: the header holds the state they produce.
    rec.creating = true
    let store: Store
    try {
      store = createStore(wrap(reducer, generation, made), preloadedState as never)
    } finally {
      rec.creating = false
    }
    made.getState = store.getState
    // (Development: a `redact.state` path under a slice not there yet is checked when one may be.)
    if (process.env.NODE_ENV !== 'production') rec.slicesLater = typeof (reducer as { inject?: unknown }).inject === 'function'
    const replaceReducer = (next: Reducer) => store.replaceReducer(typeof next === 'function' ? wrap(next, generation, made) : next)
    const wrapped: Store = { ...store, replaceReducer }
    // Redux DevTools' instrument, inside or outside this enhancer: opt-in support
    // (`devtools: devToolsInstrument()` from 'redux-flight-recorder/devtools').
    const devtools = rec.settings.devtools
    if (devtools) {
      const view = devtools.attach(wrapped, rec as never, generation)
      rec.storeCreated(view.getState)
      return view.store
    }
    if (process.env.NODE_ENV !== 'production') warnInstrumented(store)
    rec.storeCreated(store.getState)
    return wrapped
  }) as never
}

let warned = false

/** Development only: a closed recorder applied to a store records nothing (its sinks are closed). */
function warnClosed(rec: EnhancerHost): void {
  if (rec.warnedClosed || typeof console === 'undefined') return
  rec.warnedClosed = true
  console.warn(
    '[redux-flight-recorder] This recorder was closed (`recorder.close()`), so this store is not recorded: a closed recorder records nothing more. Create a new recorder for each store you want recorded (with a store per test or per request: a recorder per store).',
  )
}

/** Development only: `recorder.enhancer` listed twice for one store. */
function warnTwice(rec: EnhancerHost): void {
  if (rec.warnedTwice || typeof console === 'undefined') return
  rec.warnedTwice = true
  console.warn('[redux-flight-recorder] `recorder.enhancer` is applied twice to this store (it is in its enhancers more than once): one records, the other does nothing. List it once.')
}

/** Development only: a store with Redux DevTools' instrument, recorded without the opt-in. */
function warnInstrumented(store: Store): void {
  const lifted = (store as { liftedStore?: unknown }).liftedStore !== undefined || looksLifted(store.getState())
  if (!lifted || warned || typeof console === 'undefined') return
  warned = true
  console.warn(
    "[redux-flight-recorder] This store has Redux DevTools' instrument (the DevTools extension, or `@redux-devtools/instrument`), and the recorder was created without `devtools: devToolsInstrument()` from 'redux-flight-recorder/devtools'. DevTools' recomputations (toggle, jump, import) are then recorded as actions, and with the instrument outside the recorder its lifted state is recorded instead of the app's. Pass that option to record such a store exactly (with \`createFlightRecorder\` from 'redux-flight-recorder': 'redux-flight-recorder/lazy' does not support it).",
  )
}

/**
 * Development only: the middleware in a store whose `enhancer` is not records nothing, without a
 * word (the turns counted, no entry). Said once the store is made (a microtask later: the enhancer
 * may wrap the middleware's store from outside), or at its first action if that comes sooner (a
 * script that dispatches and closes the recorder in one go).
 */
export function warnWithoutEnhancer(rec: { readonly attached: boolean; readonly creating: boolean; readonly warnedClosed: boolean }, middleware: Middleware): Middleware {
  let warned = false
  const check = () => {
    if (warned || rec.attached || rec.creating || rec.warnedClosed || typeof console === 'undefined') return
    warned = true
    console.warn(
      "[redux-flight-recorder] `recorder.middleware` is in a store whose `recorder.enhancer` is not, so nothing is recorded. Add the enhancer too: `enhancers: (getDefaultEnhancers) => getDefaultEnhancers().concat(recorder.enhancer)` (Redux Toolkit), or `compose(applyMiddleware(recorder.middleware), recorder.enhancer)`.",
    )
  }
  return (api) => {
    queueMicrotask(check)
    const chain = middleware(api)
    return (next) => {
      const handle = chain(next) as (...args: unknown[]) => unknown
      // Every argument passed on: a dispatch may carry more than the action (applyMiddleware does).
      return (...args: unknown[]) => {
        if (!warned) check()
        return handle(...args)
      }
    }
  }
}
