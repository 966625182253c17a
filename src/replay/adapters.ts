import type { Action } from 'redux'
import type { ActionEntry } from 'redux-flight-recorder'
import { BASE_QUERY_META_HINT, PERSIST_UNEXPECTED_HINT, PERSIST_UNWRAPPED_HINT, storeDispatchedHint } from './hints'
import { relinkUndoHistories } from './undoHistories'
import { diffStates } from './diff'
import { isPersistType } from './reduxPersist'

const noop = () => {}

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

/** Hints for action types of libraries that have an adapter, when it is not in use. */
export function missingAdapterHint(type: string, adapters: readonly ReplayAdapter[]): string | undefined {
  if (isPersistType(type) && !adapters.some((a) => a.name === 'reduxPersist')) {
    return "This is a redux-persist action; replay with `adapters: [reduxPersist()]` (from 'redux-flight-recorder/replay') to revive it."
  }
  return undefined
}

/**
 * The state without redux-persist's `_persist`, wherever a `persistReducer` put it (at the root, in
 * a slice, or deeper: up to `depth` levels of plain objects; copies along the way), or `undefined`
 * if it has none.
 */
function withoutPersist(state: unknown, depth = 4): unknown {
  if (state === null || typeof state !== 'object' || Array.isArray(state) || depth < 0) return undefined
  let found = false
  const entries = Object.entries(state).flatMap(([key, value]): [string, unknown][] => {
    if (key === '_persist') return (found = true), []
    const inner = withoutPersist(value, depth - 1)
    if (inner === undefined) return [[key, value]]
    found = true
    return [[key, inner]]
  })
  // (fromEntries defines each key: a `__proto__` key stays data)
  return found ? Object.fromEntries(entries) : undefined
}

/**
 * Why a redux-persist action diverged, when it is how the replay's reducer is wrapped: `persistReducer`
 * adds `_persist` on PERSIST (at the root, or in the slice it wraps). A replayed state without it
 * means the replay's reducer is not wrapped; a recorded state that is the replayed one without it,
 * that the app's was not. `matches` says whether a state hashes as recorded.
 */
export function persistWrapperHint(kind: string, state: unknown, matches: (state: unknown) => boolean | null): string | undefined {
  if (!isPersistType(kind)) return undefined
  try {
    const stripped = withoutPersist(state)
    if (stripped === undefined) return PERSIST_UNWRAPPED_HINT
    return matches(stripped) === true ? PERSIST_UNEXPECTED_HINT : undefined
  } catch {
    return undefined
  }
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
    const fixed = withRegistered(state, path, slice, true)
    const recorded = matches(state)
    if (recorded === null) return fixed
    // Neither hashes as recorded (the step differs elsewhere too): the app's own value, not the
    // replay's artefact, so that the report shows the other difference and not this one.
    return recorded ? state : fixed
  },
}

const RTKQ_RESET = '/resetApiState'

/** The api slice at `path` of a state, if it has RTK Query's `config`. */
function apiSliceAt(state: unknown, path: string): ApiSlice {
  const slice = state !== null && typeof state === 'object' ? (state as Record<string, ApiSlice>)[path] : undefined
  return slice !== null && typeof slice === 'object' && slice.config !== null && typeof slice.config === 'object' ? slice : undefined
}

/**
 * The type a registration entry's action takes (a copy of it: see `RegisteredView.dispatch`) once
 * the replay store's own registration stands for it: RTK Query's middleware passes no action of its
 * subscriptions (`path/subscriptions…`, kept in the middleware since RTK 1.9) on to the reducers.
 */
const stoodIn = (path: string) => `${path}/subscriptions/@@redux-flight-recorder: registered by the replay store`

type Store = { dispatch(action: unknown): unknown; getState(): unknown }

/** Whether the store's reducer is running (Redux's `getState` throws then). */
function reducing(store: Store): boolean {
  try {
    store.getState()
    return false
  } catch {
    return true
  }
}

/**
 * RTK Query's registration in a `createStore` replay. The store is the app's own, built afresh:
 * its api's id is not the recorded one, so the recorded registration makes its reducer say
 * `'conflict'`. With the api's middleware in the store, the middleware also registers itself (with
 * its own id) on the first action it sees, within that step, and again within a replayed
 * `resetApiState`; the recording has those registrations as entries of their own.
 *
 * - At a registration entry, the store's own registration (when its middleware makes one) stands
 *   for the recorded one: once the store's reducer has run on its registration, the recorded action
 *   (a copy, on its way through the middleware still) takes a type that the api's middleware does
 *   not pass on (`stoodIn`), so that it reaches no reducer after it. Nothing is thrown: the app's
 *   middleware sees no control flow of replay's.
 * - Each step's reducer runs are watched (Redux's observable, which every dispatch notifies, where
 *   `subscribe` is batched): a step where a run after the step's own action's (`marked`) changed the
 *   api slice is one where its middleware acted (`explain`).
 * - Replay cannot set the store's state: where the stand-in's value is what the recording had (as
 *   `rtkQueryMiddlewareStandIn` decides for a `reducer` replay), replay compares the store's state
 *   with that value in `config.middlewareRegistered`, for as long as the store keeps the value it
 *   made there (after a reset within which the middleware registered itself: `false`).
 */
export class RegisteredView {
  /** Per api slice: the store's value, and the value replay compares instead. */
  private readonly shown = new Map<string, { raw: unknown; shown: unknown }>()
  private raw: unknown = undefined
  private view: unknown = undefined
  /** Per api slice: the seq where the replay store's own RTK Query middleware was seen registering. */
  private readonly middleware = new Map<string, number>()
  /** The api slice whose registration entry is being dispatched, and whether the store ended the dispatch. */
  private registering: string | undefined
  /** The store's value before the registration entry's dispatch. */
  private was: unknown = undefined
  private ended = false
  /** The action of the registration entry whose dispatch the store ended. */
  private standingIn: unknown = undefined
  /** The copy of the registration entry's action being dispatched. */
  private inFlight: { type?: unknown } | undefined
  /** The state before the step being dispatched, then after each reducer run within it. */
  private runs: unknown[] | undefined
  /** Where in `runs` the step's own action's reducer run is (see `marked`), once the reducer reads it. */
  private own: number | undefined
  /** The copy of the step's action being dispatched (`marked`). */
  private sending: object | undefined
  /** The entry the last dispatch was of, its runs, and which of them was its own action's. */
  private last: { entry: ActionEntry; runs: unknown[]; own: number | undefined } | undefined
  private store: Store | undefined
  private unsubscribe: (() => void) | undefined

  /** A new store: nothing shown otherwise. */
  attach(store: Store): void {
    this.shown.clear()
    this.middleware.clear()
    this.raw = this.view = undefined
    this.last = undefined
    this.store = store
    try {
      this.unsubscribe?.()
      this.unsubscribe = undefined
      const s = store as Record<string | symbol, unknown>
      // Redux's observable subscribes to the store as `createStore` made it, under the enhancers:
      // notified of every reducer run, those RTK's autoBatchEnhancer tells the listeners of later.
      const key = (Symbol as { observable?: symbol }).observable
      const observable = (key !== undefined ? s[key] : undefined) ?? s['@@observable']
      const observed: unknown = typeof observable === 'function' ? (observable.call(store) as { subscribe?(o: object): unknown }).subscribe?.({ next: () => this.notified() }) : undefined
      const off = (observed as { unsubscribe?: unknown } | undefined)?.unsubscribe
      if (typeof off === 'function') this.unsubscribe = () => off.call(observed)
      else if (typeof s.subscribe === 'function') {
        const unsubscribe: unknown = s.subscribe.call(store, () => this.notified())
        if (typeof unsubscribe === 'function') this.unsubscribe = unsubscribe as () => void
      }
    } catch {
      // (a store that cannot be subscribed to: its own registration is not told apart)
    }
  }

  private notified(): void {
    this.runs?.push(this.store!.getState())
    const path = this.registering
    if (path === undefined) return
    const value = apiSliceAt(this.store!.getState(), path)?.config!.middlewareRegistered
    // (An action of another middleware's, before: not the registration.)
    if (value === this.was) return
    this.registering = undefined
    this.ended = true
    // `true` on the first registration the reducer ran: the store's middleware's, with its api's
    // own id (the recorded action, with another id, makes 'conflict').
    if (value !== true) return
    if (!this.middleware.has(path)) this.middleware.set(path, -1)
    if (this.inFlight !== undefined) this.inFlight.type = stoodIn(path)
  }

  /** Dispatches a step's action to the store (see the class). */
  dispatch(store: Store, entry: ActionEntry, action: unknown): void {
    this.ended = false
    this.standingIn = undefined
    this.last = undefined
    this.registering = entry.kind.endsWith(RTKQ_REGISTERED) && this.unsubscribe !== undefined ? entry.kind.slice(0, -RTKQ_REGISTERED.length) : undefined
    this.own = undefined
    const watched = this.unsubscribe !== undefined
    const sent = watched && typeof action === 'object' && action !== null ? this.marked(store, action) : action
    if (this.registering !== undefined) {
      this.was = apiSliceAt(store.getState(), this.registering)?.config!.middlewareRegistered
      if (sent !== action) this.inFlight = sent as { type?: unknown }
    }
    const runs = (this.runs = watched ? [store.getState()] : undefined)
    try {
      store.dispatch(sent)
    } finally {
      this.registering = this.inFlight = this.runs = this.sending = undefined
      // (Also where the dispatch threw after the store's registration, as recorded: it registered
      // within this step, which the next step's report would otherwise name.)
      for (const [path, seq] of this.middleware) if (seq === -1) this.middleware.set(path, entry.seq)
    }
    if (this.ended) this.standingIn = action
    if (runs !== undefined) this.last = { entry, runs, own: this.own }
  }

  /**
   * A copy of a step's action whose `type` tells which reducer run is the action's own: the first
   * read of it while the store's reducer runs (where Redux's `getState` throws). Other middleware
   * may dispatch before passing it on (and the store's RTK Query middleware registers itself on the
   * first action it sees): the step's own run need not be the first. Read anywhere else (or once
   * the step is over), it is the action's type and nothing more.
   */
  private marked(store: Store, action: object): object {
    const copy: { type?: unknown } = { ...action }
    let type = copy.type
    Object.defineProperty(copy, 'type', {
      enumerable: true,
      configurable: true,
      get: () => {
        // (An earlier step's copy, which a reducer kept and reads, is not this step's action.)
        if (this.sending === copy && this.own === undefined && this.runs !== undefined && reducing(store)) this.own = this.runs.length
        return type
      },
      set: (value: unknown) => void (type = value),
    })
    this.sending = copy
    return copy
  }

  /**
   * Whether the api's middleware acted within the last step dispatched: a reducer run after the
   * step's own action's (the middleware acts after passing it on) changed its slice. Runs before it
   * are another middleware's, dispatching first. Where the store's reducer was not seen reading the
   * action (a middleware passed on a copy of it), its run is taken to be the first.
   */
  private acted(entry: ActionEntry, path: string): boolean {
    const last = this.last?.entry === entry ? this.last : undefined
    const runs = last?.runs ?? []
    for (let i = (last?.own ?? 1) + 1; i < runs.length; i++) if (apiSliceAt(runs[i], path) !== apiSliceAt(runs[i - 1], path)) return true
    return false
  }

  /** The store's state as replay compares it (the same object for the same state). */
  of(raw: unknown): unknown {
    if (this.shown.size === 0) return raw
    if (raw === this.raw) return this.view
    let view = raw
    for (const [path, o] of this.shown) {
      const slice = apiSliceAt(view, path)
      // The store moved on from the value it made (a reset, another registration): shown as it is.
      if (slice === undefined || slice.config!.middlewareRegistered !== o.raw) this.shown.delete(path)
      else view = withRegistered(view, path, slice, o.shown)
    }
    this.raw = raw
    this.view = view
    return view
  }

  /**
   * A divergence at an action of an RTK Query api (`path/…`, or RTK Query's own `__rtkq/…` focus
   * and online events) whose middleware is in the replay store and dispatched actions of its own
   * within the step (see `acted`), which the log holds as entries of their own. Otherwise none: the
   * report is the usual one (a reducer that changed, with the advice to rehash). The rtkQuery
   * stand-in's `explain` for a `createStore` replay.
   */
  explain(entry: ActionEntry): string | undefined {
    for (const [path, seq] of this.middleware) {
      // (Its registration stands for the recorded one: see the class.)
      if ((!entry.kind.startsWith(`${path}/`) && !entry.kind.startsWith('__rtkq/')) || entry.kind === path + RTKQ_REGISTERED || !this.acted(entry, path)) continue
      return `${RTKQ_MIDDLEWARE_HINT} for '${path}' (\`api.middleware\`; it registered itself at seq ${seq}): it acts on replayed actions as it did on the app's and dispatches actions of its own within a step (it registers itself again within a \`resetApiState\`, it refetches the queries a mutation's tags invalidate or removes those it finds no subscriber of, it refetches on focus and reconnect), which the log holds as entries of their own: replayed, they run twice. Replay cannot verify such a step, and updating the log would not fix it: build the replay store without \`api.middleware\` (replay stands in for its registration), or replay with \`reducer\`.`
    }
    return undefined
  }

  /**
   * The reducer runs within the last step dispatched that changed the state, other than the step's
   * own action's (see `acted`) and RTK Query's registration (replay stands in for it): actions the
   * replay store's middleware dispatched, which the log holds as entries of their own: the hint
   * naming how many runs the step had and the paths those changed (3 at most); undefined for none,
   * or a store not watched.
   */
  dispatchedHint(entry: ActionEntry): string | undefined {
    const last = this.last?.entry === entry ? this.last : undefined
    if (last === undefined) return undefined
    const { runs } = last
    const own = last.own ?? 1
    let count = 0
    const paths: string[] = []
    for (let i = 1; i < runs.length; i++) {
      if (i === own || runs[i] === runs[i - 1]) continue
      let changed: string[]
      try {
        changed = diffStates(runs[i - 1], runs[i], 4).map((x) => x.path).filter((p) => !p.endsWith('config.middlewareRegistered'))
      } catch {
        continue
      }
      if (changed.length === 0) continue
      count++
      for (const p of changed) if (paths.length < 3 && !paths.includes(p)) paths.push(p)
    }
    return count > 0 ? storeDispatchedHint(runs.length - 1, paths) : undefined
  }

  /** After a step the store replayed: its state as replay compares it (see `afterStep`). */
  step(entry: ActionEntry, before: unknown, raw: unknown, matches: (state: unknown) => boolean | null): unknown {
    let view = this.of(raw)
    let path: string
    let shown: unknown
    if (entry.kind.endsWith(RTKQ_REGISTERED)) {
      path = entry.kind.slice(0, -RTKQ_REGISTERED.length)
      const own = apiSliceAt(raw, path)
      // The store's own registration stood in for the recorded one, but the recording had a
      // conflict here (the registration was another api's): the recorded action, with its id, goes
      // to the store too, which then says 'conflict' as the recorded store did.
      if (this.standingIn !== undefined && own?.config!.middlewareRegistered === true && matches(view) === false && matches(withRegistered(view, path, own, 'conflict')) === true) {
        try {
          this.store!.dispatch(this.standingIn)
        } catch {
          // (as it was: the step's hash says what it is)
        }
        raw = this.store!.getState()
        view = this.of(raw)
      }
      if (rtkQueryMiddlewareStandIn.afterStep!(entry, before, view, matches) === view) return view
      shown = true
    } else if (entry.kind.endsWith(RTKQ_RESET)) {
      // The reset leaves `false`; `true` is the replay store's middleware registering within it.
      path = entry.kind.slice(0, -RTKQ_RESET.length)
      const slice = apiSliceAt(view, path)
      if (slice?.config!.middlewareRegistered !== true || apiSliceAt(before, path) === undefined) return view
      if (!this.middleware.has(path)) this.middleware.set(path, entry.seq)
      if (matches(view) === true) return view
      shown = false
    } else return view
    const slice = apiSliceAt(raw, path)
    if (slice === undefined) return view
    this.shown.set(path, { raw: slice.config!.middlewareRegistered, shown })
    this.raw = undefined
    return this.of(raw)
  }
}

/**
 * The start of the hint for a divergence at an action of an api whose middleware runs in the replay
 * store: updating the log would not make it verify (the report leaves that advice out).
 */
export const RTKQ_MIDDLEWARE_HINT = "The replay store runs RTK Query's middleware"

const withRegistered = (state: unknown, path: string, slice: NonNullable<ApiSlice>, value: unknown): unknown => ({
  ...(state as object),
  [path]: { ...slice, config: { ...slice.config, middlewareRegistered: value } },
})

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
