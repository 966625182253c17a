import type { Action, Middleware, Reducer, StoreEnhancer, StoreEnhancerStoreCreator } from 'redux'
import { EntryRing, F_ACTION, F_HASHED, F_HASH_FAILED, F_STATE, TURN_EXPLICIT, TURN_NULL } from './buffer'
import { RecorderFaultError, errorMessage } from './errors'
import { readOwnLog } from './format/readOwnLog'
import { FORMAT_VERSION, type Recording } from './format/types'
import { Fr64Hasher, hashHex } from './hash'
import { compileRedactor, describe, validateRedactPaths, type Redactor } from './redact'
import { ChangedColumn, changedField } from './hash/subtrees'
import { lossyField, type LossyOptions } from './lossy'
import { hashField, projectAction, stateText, stringifyState, timeFields, utf8Length } from './serialize'
import type { Sink, SinkContext } from './sinks/types'

/** A hash function over the state: returns a string written as the entry's `hash`. */
export type HashFunction = ((state: unknown) => string) & { algorithm?: string }

export interface RedactOptions {
  /** Key paths inside the state, e.g. `'auth.token'`, `'users.*.password'`, `'**.secret'`. */
  state?: string[]
  /** Key paths inside actions, e.g. `'payload.card'`, `'meta.arg.password'`. */
  actions?: string[]
}

export interface FlightRecorderOptions {
  /**
   * Where the log goes; each sink gets its own bounded outgoing queue.
   * @default []
   */
  sinks?: Sink[]
  /**
   * Most entries kept in memory for `snapshot()`, `toJSONL()` and downloads. Trimming the buffer
   * never affects sinks.
   * @default 10000
   */
  maxEntries?: number
  /**
   * Most bytes of JSONL kept in memory, checked when entries are serialised (at each flush and
   * snapshot).
   * @default 8 MiB
   */
  maxBytes?: number
  /**
   * An action whose JSON is larger than this is written as an omission record (its `type` only).
   * @default 256 KiB
   */
  maxEntryBytes?: number
  /**
   * How often sinks receive new lines, in milliseconds.
   * @default 1000
   */
  flushIntervalMs?: number
  /**
   * Also write the full state every N actions (faster divergence diffs); 0 writes checkpoints only
   * where needed (resume, gaps, DevTools jumps).
   * @default 0
   */
  checkpointEvery?: number
  /**
   * The state hash: `'fr64'` (structural, incremental), `false` (no hashes: replays cannot be
   * verified), or a function such as `sha256JsonHash` from `redux-flight-recorder/node`.
   * @default 'fr64'
   */
  hash?: 'fr64' | false | HashFunction
  /** Paths whose values become `"[redacted]"` before anything is hashed or written. */
  redact?: RedactOptions
  /**
   * Projects the state before it is hashed and written (e.g. Immutable.js `toJS`). It defeats the
   * reuse of unchanged subtrees' hashes. Replay needs the same function.
   */
  serializeState?: (state: unknown) => unknown
  /** Strings written into the header, e.g. `{ app: 'shop@1.4.0' }`. */
  meta?: Record<string, string>
  /**
   * Development only: re-runs the reducer on the previous state with the clock shifted and
   * `Math.random` reseeded, and reports the first action whose result differs.
   * @default false
   */
  checkDeterminism?: boolean
  /**
   * With `hash: 'fr64'`: write on each action entry the fr64 hashes of the subtrees the action
   * changed (the `changed` key, docs/FORMAT.md), so a divergence report names the slice, entity
   * or field where replay went another way, without a full state. Costs bytes per line and a walk
   * of the changed containers after each hash.
   * @default false
   */
  subtreeHashes?: boolean
  /**
   * Values written in another form than the app had them (a `Date` as its ISO string, a `Map` as
   * `{}`, `NaN` as `null`, …) are listed in the line's `lossy` key and warned about once per path
   * and kind in development. Paths listed here (exact key paths or regular expressions) are
   * accepted: neither listed nor warned about.
   * @example { ignoredPaths: ['session.startedAt'], ignoredActionPaths: [/^meta\.arg\./] }
   */
  lossy?: LossyOptions
  /** Epoch milliseconds; for tests. */
  clock?: () => number
  /**
   * Receives every fault (hashing, serialising, sinks). Without it the first fault of each kind is
   * logged with `console.warn`.
   */
  onError?: (error: RecorderFaultError) => void
  /**
   * When false the enhancer is a pass-through and the middleware does nothing.
   * @default true
   */
  enabled?: boolean
  /**
   * How long `flush()` and `close()` wait for a sink write that does not finish before they
   * report it (`onError`) and go on without it.
   * @default 10000
   */
  sinkTimeoutMs?: number
  /**
   * Most bytes queued for one sink that is not keeping up; beyond it the oldest lines are dropped
   * and a `@@dropped` entry says so.
   * @default 32 MiB
   */
  sinkQueueBytes?: number
}

export interface FlightRecorder {
  /** Store enhancer; goes innermost: `enhancers: (g) => g().concat(recorder.enhancer)`. */
  readonly enhancer: StoreEnhancer
  /** Turn middleware; goes first: `middleware: (g) => g().prepend(recorder.middleware)`. */
  readonly middleware: Middleware
  /** The session id written in the header. */
  readonly session: string
  /** Resolves when every sink has finished writing what was pending. */
  flush(): Promise<void>
  /** Hands every pending line to sinks that can write synchronously; for exit and page hide. */
  flushSync(): void
  /**
   * The in-memory buffer as a `Recording`. With `{ finalState: true }` the recorder first writes a
   * `@@checkpoint` of the current state (also to sinks), so a divergence found in this log near
   * its end still gets a state diff; downloads do this.
   */
  snapshot(options?: SnapshotOptions): Recording
  /** The in-memory buffer as JSONL text; options as for `snapshot()`. */
  toJSONL(options?: SnapshotOptions): string
  /** Writes a `@@mark` entry. */
  mark(label: string, body?: unknown): void
  /** Writes a `@@lifecycle` entry. */
  lifecycle(event: string, body?: Record<string, unknown>): void
  /** Stops recording until `resume()`. */
  pause(): void
  /** Resumes recording and writes a checkpoint (what happened while paused is unknown). */
  resume(): void
  /** Empties the in-memory buffer; sinks are not affected. */
  clear(): void
  /** Final flush, `@@end` line, removes every listener and timer. */
  close(): Promise<void>
  /** Counters for status displays. */
  stats(): RecorderStats
  /** Adds a cleanup run by `close()` (used by lifecycle helpers). */
  onClose(cleanup: () => void): () => void
}

export interface SnapshotOptions {
  /**
   * Write a `@@checkpoint` of the current state first (unless the log already ends with one).
   * @default false
   */
  finalState?: boolean
}

export interface RecorderStats {
  /** Entries written in this session (all kinds). */
  entries: number
  actions: number
  turns: number
  /** Entries currently in the in-memory buffer. */
  buffered: number
  /** JSONL bytes handed to sinks so far. */
  bytes: number
  dropped: number
  closed: boolean
}

const DEFAULTS = {
  maxEntries: 10_000,
  maxBytes: 8 * 1024 * 1024,
  maxEntryBytes: 256 * 1024,
  flushIntervalMs: 1000,
  sinkQueueBytes: 32 * 1024 * 1024,
}
/** States waiting to be hashed off the dispatch path; past this, hashing happens inline. */
const MAX_PENDING_HASHES = 1024
const HASH_BATCH = 512
const MAX_ERRORS_PER_SOURCE = 100
const MAX_ANCHORS = 24

interface Special {
  readonly kind: string
  readonly state?: unknown
  readonly label?: string
  readonly body?: unknown
  readonly count?: number
  readonly reason?: string
}

interface Anchor {
  /** The first seq this anchor can start a log at; `state` is the state before it. */
  seq: number
  state: unknown
}

interface Batch {
  fromSeq: number
  base: unknown
  lines: string[]
  bytes: number
}

interface SinkState {
  sink: Sink
  batches: Batch[]
  queuedBytes: number
  busy: boolean
  headerSent: boolean
  ctx: SinkContext
  current: Batch | undefined
}

function positive(name: string, value: unknown, allowZero = false): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TypeError(
      `[redux-flight-recorder] Expected \`${name}\` to be a ${allowZero ? 'non-negative' : 'positive'} number. Instead, received: ${describe(value)}.`,
    )
  }
  return value
}

function newSessionId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto
  if (c?.randomUUID) return c.randomUUID()
  let s = ''
  for (let i = 0; i < 4; i++) s += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0')
  return s
}

const monotonic: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now()

// Called for every action: most types do not start with '@'.
function isReduxInit(type: unknown): boolean {
  return typeof type === 'string' && type.charCodeAt(0) === 64 && type.startsWith('@@redux/INIT')
}
function isReduxReplace(type: unknown): boolean {
  return typeof type === 'string' && type.charCodeAt(0) === 64 && type.startsWith('@@redux/REPLACE')
}

function schedule(fn: () => void): void {
  if (typeof setImmediate === 'function') {
    const handle = setImmediate(fn) as { unref?: () => void }
    handle.unref?.()
  } else if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      fn()
    }
    channel.port2.postMessage(null)
  } else {
    setTimeout(fn, 0)
  }
}

/**
 * Creates a recorder for one Redux store.
 *
 * @example
 * const recorder = createFlightRecorder({ sinks: [fileSink('session.jsonl')] })
 * const store = configureStore({
 *   reducer,
 *   enhancers: (g) => g().concat(recorder.enhancer),
 *   middleware: (g) => g().prepend(recorder.middleware),
 * })
 */
export function createFlightRecorder(options: FlightRecorderOptions = {}): FlightRecorder {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`[redux-flight-recorder] Expected the options to be an object. Instead, received: ${describe(options)}.`)
  }
  return new Recorder(options).api
}

class Recorder {
  readonly api: FlightRecorder
  private readonly enabled: boolean
  private readonly session = newSessionId()
  private readonly maxEntries: number
  private readonly maxBytes: number
  private readonly maxEntryBytes: number
  private readonly flushIntervalMs: number
  private readonly checkpointEvery: number
  private readonly sinkQueueBytes: number
  private readonly sinkTimeoutMs: number
  private readonly hashMode: 'fr64' | 'none' | 'custom'
  private readonly hashFn: HashFunction | undefined
  private readonly hashAlg: string
  private readonly stateRedactor: Redactor | null
  private readonly actionRedactor: Redactor | null
  private readonly redactPaths: { state: string[]; actions: string[] }
  private readonly serializeState: ((state: unknown) => unknown) | undefined
  private readonly meta: Record<string, string>
  private readonly clock: (() => number) | undefined
  private readonly onError: ((error: RecorderFaultError) => void) | undefined
  private readonly checkDeterminism: boolean
  private readonly changed: ChangedColumn | null
  private readonly lossy: LossyOptions | undefined

  private readonly hasher: Fr64Hasher | undefined
  private readonly ring: EntryRing
  private anchors: Anchor[] = []
  private anchorEvery = 1
  private readonly maxAnchorEvery: number
  private lastAnchorSeq = 0

  private startEpoch = 0
  private startMono = 0
  private lastT = 0
  private attached = false
  private closed = false
  private paused = false
  private getState: (() => unknown) | undefined
  /** The store is being created: reducer calls are not entries. */
  private creating = false
  /** Redux DevTools' instrument is outside: the wrapped reducer is its lifted reducer. */
  private lifted = false
  /** Redux DevTools' instrument is inside: only reducer calls for dispatched actions count. */
  private guarded = false
  private readonly expected: unknown[] = []
  private lastLifted: unknown
  private initialState: unknown
  private lastState: unknown

  private turnCounter = 0
  private activeTurn = TURN_NULL
  private depth = 0
  private actionCount = 0

  // Deferred hashing: states waiting, in seq order.
  private pendingSeq: number[] = []
  private pendingState: unknown[] = []
  private pendingHead = 0
  private hashScheduled = false
  private prevHashed: unknown = undefined
  private hashing = false

  // Sinks
  private readonly sinks: SinkState[] = []
  private collectedSeq = 0
  private collectedState: unknown
  private bytesOut = 0
  private dropped = 0
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly faultCounts = new Map<string, number>()
  private readonly cleanups = new Set<() => void>()
  private checkpointRequested = false
  private recordingFault = false
  /** >0 while hashing or serialising for sinks: trimming must wait. */
  private internal = 0

  constructor(options: FlightRecorderOptions) {
    this.enabled = options.enabled ?? true
    this.maxEntries = Math.floor(positive('maxEntries', options.maxEntries) ?? DEFAULTS.maxEntries)
    this.maxBytes = positive('maxBytes', options.maxBytes) ?? DEFAULTS.maxBytes
    this.maxEntryBytes = positive('maxEntryBytes', options.maxEntryBytes) ?? DEFAULTS.maxEntryBytes
    this.flushIntervalMs = positive('flushIntervalMs', options.flushIntervalMs) ?? DEFAULTS.flushIntervalMs
    this.checkpointEvery = Math.floor(positive('checkpointEvery', options.checkpointEvery, true) ?? 0)
    this.sinkQueueBytes = positive('sinkQueueBytes', options.sinkQueueBytes) ?? DEFAULTS.sinkQueueBytes
    this.sinkTimeoutMs = positive('sinkTimeoutMs', options.sinkTimeoutMs) ?? 10_000
    const hash = options.hash ?? 'fr64'
    if (hash === 'fr64') {
      this.hashMode = 'fr64'
      this.hashAlg = 'fr64'
    } else if (hash === false) {
      this.hashMode = 'none'
      this.hashAlg = 'none'
    } else if (typeof hash === 'function') {
      this.hashMode = 'custom'
      this.hashFn = hash
      this.hashAlg = hash.algorithm ?? (hash.name || 'custom')
    } else {
      throw new TypeError(`[redux-flight-recorder] Expected \`hash\` to be 'fr64', false or a function. Instead, received: ${describe(hash)}.`)
    }
    if (options.redact !== undefined && (typeof options.redact !== 'object' || options.redact === null)) {
      throw new TypeError(`[redux-flight-recorder] Expected \`redact\` to be { state?: string[], actions?: string[] }. Instead, received: ${describe(options.redact)}.`)
    }
    this.redactPaths = {
      state: validateRedactPaths(options.redact?.state, 'redact.state'),
      actions: validateRedactPaths(options.redact?.actions, 'redact.actions'),
    }
    this.stateRedactor = compileRedactor(this.redactPaths.state)
    this.actionRedactor = compileRedactor(this.redactPaths.actions)
    if (options.serializeState !== undefined && typeof options.serializeState !== 'function') {
      throw new TypeError(`[redux-flight-recorder] Expected \`serializeState\` to be a function. Instead, received: ${describe(options.serializeState)}.`)
    }
    this.serializeState = options.serializeState
    const meta = options.meta ?? {}
    if (typeof meta !== 'object' || meta === null || Object.values(meta).some((v) => typeof v !== 'string')) {
      throw new TypeError(`[redux-flight-recorder] Expected \`meta\` to be an object of strings. Instead, received: ${describe(meta)}.`)
    }
    this.meta = { ...meta }
    if (options.clock !== undefined && typeof options.clock !== 'function') {
      throw new TypeError(`[redux-flight-recorder] Expected \`clock\` to be a function returning epoch milliseconds. Instead, received: ${describe(options.clock)}.`)
    }
    this.clock = options.clock
    if (options.onError !== undefined && typeof options.onError !== 'function') {
      throw new TypeError(`[redux-flight-recorder] Expected \`onError\` to be a function. Instead, received: ${describe(options.onError)}.`)
    }
    this.onError = options.onError
    this.checkDeterminism = options.checkDeterminism === true && !isProduction()
    const sinks = options.sinks ?? []
    if (!Array.isArray(sinks)) {
      throw new TypeError(`[redux-flight-recorder] Expected \`sinks\` to be an array. Instead, received: ${describe(sinks)}.`)
    }
    this.hasher = this.hashMode === 'fr64' ? new Fr64Hasher(this.stateRedactor) : undefined
    this.lossy = options.lossy
    this.changed = this.hashMode === 'fr64' && options.subtreeHashes === true && !options.serializeState ? new ChangedColumn() : null
    this.ring = new EntryRing(Math.max(1, this.maxEntries), this.hashMode === 'custom')
    this.maxAnchorEvery = Math.max(1, Math.floor(this.maxEntries / 8))
    for (const sink of sinks) {
      if (!sink || typeof sink.write !== 'function') {
        throw new TypeError(`[redux-flight-recorder] Expected every sink to have a \`write(lines, ctx)\` method. Instead, received: ${describe(sink)}.`)
      }
      this.sinks.push(this.sinkState(sink))
    }
    this.api = this.makeApi()
  }

  // ---------------------------------------------------------------- store side

  private makeApi(): FlightRecorder {
    const self = this
    const enhancer: StoreEnhancer = (createStore: StoreEnhancerStoreCreator) => ((reducer: Reducer, preloadedState?: unknown) => {
      if (!self.enabled) return createStore(reducer, preloadedState as never)
      if (self.attached) {
        throw new Error('[redux-flight-recorder] This recorder already records a store. Create one recorder per store.')
      }
      self.attached = true
      self.start()
      // Reducer calls made while the store is being created (Redux's INIT, an inner DevTools
      // instrument's own init) are not entries: the header holds the state they produce.
      self.creating = true
      let store: ReturnType<StoreEnhancerStoreCreator>
      try {
        store = createStore(self.wrapReducer(reducer), preloadedState as never)
      } finally {
        self.creating = false
      }
      const created = store.getState()
      self.lifted = isLiftedState(created)
      self.lastLifted = created
      self.getState = self.lifted ? () => unliftState(store.getState()) : store.getState
      self.setInitial(self.lifted ? unliftState(created) : created)
      const replaceReducer = (next: Reducer) => {
        if (typeof next !== 'function') return store.replaceReducer(next)
        return store.replaceReducer(self.wrapReducer(next))
      }
      const inner = store as typeof store & { liftedStore?: unknown }
      if (!inner.liftedStore) return { ...store, replaceReducer }
      // Redux DevTools' instrument runs inside this enhancer: it calls the reducer again to
      // recompute its history (toggle, jump, import). Only the call for an action that really
      // went through dispatch is an entry; a state change no dispatch explains is noted as a
      // @@lifecycle entry carrying the new state.
      self.guarded = true
      const dispatch = (action: Action) => {
        self.expected.push(action)
        try {
          return store.dispatch(action)
        } finally {
          self.expected.pop()
        }
      }
      const unsubscribe = store.subscribe(() => self.noticeStateChange(store.getState(), 'devtools'))
      self.cleanups.add(unsubscribe)
      return { ...store, dispatch, replaceReducer }
      return { ...store, replaceReducer }
    }) as never

    const middleware: Middleware = (api) => (next) => (action) => {
      if (!self.enabled) return next(action)
      const saved = self.activeTurn
      const turn = self.depth > 0 ? saved : ++self.turnCounter
      self.activeTurn = turn
      self.depth++
      try {
        return next(typeof action === 'function' ? self.bindThunk(action as ThunkLike, turn, api.dispatch as (a: unknown) => unknown) : action)
      } finally {
        self.depth--
        self.activeTurn = saved
      }
    }

    return {
      enhancer,
      middleware,
      session: this.session,
      flush: () => this.flush(),
      flushSync: () => this.flushSync(),
      snapshot: (options) => readOwnLog(this.toJSONL(options)),
      toJSONL: (options) => this.toJSONL(options),
      mark: (label, body) => {
        if (typeof label !== 'string') {
          throw new TypeError(`[redux-flight-recorder] Expected the mark label to be a string. Instead, received: ${describe(label)}.`)
        }
        this.recordSpecial({ kind: '@@mark', label, body })
      },
      lifecycle: (event, body) => {
        if (typeof event !== 'string') {
          throw new TypeError(`[redux-flight-recorder] Expected the lifecycle event to be a string. Instead, received: ${describe(event)}.`)
        }
        this.recordSpecial({ kind: '@@lifecycle', body: Object.assign({ event }, body, { event }) })
      },
      pause: () => {
        this.paused = true
      },
      resume: () => {
        if (!this.paused) return
        this.paused = false
        if (this.getState) {
          const state = this.getState()
          this.lastState = state
          this.recordSpecial({ kind: '@@checkpoint', state, reason: 'resume' }, state)
        }
      },
      clear: () => this.clear(),
      close: () => this.close(),
      stats: () => ({
        entries: this.ring.nextSeq - 1,
        actions: this.actionCount,
        turns: this.turnCounter,
        buffered: this.ring.size,
        bytes: this.bytesOut,
        dropped: this.dropped,
        closed: this.closed,
      }),
      onClose: (cleanup) => {
        this.cleanups.add(cleanup)
        return () => this.cleanups.delete(cleanup)
      },
    }
  }

  private bindThunk(thunk: ThunkLike, turn: number, dispatch: (a: unknown) => unknown): ThunkLike {
    const self = this
    // Everything the thunk dispatches, also after `await`, belongs to the turn that started it.
    const turnDispatch = (action: unknown) => {
      const savedTurn = self.activeTurn
      const savedDepth = self.depth
      self.activeTurn = turn
      self.depth = savedDepth + 1
      try {
        return dispatch(action)
      } finally {
        self.activeTurn = savedTurn
        self.depth = savedDepth
      }
    }
    return function flightRecorderThunk(this: unknown, _dispatch: unknown, ...rest: unknown[]) {
      return thunk.call(this, turnDispatch, ...rest)
    }
  }

  private wrapReducer(reducer: Reducer): Reducer {
    const self = this
    return function flightRecorderReducer(state: unknown, action: Action) {
      const next = reducer(state, action)
      self.onReduce(state, action, next, reducer)
      return next
    }
  }

  private start(): void {
    this.startEpoch = this.safeClock() ?? Date.now()
    this.startMono = monotonic()
    if (this.sinks.length > 0) {
      for (const s of this.sinks) {
        try {
          s.sink.attach?.(s.ctx, this.api)
        } catch (error) {
          this.fault('sink', error, null)
        }
      }
      this.timer = setInterval(() => this.tick(), this.flushIntervalMs)
      ;(this.timer as { unref?: () => void }).unref?.()
    }
  }

  private setInitial(state: unknown): void {
    this.initialState = state
    this.lastState = state
    this.collectedState = state
    this.anchors = [{ seq: 1, state }]
    this.lastAnchorSeq = 1
    // fr64: hash the starting state first (seq 0 is no entry), so the first action's state is
    // hashed incrementally from it and the header finds it cached, instead of two full walks.
    if (this.hashMode === 'fr64' && !this.serializeState) this.enqueueHash(0, state)
  }

  private safeClock(): number | undefined {
    if (!this.clock) return undefined
    try {
      const v = this.clock()
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined
    } catch {
      return undefined
    }
  }

  /** The clock misbehaved at the last reading; reported once per episode, not at every entry. */
  private clockTrouble = false

  private now(): number {
    let t: number
    let trouble: string | undefined
    if (this.clock) {
      const c = this.safeClock()
      if (c === undefined) {
        t = this.lastT
        trouble = 'the `clock` option threw or returned something other than a finite number; `t` stays at its last value'
      } else t = c - this.startEpoch
    } else {
      t = monotonic() - this.startMono
    }
    // t is monotonic even when the clock goes backwards.
    if (!(t >= this.lastT)) {
      trouble ??= `the clock went back ${Math.round(this.lastT - t)} ms; \`t\` stays at its last value until the clock catches up`
      t = this.lastT
    }
    this.lastT = t
    if (trouble === undefined) this.clockTrouble = false
    else if (!this.clockTrouble) {
      this.clockTrouble = true
      // Written as an @@error entry before the entry whose time is being read (see push()).
      this.fault('clock', new Error(trouble), null)
    }
    return t
  }

  private onReduce(prev: unknown, action: Action, next: unknown, reducer: Reducer): void {
    if (this.closed || this.creating) return
    if (this.lifted) return this.onLiftedReduce(action, next)
    if (this.guarded) {
      const i = this.expected.lastIndexOf(action)
      if (i === -1) return
      // The same action may be recomputed later in this dispatch; only its first call counts.
      this.expected[i] = MATCHED
    }
    try {
      const type = action.type
      if (isReduxInit(type)) {
        if (this.initialState === undefined && this.lastState === undefined) this.setInitial(next)
        return
      }
      if (this.paused) return
      if (isReduxReplace(type)) {
        this.recordSpecial({ kind: '@@replaceReducer' }, next)
        return
      }
      // The reducer got a state the log does not end with (DevTools jumped in time, an outer
      // enhancer swapped it): note it first so the log replays from the right state.
      if (prev !== this.lastState && prev !== undefined) this.noticeStateChange(prev, this.guarded ? 'devtools' : 'unrecorded-change')
      // A sink lost lines and asked for a checkpoint: write the state this action starts from
      // first, so replay can verify this action too.
      if (this.checkpointRequested) {
        this.checkpointRequested = false
        this.recordSpecial({ kind: '@@checkpoint', state: this.lastState, reason: 'requested' }, this.lastState)
      }
      const seq = this.recordAction(action, next)
      if (this.checkDeterminism) this.verifyDeterminism(reducer, prev, action, next, seq)
      if (this.checkpointEvery > 0 && this.actionCount % this.checkpointEvery === 0) {
        this.recordSpecial({ kind: '@@checkpoint', state: next, reason: 'interval' }, next)
      }
    } catch (error) {
      this.fault('record', error, null)
    }
  }

  /**
   * Redux DevTools' instrument runs outside this enhancer, so the reducer here is its lifted
   * reducer: PERFORM_ACTION carries the app's action; every other lifted action (jump, toggle,
   * import, sweep…) changes the state without one.
   */
  private onLiftedReduce(liftedAction: Action, next: unknown): void {
    try {
      // A locked DevTools returns its lifted state untouched: nothing reached the app's reducer.
      if (next === this.lastLifted) return
      this.lastLifted = next
      if (this.paused || isReduxInit(liftedAction.type)) return
      const state = unliftState(next)
      if (isReduxReplace(liftedAction.type)) {
        this.recordSpecial({ kind: '@@replaceReducer' }, state)
        return
      }
      const performed = (liftedAction as { type: unknown; action?: Action }).type === 'PERFORM_ACTION' ? (liftedAction as { action?: Action }).action : undefined
      const computed = (next as LiftedState).computedStates
      const devtoolsPaused = (next as { isPaused?: boolean }).isPaused === true
      if (performed && typeof performed === 'object' && (devtoolsPaused || computed.length >= 2)) {
        // The new action's state is the last computed one, reduced from the one before it; the
        // visible state differs from it when DevTools shows an earlier point in time. A paused
        // DevTools reduces the action on the visible state and keeps only the result.
        const before = devtoolsPaused ? this.lastState : computed[computed.length - 2].state
        const after = devtoolsPaused ? state : computed[computed.length - 1].state
        if (before !== this.lastState) this.noticeStateChange(before, 'PERFORM_ACTION')
        this.recordAction(performed, after)
      }
      this.noticeStateChange(state, String(liftedAction.type))
    } catch (error) {
      this.fault('record', error, null)
    }
  }

  /** Writes an action entry with its turn; its state is hashed later. Returns its seq. */
  private recordAction(action: Action, state: unknown): number {
    const meta = (action as { meta?: { turn?: unknown } }).meta
    const explicit = meta !== null && typeof meta === 'object' && typeof meta.turn === 'string'
    const turn = explicit ? TURN_EXPLICIT : this.depth > 0 ? this.activeTurn : ++this.turnCounter
    this.actionCount++
    const seq = this.push(turn, action, F_ACTION | F_STATE)
    this.lastState = state
    this.enqueueHash(seq, state)
    return seq
  }

  /** Records a @@lifecycle entry with the state when the state changed without a recorded action. */
  private noticeStateChange(state: unknown, cause: string): void {
    if (this.closed || this.paused || this.creating || state === this.lastState) return
    try {
      this.recordSpecial({ kind: '@@lifecycle', body: { event: 'devtools-state-change', cause }, state }, state)
    } catch (error) {
      this.fault('record', error, null)
    }
  }

  private verifyDeterminism(reducer: Reducer, prev: unknown, action: Action, next: unknown, seq: number): void {
    // Reported once, at the first action that shows it; after that the check (a second reducer
    // call per dispatch) stops.
    if ((this.faultCounts.get('determinism') ?? 0) > 0) return
    // An action carrying callbacks (redux-persist's PERSIST/FLUSH/PURGE) asks the reducer for a
    // side effect: running it twice would fire that twice.
    const carriesFunction = (value: unknown, depth: number): boolean => {
      if (typeof value === 'function') return true
      if (depth === 0 || value === null || typeof value !== 'object') return false
      for (const key of Object.keys(value)) if (carriesFunction((value as Record<string, unknown>)[key], depth - 1)) return true
      return false
    }
    try {
      if (carriesFunction(action, 2)) return
    } catch {
      return
    }
    const again = rerunShifted(reducer, prev, action)
    if (!again.ok || again.state === next) return
    const project = (state: unknown): unknown => JSON.parse(stringifyState(this.serializeState ? this.serializeState(state) : state, this.stateRedactor))
    let differs: boolean
    let path = ''
    try {
      const a = this.hashOf(next)
      const b = this.hashOf(again.state)
      const x = project(next)
      const y = project(again.state)
      differs = a !== null && b !== null ? a !== b : JSON.stringify(x) !== JSON.stringify(y)
      if (!differs) return
      // The first key path whose value differs, for the report.
      const find = (u: unknown, v: unknown, at: string): string | null => {
        if (u === v) return null
        if (u === null || v === null || typeof u !== 'object' || typeof v !== 'object' || Array.isArray(u) !== Array.isArray(v)) return at
        const keys = new Set([...Object.keys(u), ...Object.keys(v)])
        for (const key of keys) {
          const found = find((u as Record<string, unknown>)[key], (v as Record<string, unknown>)[key], at ? `${at}.${key}` : key)
          if (found !== null) return found
        }
        return null
      }
      path = find(x, y, '') ?? ''
    } catch {
      return
    }
    const type = String(action.type)
    this.fault(
      'determinism',
      new Error(
        `The reducer is not deterministic: re-running it for action '${type}' (seq ${seq}) with Date.now/performance.now shifted and Math.random reseeded gave a different state${path ? ` at \`${path}\`` : ''}. Reducers must not read the clock or Math.random(); compute such values in the action creator (e.g. a \`prepare\` callback) and put them in the action.`,
      ),
      seq,
    )
  }

  private hashOf(state: unknown): string | null {
    try {
      const input = this.serializeState ? this.serializeState(state) : state
      if (this.hashMode === 'fr64') {
        this.hasher!.hash(input)
        return hashHex(this.hasher!.hi, this.hasher!.lo)
      }
      if (this.hashMode === 'custom') {
        const h = this.hashFn!(applyStateRedaction(input, this.stateRedactor))
        // A hash function that returns a number would otherwise write an invalid header.
        return typeof h === 'string' ? h : null
      }
      return null
    } catch {
      return null
    }
  }

  // ---------------------------------------------------------------- buffer

  private push(turn: number, ref: unknown, flags: number): number {
    // The clock first: a clock fault writes its own @@error entry, which must take its seq before this one.
    const t = this.now()
    // Trimming serialises and hashes; while either is running, entries go into the ring's slack.
    if (this.ring.full && this.internal === 0) this.trimForSpace()
    if (this.ring.overflowing) this.ring.dropFront(1)
    const seq = this.ring.nextSeq
    if (seq - this.lastAnchorSeq >= this.anchorEvery) {
      this.anchors.push({ seq, state: this.lastState })
      this.lastAnchorSeq = seq
      if (this.anchors.length > MAX_ANCHORS) this.thinAnchors()
    }
    this.ring.push(t, turn, ref, flags)
    return seq
  }

  private recordSpecial(special: Special, state?: unknown): void {
    if (this.closed || !this.attached) return
    const hasState = arguments.length > 1
    const seq = this.push(TURN_NULL, special, hasState ? F_STATE : 0)
    if (hasState) {
      this.lastState = state
      this.enqueueHash(seq, state)
    }
  }

  /**
   * Anchors are the states the buffer can start a log from. At most MAX_ANCHORS are kept (each
   * retains a state object): when there are more, every other one goes and the spacing doubles.
   */
  private thinAnchors(): void {
    const kept = [this.anchors[0]]
    for (let i = 2; i < this.anchors.length; i += 2) kept.push(this.anchors[i])
    this.anchors = kept
    this.anchorEvery = Math.min(this.anchorEvery * 2, this.maxAnchorEvery)
  }

  /** Makes room by dropping the oldest entries up to the next anchor (a known state). */
  private trimForSpace(): void {
    const target = this.anchors.find((a) => a.seq > this.ring.firstSeq)
    if (!target) {
      // No known state to start from: keep the state before the next entry as a fresh anchor.
      this.collect()
      this.ring.dropFront(this.ring.size)
      this.anchors = [{ seq: this.ring.firstSeq, state: this.lastState }]
      this.lastAnchorSeq = this.ring.firstSeq
      return
    }
    this.trimTo(target.seq)
  }

  private trimTo(seq: number): void {
    // Sinks must see every entry before the buffer forgets it.
    if (this.sinks.length > 0 && this.collectedSeq < seq - 1) this.collect()
    this.ring.dropFront(seq - this.ring.firstSeq)
    this.anchors = this.anchors.filter((a) => a.seq >= seq)
  }

  private clear(): void {
    if (this.sinks.length > 0) this.collect()
    this.finishHashing()
    this.ring.dropFront(this.ring.size)
    this.anchors = [{ seq: this.ring.firstSeq, state: this.lastState }]
    this.lastAnchorSeq = this.ring.firstSeq
  }

  // ---------------------------------------------------------------- hashing

  private enqueueHash(seq: number, state: unknown): void {
    if (this.hashMode === 'none') return
    this.pendingSeq.push(seq)
    this.pendingState.push(state)
    const waiting = this.pendingSeq.length - this.pendingHead
    if (waiting > MAX_PENDING_HASHES) this.hashSome(waiting - MAX_PENDING_HASHES)
    else this.scheduleHashing()
  }

  /** Hashes one bounded batch off the dispatch path, then schedules the next while any wait. */
  private scheduleHashing(): void {
    if (this.hashScheduled) return
    this.hashScheduled = true
    schedule(() => {
      this.hashScheduled = false
      this.hashSome(HASH_BATCH)
      if (this.pendingSeq.length > this.pendingHead) this.scheduleHashing()
    })
  }

  private finishHashing(): void {
    this.hashSome(Infinity)
  }

  private hashSome(limit: number): void {
    if (this.hashing) return
    this.hashing = true
    this.internal++
    try {
      let done = 0
      while (this.pendingHead < this.pendingSeq.length && done < limit) {
        const seq = this.pendingSeq[this.pendingHead]
        const state = this.pendingState[this.pendingHead]
        this.pendingState[this.pendingHead] = undefined
        this.pendingHead++
        done++
        this.hashEntry(seq, state)
      }
      if (this.pendingHead === this.pendingSeq.length) {
        this.pendingSeq = []
        this.pendingState = []
        this.pendingHead = 0
      } else if (this.pendingHead > 4096) {
        this.pendingSeq = this.pendingSeq.slice(this.pendingHead)
        this.pendingState = this.pendingState.slice(this.pendingHead)
        this.pendingHead = 0
      }
    } finally {
      this.hashing = false
      this.internal--
    }
  }

  private hashEntry(seq: number, state: unknown): void {
    const ring = this.ring
    const i = ring.index(seq)
    try {
      const input = this.serializeState ? this.serializeState(state) : state
      if (this.hashMode === 'fr64') {
        const hasher = this.hasher!
        hasher.hash(input, this.serializeState ? undefined : this.prevHashed)
        if (this.changed !== null && i >= 0 && ring.flags[i] & F_ACTION) this.changed.set(seq, ring.firstSeq, changedField(hasher, input, this.prevHashed))
        this.prevHashed = input
        if (i >= 0) {
          ring.hi[i] = hasher.hi
          ring.lo[i] = hasher.lo
          ring.flags[i] |= F_HASHED
        }
      } else {
        const h = this.hashFn!(applyStateRedaction(input, this.stateRedactor))
        if (typeof h !== 'string') throw new TypeError(`The custom \`hash\` function returned ${describe(h)} instead of a string.`)
        if (i >= 0) {
          ring.strs![i] = h
          ring.flags[i] |= F_HASHED
        }
      }
    } catch (error) {
      this.prevHashed = undefined
      if (i >= 0) ring.flags[i] |= F_HASH_FAILED
      // seq 0, the starting state, is no entry: the header reports it when it is written.
      if (seq > 0) this.fault('hash', error, seq)
    }
  }

  private hashString(i: number): string | null {
    const f = this.ring.flags[i]
    if (!(f & F_HASHED)) return null
    if (this.hashMode === 'custom') return this.ring.strs![i]
    return hashHex(this.ring.hi[i], this.ring.lo[i])
  }

  // ---------------------------------------------------------------- serialisation

  private headerLine(fromSeq: number, state: unknown, trimmed: number): string {
    let stateJson: string
    let hash: string | null = null
    try {
      const projected = this.serializeState ? this.serializeState(state) : state
      let unwritable = false
      stateJson = stateText(projected, this.stateRedactor, this.lossy, (error) => {
        unwritable = true
        this.fault('serialize', error, null)
      })
      // A state that could not be written goes with no hash: replay cannot check or restart from it.
      if (!unwritable) hash = this.hashOf(state)
    } catch (error) {
      this.fault('serialize', error, null)
      stateJson = 'null'
    }
    return (
      '{"kind":"@@session","v":' + FORMAT_VERSION +
      ',"session":' + JSON.stringify(this.session) +
      ',"ts":' + JSON.stringify(new Date(this.startEpoch).toISOString()) +
      ',"hash_alg":' + JSON.stringify(this.hashAlg) +
      ',"meta":' + JSON.stringify(this.meta) +
      ',"redact":' + JSON.stringify(this.redactPaths) +
      ',"from_seq":' + fromSeq +
      ',"state":' + stateJson +
      ',"hash":' + (hash === null ? 'null' : JSON.stringify(hash)) +
      (trimmed > 0 ? ',"trimmed":' + trimmed : '') +
      '}'
    )
  }

  private entryLine(seq: number): string {
    const ring = this.ring
    const i = ring.index(seq)
    const t = ring.t[i]
    const flags = ring.flags[i]
    const ref = ring.refs[i]
    const head = '{"seq":' + seq + timeFields(this.startEpoch + t, t)
    if (flags & F_ACTION) {
      const action = ref as Action & { meta?: { turn?: string } }
      const turnCol = ring.turn[i]
      const turn = turnCol >= 0 ? ',"turn":"t' + turnCol + '"' : turnCol === TURN_EXPLICIT ? ',"turn":' + JSON.stringify(action.meta!.turn) : ',"turn":null'
      let type: unknown
      try {
        type = action.type
      } catch {
        type = 'unknown'
      }
      let { json, omitted, lossy } = projectAction(typeof type === 'symbol' ? { ...action, type: String(type) } : action, this.actionRedactor, this.lossy)
      if (json.length > this.maxEntryBytes / 4 && utf8Length(json) > this.maxEntryBytes) {
        const bytes = utf8Length(json)
        json = '{"type":' + JSON.stringify(String(type)) + '}'
        omitted = [{ path: '<root>', kind: 'too-large', detail: bytes }]
        lossy = null
      }
      let line = head + turn + kindField(type) + json
      if (this.hashMode === 'fr64') {
        if (flags & F_HASHED) {
          // The closing brace comes with the hash when nothing follows it.
          const changed = this.changed === null ? '' : this.changed.get(seq)
          if (!omitted && changed === '' && !lossy) return line + hashField(ring.hi[i], ring.lo[i], true)
          line += hashField(ring.hi[i], ring.lo[i], false) + changed
        } else line += ',"hash":null'
      } else if (this.hashMode !== 'none') {
        const h = this.hashString(i)
        line += ',"hash":' + (h === null ? 'null' : JSON.stringify(h))
      }
      if (omitted) line += ',"recordable":false,"omitted":' + JSON.stringify(omitted)
      if (lossy) line += lossyField(lossy)
      return line + '}'
    }
    const special = ref as Special
    let line = head + ',"turn":null,"kind":' + JSON.stringify(special.kind)
    switch (special.kind) {
      case '@@mark':
        line += ',"label":' + JSON.stringify(special.label)
        if (special.body !== undefined) line += ',"body":' + safeJson(special.body)
        break
      case '@@lifecycle':
      case '@@error':
        line += ',"body":' + safeJson(special.body)
        if (special.state !== undefined && flags & F_STATE) line += ',"state":' + this.stateJson(special.state, seq)
        break
      case '@@dropped':
        line += ',"count":' + special.count + ',"reason":' + JSON.stringify(special.reason)
        break
      case '@@checkpoint':
        line += ',"state":' + this.stateJson(special.state, seq)
        if (special.reason) line += ',"reason":' + JSON.stringify(special.reason)
        break
      case '@@end':
        line =
          '{"kind":"@@end","seq":' + seq +
          timeFields(this.startEpoch + t, t) +
          ',"count":' + special.count +
          ',"dropped":' + this.dropped +
          ',"state":' + this.stateJson(special.state, seq)
        break
    }
    if (flags & F_STATE && this.hashMode !== 'none') {
      const h = this.hashString(i)
      line += ',"hash":' + (h === null ? 'null' : JSON.stringify(h))
    }
    return line + '}'
  }

  private stateJson(state: unknown, seq: number): string {
    const unwritable = (error: unknown) => {
      // `null,"unwritable":…` with no live hash beside it; on `@@end` the line itself says why.
      const i = this.ring.index(seq)
      if (i >= 0) this.ring.flags[i] &= ~F_HASHED
      if (!this.closed) this.fault('serialize', error, seq)
    }
    try {
      const projected = this.serializeState ? this.serializeState(state) : state
      return stateText(projected, this.stateRedactor, this.lossy, unwritable)
    } catch (error) {
      unwritable(error)
      return 'null,"unwritable":' + JSON.stringify(error instanceof Error ? `${error.name}: ${error.message}` : 'serializeState threw')
    }
  }

  private toJSONL(options?: SnapshotOptions): string {
    if (!this.attached) {
      throw new Error('[redux-flight-recorder] The recorder has no store yet: add `recorder.enhancer` to a store before reading its log.')
    }
    if (options?.finalState && !this.closed && !this.paused && this.getState) {
      const last = this.ring.size > 0 ? (this.ring.refs[this.ring.index(this.ring.nextSeq - 1)] as Special | undefined) : undefined
      if (!(last && (last as Special).kind === '@@checkpoint')) {
        const state = this.getState()
        this.lastState = state
        this.recordSpecial({ kind: '@@checkpoint', state, reason: 'snapshot' }, state)
      }
    }
    this.finishHashing()
    const ring = this.ring
    for (;;) {
      const lines: string[] = []
      let total = 0
      const first = ring.firstSeq
      for (let seq = first; seq < ring.nextSeq; seq++) {
        const line = this.entryLine(seq)
        total += line.length + 1
        lines.push(line)
      }
      if (total > this.maxBytes && this.trimByBytes(total, lines, first)) continue
      const anchor = this.anchors[0]
      const header = this.headerLine(ring.firstSeq, anchor ? anchor.state : this.lastState, ring.firstSeq - 1)
      return header + '\n' + (lines.length > 0 ? lines.join('\n') + '\n' : '')
    }
  }

  /** Drops whole anchor spans from the front until the buffer fits `maxBytes`; `lines` start at `first`. */
  private trimByBytes(total: number, lines: string[], first: number): boolean {
    const ring = this.ring
    let cut = -1
    let removed = 0
    for (const anchor of this.anchors) {
      if (anchor.seq <= ring.firstSeq) continue
      for (let seq = cut === -1 ? ring.firstSeq : cut; seq < anchor.seq; seq++) removed += lines[seq - first].length + 1
      cut = anchor.seq
      if (total - removed <= this.maxBytes) break
    }
    if (cut === -1) return false
    this.trimTo(cut)
    return true
  }

  // ---------------------------------------------------------------- sinks

  private sinkState(sink: Sink): SinkState {
    const self = this
    const state: SinkState = {
      sink,
      batches: [],
      queuedBytes: 0,
      busy: false,
      headerSent: false,
      current: undefined,
      ctx: {
        session: this.session,
        header: () => {
          const batch = state.current ?? state.batches[0]
          return batch ? self.headerLine(batch.fromSeq, batch.base, 0) : self.headerLine(self.collectedSeq + 1, self.collectedState, 0)
        },
        checkpoint: () => {
          self.checkpointRequested = true
        },
        reportDropped: (count, reason) => {
          if (!(count > 0)) return
          self.dropped += count
          self.recordSpecial({ kind: '@@dropped', count, reason: String(reason) })
          self.checkpointRequested = true
        },
        drain: () => {
          self.collect()
          const lines: string[] = []
          for (const b of state.batches) for (const l of b.lines) lines.push(l)
          // header() during the sink's synchronous write describes the first drained line.
          if (state.batches.length > 0) state.current = state.batches[0]
          state.batches = []
          state.queuedBytes = 0
          return lines
        },
      },
    }
    return state
  }

  /** Serialises every entry not yet given to sinks into their queues. */
  private collect(): void {
    if (this.sinks.length === 0 || !this.attached || this.internal > 0) return
    this.finishHashing()
    this.internal++
    try {
      this.collectNow()
    } finally {
      this.internal--
    }
  }

  private writeRequestedCheckpoint(): void {
    if (this.checkpointRequested && this.getState && !this.closed && !this.paused) {
      this.checkpointRequested = false
      const state = this.getState()
      this.lastState = state
      this.recordSpecial({ kind: '@@checkpoint', state, reason: 'requested' }, state)
    }
  }

  private collectNow(): void {
    const ring = this.ring
    const from = Math.max(this.collectedSeq + 1, ring.firstSeq)
    const to = ring.nextSeq - 1
    if (from > to) return
    const lines: string[] = []
    let bytes = 0
    for (let seq = from; seq <= to; seq++) {
      const line = this.entryLine(seq)
      lines.push(line)
      bytes += line.length + 1
    }
    const base = this.collectedState
    this.collectedSeq = to
    this.collectedState = this.lastState
    const sinks = this.sinks
    for (let k = 0; k < sinks.length; k++) {
      const s = sinks[k]
      // Each sink gets its own array (a header may go in front); the last one takes the original.
      const batch: Batch = { fromSeq: from, base, lines: k === sinks.length - 1 ? lines : lines.slice(), bytes }
      if (!s.headerSent) {
        const header = this.headerLine(from, base, 0)
        batch.lines.unshift(header)
        batch.bytes += header.length + 1
        s.headerSent = true
      }
      s.batches.push(batch)
      s.queuedBytes += batch.bytes
      this.enforceQueueBound(s)
    }
  }

  private enforceQueueBound(s: SinkState): void {
    let lost = 0
    while (s.queuedBytes > this.sinkQueueBytes && s.batches.length > 1) {
      const old = s.batches.shift()!
      s.queuedBytes -= old.bytes
      lost += old.lines.length
    }
    if (lost > 0) {
      this.dropped += lost
      this.fault('sink', new Error(`A sink fell behind by more than ${this.sinkQueueBytes} bytes; ${lost} lines were dropped.`), null)
      this.recordSpecial({ kind: '@@dropped', count: lost, reason: 'sink-queue-full' })
      this.checkpointRequested = true
    }
  }

  private pump(s: SinkState): Promise<void> | undefined {
    if (s.busy || s.batches.length === 0) return undefined
    const batches = s.batches
    s.batches = []
    s.queuedBytes = 0
    const lines = batches.length === 1 ? batches[0].lines : batches.flatMap((b) => b.lines)
    const bytes = batches.reduce((n, b) => n + b.bytes, 0)
    s.current = batches[0]
    const requeue = (error: unknown) => {
      s.batches = batches.concat(s.batches)
      s.queuedBytes += bytes
      this.fault('sink', error, null)
      this.enforceQueueBound(s)
    }
    let result: void | Promise<void>
    try {
      result = s.sink.write(lines, s.ctx)
    } catch (error) {
      s.current = undefined
      requeue(error)
      return undefined
    }
    if (result && typeof (result as Promise<void>).then === 'function') {
      s.busy = true
      // Every in-flight write is registered (also those the flush timer started), so flush()
      // waits on the write itself instead of spinning on a promise that already settled.
      const settled = (result as Promise<void>).then(
        () => {
          s.busy = false
          s.current = undefined
          this.bytesOut += bytes
        },
        (error) => {
          s.busy = false
          s.current = undefined
          requeue(error)
        },
      )
      this.inflight.set(s, settled)
      return settled
    }
    s.current = undefined
    this.bytesOut += bytes
    return undefined
  }

  private tick(): void {
    try {
      this.writeRequestedCheckpoint()
      this.collect()
      for (const s of this.sinks) void this.pump(s)
    } catch (error) {
      this.fault('sink', error, null)
    }
  }

  private inflight = new Map<SinkState, Promise<void>>()

  private async flush(): Promise<void> {
    if (!this.attached) return
    this.writeRequestedCheckpoint()
    this.collect()
    // Each sink: wait for an in-flight write, then write what is queued; a failing sink is
    // reported (not retried here) so flush() never hangs on it.
    // A sink whose write never settles is waited for at most `sinkTimeoutMs`, then reported.
    const deadline = Date.now() + this.sinkTimeoutMs
    const within = async (p: Promise<void>): Promise<boolean> => {
      const left = deadline - Date.now()
      if (left <= 0) return false
      let timer: ReturnType<typeof setTimeout> | undefined
      const timeout = new Promise<false>((r) => {
        timer = setTimeout(() => r(false), left)
      })
      try {
        return await Promise.race([p.then(() => true), timeout])
      } finally {
        clearTimeout(timer)
      }
    }
    await Promise.all(
      this.sinks.map(async (s) => {
        for (let round = 0; round < 3; round++) {
          while (s.busy) {
            if (!(await within(this.waitIdle(s)))) return this.reportStuck(s)
          }
          if (s.batches.length === 0) return
          const before = s.batches.length
          const p = this.pump(s)
          if (p) {
            this.inflight.set(s, p)
            if (!(await within(p))) return this.reportStuck(s)
          }
          if (s.batches.length >= before) return
        }
      }),
    )
  }

  private reportStuck(s: SinkState): void {
    const pending = s.batches.reduce((n, b) => n + b.lines.length, 0)
    this.fault(
      'sink',
      new Error(
        `A sink did not finish writing within ${this.sinkTimeoutMs} ms (\`sinkTimeoutMs\`); flush() stopped waiting for it${pending > 0 ? ` with ${pending} lines still queued for it` : ''}.`,
      ),
      null,
    )
  }

  private waitIdle(s: SinkState): Promise<void> {
    const p = this.inflight.get(s)
    // A macrotask between polls lets I/O callbacks run even if the promise has settled.
    return p ? p.then(() => new Promise((r) => setTimeout(r, 0))) : new Promise((r) => setTimeout(r, 1))
  }

  private flushSync(): void {
    if (!this.attached) return
    try {
      this.collect()
      for (const s of this.sinks) {
        if (typeof s.sink.writeSync !== 'function') continue
        const lines = s.ctx.drain()
        if (lines.length === 0) continue
        try {
          s.sink.writeSync(lines, s.ctx)
          this.bytesOut += lines.reduce((n, l) => n + l.length + 1, 0)
        } catch (error) {
          this.fault('sink', error, null)
        } finally {
          s.current = undefined
        }
      }
    } catch (error) {
      this.fault('sink', error, null)
    }
  }

  private async close(): Promise<void> {
    if (this.closed) return
    if (this.attached) {
      this.finishHashing()
      // Serialise what is pending while faults can still be written into the log.
      this.collect()
      let state = this.lastState
      try {
        if (this.getState) state = this.getState()
      } catch {
        // keep the last recorded state
      }
      this.recordSpecial({ kind: '@@end', state, count: this.actionCount }, state)
      this.closed = true
      await this.flush()
    }
    this.closed = true
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
    for (const cleanup of [...this.cleanups]) {
      try {
        cleanup()
      } catch {
        // a cleanup that throws must not stop the others
      }
    }
    this.cleanups.clear()
    for (const s of this.sinks) {
      try {
        await s.sink.close?.()
      } catch (error) {
        this.fault('sink', error, null)
      }
    }
  }

  // ---------------------------------------------------------------- faults

  private fault(source: string, error: unknown, seq: number | null): void {
    const count = (this.faultCounts.get(source) ?? 0) + 1
    this.faultCounts.set(source, count)
    const err =
      error instanceof RecorderFaultError
        ? error
        : new RecorderFaultError(source, `[redux-flight-recorder] ${source} failed${seq !== null ? ` at seq ${seq}` : ''}: ${errorMessage(error)}`, seq, { cause: error })
    try {
      if (this.onError) this.onError(err)
      else if (count === 1 && typeof console !== 'undefined') console.warn(err.message)
    } catch {
      // onError itself must not break the app
    }
    if (this.recordingFault || this.closed || !this.attached) return
    if (count > MAX_ERRORS_PER_SOURCE + 1) return
    this.recordingFault = true
    try {
      const body =
        count > MAX_ERRORS_PER_SOURCE
          ? { source, message: `More than ${MAX_ERRORS_PER_SOURCE} ${source} errors; further ones are not written.`, seq }
          : { source, message: errorMessage(error), name: error instanceof Error ? error.name : undefined, seq }
      this.recordSpecial({ kind: '@@error', body })
    } catch {
      // nothing more we can do
    } finally {
      this.recordingFault = false
    }
  }
}

type ThunkLike = (dispatch: unknown, ...rest: unknown[]) => unknown

const MATCHED = Symbol('matched')

interface LiftedState {
  computedStates: { state: unknown }[]
  currentStateIndex: number
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

function unliftState(lifted: unknown): unknown {
  const l = lifted as LiftedState
  return l.computedStates[l.currentStateIndex]?.state
}

function isProduction(): boolean {
  const p = (globalThis as { process?: { env?: { NODE_ENV?: string } } }).process
  return p?.env?.NODE_ENV === 'production'
}

function applyStateRedaction(state: unknown, redactor: Redactor | null): unknown {
  if (!redactor) return state
  return JSON.parse(stringifyState(state, redactor))
}

function safeJson(value: unknown): string {
  if (value === undefined) return 'null'
  return projectAction(value, null).json
}

/** `,"kind":<JSON of String(type)>,"action":`, for the last few hundred action types. */
const kindCache = new Map<string, string>()
let lastKindType: string | undefined
let lastKindField = ''
function kindField(type: unknown): string {
  // Runs of one action type are common: the last one is checked before the map.
  if (typeof type === 'string' && type === lastKindType) return lastKindField
  const kind = String(type)
  let json = kindCache.get(kind)
  if (json === undefined) {
    json = ',"kind":' + JSON.stringify(kind) + ',"action":'
    if (kindCache.size >= 512) kindCache.clear()
    kindCache.set(kind, json)
  }
  if (typeof type === 'string') {
    lastKindType = type
    lastKindField = json
  }
  return json
}

/**
 * Runs the reducer again with Date.now / performance.now / `new Date()` shifted and Math.random
 * reseeded, restoring every global afterwards (also when the reducer throws).
 */
function rerunShifted(reducer: Reducer, prev: unknown, action: Action): { ok: true; state: unknown } | { ok: false } {
  const OriginalDate = Date
  const realNow = OriginalDate.now
  const realRandom = Math.random
  const perf = typeof performance !== 'undefined' ? performance : undefined
  const realPerfNow = perf?.now
  const perfHadOwnNow = perf !== undefined && Object.prototype.hasOwnProperty.call(perf, 'now')
  const shift = 7_777_777
  let seed = 0x2545f491
  try {
    OriginalDate.now = () => realNow.call(OriginalDate) + shift
    Math.random = () => {
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return (seed >>> 0) / 4294967296
    }
    if (perf && realPerfNow) {
      try {
        perf.now = () => realPerfNow.call(perf) + shift
      } catch {
        // read-only in some runtimes
      }
    }
    const Shifted = function (this: unknown, ...args: unknown[]) {
      if (!new.target) return new OriginalDate(realNow.call(OriginalDate) + shift).toString()
      return args.length === 0 ? new OriginalDate(realNow.call(OriginalDate) + shift) : new (OriginalDate as any)(...args)
    } as unknown as DateConstructor
    Object.setPrototypeOf(Shifted, OriginalDate)
    Object.defineProperty(Shifted, 'prototype', { value: OriginalDate.prototype })
    ;(globalThis as { Date: DateConstructor }).Date = Shifted
    return { ok: true, state: reducer(prev, action) }
  } catch {
    return { ok: false }
  } finally {
    ;(globalThis as { Date: DateConstructor }).Date = OriginalDate
    OriginalDate.now = realNow
    Math.random = realRandom
    if (perf && realPerfNow) {
      try {
        if (perfHadOwnNow) perf.now = realPerfNow
        else delete (perf as { now?: unknown }).now
      } catch {
        // ignore
      }
    }
  }
}
