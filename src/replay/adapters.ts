import type { Action } from 'redux'
import type { ActionEntry } from 'redux-flight-recorder'
import { BASE_QUERY_META_HINT } from './hints'
import { relinkUndoHistories } from './undoHistories'

/** Rebuilds an action that the log could not carry in full. */
export interface ReplayAdapter {
  /** Shown in reports, e.g. `'reduxPersist'`. */
  name: string
  /**
   * Returns the action to dispatch, `null` to skip the entry, or `undefined` when this adapter
   * does not handle it.
   */
  revive(entry: ActionEntry): Action | null | undefined
  /** Action types this adapter knows, for hints in divergence reports. */
  handles?: (type: string) => boolean
  /**
   * Runs after the reducer (replay without a `createStore`, before the step's hash is checked):
   * returns the state to go on with, e.g. what a library's middleware would have made of it.
   * `matches(state)` says whether a state has the recorded hash (`null` when the log cannot say:
   * no hash, or a step after the divergence, replayed on to the next full state to compare).
   */
  afterStep?(entry: ActionEntry, before: unknown, state: unknown, matches: (state: unknown) => boolean | null): unknown
  /**
   * Runs on each state replay starts from (the header's, and a checkpoint's or `@@lifecycle`'s it
   * starts over from; before `createStore` gets it): returns the state to start from, e.g. with
   * object links a library relies on and JSON cannot carry restored. The state is the log's: copy
   * what you change.
   */
  reviveState?(state: unknown): unknown
  /**
   * Explains a divergence at an action (the step's hash differs, or its reducer threw): returns a
   * sentence for the report's `hint`, or `undefined` when this adapter has nothing to say. For an
   * action type the adapter `handles`, it is added to the report's note that the adapter handled
   * it; for other actions it is asked when the report has no hint yet.
   */
  explain?(step: DivergedStep): string | undefined
}

/** What `explain` is given about the step that diverged. */
export interface DivergedStep {
  /** The log's entry of the action. */
  entry: ActionEntry
  /**
   * The action replay dispatched (as an adapter revived it); for an action type the adapter
   * `handles`, the log's action (`entry.action`), with no `rerun`.
   */
  action: unknown
  /**
   * Runs the reducer once more on the state the step started from, with another action: whether
   * it reaches another state than the step did (as the log writes states), `'threw'` when it
   * throws. A step whose reducer threw reaches `'different'` with any action that does not throw.
   * Absent where replay cannot run the reducer alone (a `createStore` replay), and for an action
   * type the adapter `handles`. The run starts from the replay's own state: a reducer that mutates
   * it in place would change what replay compares later.
   */
  rerun?: (action: unknown) => 'same' | 'different' | 'threw'
  /** The seq where the log moved to a new store (a reload, a store built again), if it did. */
  newStoreAt?: number
}

const noop = () => {}

/**
 * Replay adapter for redux-persist (v5, v6). The log cannot carry the functions redux-persist
 * puts in its actions, so:
 * - `persist/PERSIST` is revived with no-op `register` and `rehydrate` (the recorded
 *   `persist/REHYDRATE` that follows restores the state);
 * - `persist/PURGE` and `persist/FLUSH` are revived with a no-op `result` (`persistReducer` hands
 *   both to your reducer too, so a reducer that counts or notes every action sees them in replay as
 *   it did when recorded).
 *
 * `persistReducer` itself still reads its `storage` on PERSIST, removes it on PURGE and writes
 * the state to it after rehydration: replay with the same kind of storage you test with (an
 * in-memory one), not the user's. It also keeps state of its own: once it has seen a `PURGE` it
 * ignores every later `REHYDRATE`. Make the persisted reducer anew for each replay (a store
 * factory per log: `createStore: (state) => configureStore({ reducer: makePersisted(memoryStorage()),
 * preloadedState: state })`; with `configureStore`, leave redux-persist's actions out of its
 * serializability check as redux-persist's docs do, `middleware: (g) => g({ serializableCheck: {
 * ignoredActions: [FLUSH, REHYDRATE, PAUSE, PERSIST, PURGE, REGISTER] } })`, or it logs an error
 * for their functions), and for a log that goes on in a new store after a purge (a reload),
 * pass `onReplaceReducer: () => makePersisted(memoryStorage())`. On PERSIST it also starts a timer
 * (the persist config's `timeout`, 5 s by default) that keeps Node running after the replay: give
 * the config you replay with `timeout: 0`.
 *
 * @example
 * replay(log, { reducer: persistedReducer, adapters: [reduxPersist()] })
 */
export function reduxPersist(): ReplayAdapter {
  return {
    name: 'reduxPersist',
    handles: (type) => type.startsWith('persist/'),
    // persistReducer keeps state of its own: once it has seen a PURGE it ignores every REHYDRATE.
    explain: ({ entry, newStoreAt }) =>
      entry.kind.startsWith('persist/')
        ? `Or the reducer was not made afresh: persistReducer keeps state of its own (after a PURGE it ignores every later REHYDRATE), so each replay${newStoreAt !== undefined ? `, and the new store this log moved to at seq ${newStoreAt},` : ''} needs a persisted reducer made anew (\`createStore\`${newStoreAt !== undefined ? ', `onReplaceReducer`' : ''}).`
        : undefined,
    revive(entry) {
      switch (entry.kind) {
        case 'persist/PERSIST':
          return { ...entry.action, type: 'persist/PERSIST', register: noop, rehydrate: noop }
        case 'persist/PURGE':
        case 'persist/FLUSH':
          return { ...entry.action, type: entry.kind, result: noop }
        default:
          return undefined
      }
    },
  }
}

/** Hints for action types of libraries that have an adapter, when it is not in use. */
export function missingAdapterHint(type: string, adapters: readonly ReplayAdapter[]): string | undefined {
  if (type.startsWith('persist/') && !adapters.some((a) => a.name === 'reduxPersist')) {
    return "This is a redux-persist action; replay with `adapters: [reduxPersist()]` (from 'redux-flight-recorder/replay') to revive it."
  }
  return undefined
}

const RTKQ_REGISTERED = '/config/middlewareRegistered'

type ApiSlice = { config?: { middlewareRegistered?: unknown } } | undefined

/**
 * Always on. RTK Query stamps every `createApi` with a random id; its middleware registers with
 * that id and the api's reducer compares it (`config.middlewareRegistered`: `true`, or
 * `'conflict'` when they differ). A replay builds a fresh api, whose id is not the recorded one,
 * and runs without the middleware: stand in for it, unless `'conflict'` is what makes the recorded
 * hash match, so a recording that really had a conflict still replays as recorded. When neither
 * does (the step differs elsewhere), or the log cannot say (no hash; a step after a divergence),
 * the stand-in's `true` is kept: `'conflict'` would only add an artefact to the report.
 */
const rtkQueryMiddlewareStandIn: ReplayAdapter = {
  name: 'rtkQuery',
  revive: reviveUpsert,
  explain: baseQueryMetaHint,
  afterStep(entry: ActionEntry, before, state, matches) {
    if (entry.kind.endsWith(PENDING)) return directionCleared(entry, state, matches)
    if (!entry.kind.endsWith(RTKQ_REGISTERED)) return state
    const path = entry.kind.slice(0, -RTKQ_REGISTERED.length)
    const slice: ApiSlice = state !== null && typeof state === 'object' ? (state as Record<string, ApiSlice>)[path] : undefined
    const prevSlice: ApiSlice = before !== null && typeof before === 'object' ? (before as Record<string, ApiSlice>)[path] : undefined
    if (!slice?.config || slice.config.middlewareRegistered !== 'conflict' || prevSlice?.config?.middlewareRegistered === 'conflict') return state
    const fixed = { ...(state as object), [path]: { ...slice, config: { ...slice.config, middlewareRegistered: true } } }
    const recorded = matches(state)
    if (recorded === null) return fixed
    // Neither hashes as recorded (the step differs elsewhere too): the app's own value, not the
    // replay's artefact, so that the report shows the other difference and not this one.
    return recorded ? state : fixed
  },
}

/** A query's thunk actions; `upsertQueryData` marks their `meta.arg` with a function under a symbol of RTK's. */
const QUERY_THUNK = /\/executeQuery\/(pending|fulfilled|rejected)$/
const PENDING = '/executeQuery/pending'
const UPSERT_KEY = 'meta.arg.[Symbol(forceQueryFn)]'

/**
 * Always on. `api.util.upsertQueryData` dispatches a query whose `meta.arg` holds a function
 * under RTK Query's own symbol, which it does not export; its reducer only asks whether one is
 * there (an upsert keeps the entry's request). The log cannot carry it (the action is written
 * with it in `omitted`): revived with `meta.arg` answering a function for a symbol of that name.
 */
function reviveUpsert(entry: ActionEntry): Action | undefined {
  const omitted = entry.omitted
  if (entry.recordable !== false || !QUERY_THUNK.test(entry.kind) || !omitted?.length || !omitted.every((o) => o.path === UPSERT_KEY && o.kind === 'symbol-key')) return undefined
  const action = entry.action as Action & { meta?: { arg?: unknown } }
  const arg = action.meta?.arg
  if (typeof arg !== 'object' || arg === null) return undefined
  const upsert = new Proxy(arg, { get: (target, key, receiver) => (typeof key === 'symbol' && key.description === 'forceQueryFn' ? noop : Reflect.get(target, key, receiver)) })
  return { ...action, meta: { ...action.meta, arg: upsert } } as Action
}

type Queries = Record<string, Record<string, unknown> | undefined>

/**
 * Always on. An infinite query's fetches start with `direction: undefined` in `meta.arg` (the
 * first one, and `refetch()`'s), which RTK Query's reducer tells from no `direction` at all
 * (`'direction' in arg`: it then sets the entry's direction, clearing a page fetch's, and its
 * `initialPageParam`); JSON writes both alike. Where the step replayed without the key does not
 * hash as recorded and with it does, the step made the latter.
 */
function directionCleared(entry: ActionEntry, state: unknown, matches: (state: unknown) => boolean | null): unknown {
  const arg = (entry.action as { meta?: { arg?: Record<string, unknown> } }).meta?.arg
  if (typeof arg !== 'object' || arg === null || 'direction' in arg || typeof arg.queryCacheKey !== 'string') return state
  const path = entry.kind.slice(0, -PENDING.length)
  const api = typeof state === 'object' && state !== null ? (state as Record<string, { queries?: Queries } | undefined>)[path] : undefined
  const was = api?.queries?.[arg.queryCacheKey]
  const param = arg.initialPageParam
  if (was === undefined || (was.direction === undefined && (param === undefined || param === was.initialPageParam)) || matches(state) !== false) return state
  const cleared = { ...was, direction: undefined, ...(param !== undefined ? { initialPageParam: param } : {}) }
  const fixed = { ...(state as object), [path]: { ...api, queries: { ...api!.queries, [arg.queryCacheKey]: cleared } } }
  return matches(fixed) === true ? fixed : state
}

/**
 * Always on. A query's or mutation's result action reaches the reducer with `meta.baseQueryMeta`
 * (a `Request`/`Response`), which the recorder leaves out of the log: where the step, run again with
 * a stand-in there, reaches another state (or no longer throws), the reducer reads it.
 */
function baseQueryMetaHint({ action, rerun }: DivergedStep): string | undefined {
  if (rerun === undefined || !lacksBaseQueryMeta(action)) return undefined
  // (A stand-in that makes it throw too is not what the step is missing.)
  return rerun({ ...action, meta: { ...action.meta, baseQueryMeta: standIn() } }) === 'different' ? BASE_QUERY_META_HINT : undefined
}

/** RTK Query's result action (a query's or a mutation's `fulfilled` or `rejected`) without `meta.baseQueryMeta`. */
function lacksBaseQueryMeta(action: unknown): action is { meta: Record<string, unknown> } {
  try {
    const meta = (action as { meta?: Record<string, unknown> } | null)?.meta
    if (meta === null || typeof meta !== 'object' || 'baseQueryMeta' in meta) return false
    const status = meta.requestStatus
    return (status === 'fulfilled' || status === 'rejected') && typeof meta.requestId === 'string' && typeof (meta.arg as { endpointName?: unknown } | undefined)?.endpointName === 'string'
  } catch {
    return false
  }
}

/** A value the log does not hold: each property of it is another such value (and so is a call); as text or JSON, a marker. */
function standIn(): unknown {
  const text = () => '[not in the log]'
  const value: unknown = new Proxy(() => {}, {
    get: (_target, key) => (key === 'toJSON' || key === 'toString' || key === Symbol.toPrimitive ? text : typeof key === 'symbol' || key === 'then' ? undefined : value),
    apply: () => value,
  })
  return value
}

/** Always on: redux-undo's `_latestUnfiltered === present`, which JSON cannot carry (see relinkUndoHistories). */
const reduxUndoLinks: ReplayAdapter = { name: 'reduxUndo', revive: () => undefined, reviveState: relinkUndoHistories }

/** Adapters every replay runs (before the `adapters` option's). */
export const BUILT_IN_ADAPTERS: readonly ReplayAdapter[] = [rtkQueryMiddlewareStandIn, reduxUndoLinks]

/** A state replay starts from, as the built-in adapters and then `adapters` revive it. */
export function reviveState(state: unknown, adapters: readonly ReplayAdapter[] | undefined): unknown {
  for (const adapter of BUILT_IN_ADAPTERS) if (adapter.reviveState) state = adapter.reviveState(state)
  if (adapters !== undefined) for (const adapter of adapters) if (adapter.reviveState) state = adapter.reviveState(state)
  return state
}
