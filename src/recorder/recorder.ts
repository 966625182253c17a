import { scrubThrown } from './scrub'
import { warnUnmatchedRedactPaths } from './redactCheck'
import type { Action, Reducer } from 'redux'
import { FlightRecorderError, type FaultSource } from '../errors'
import { isRebaseCheckpoint } from '../format/types'
import { jsonSize } from '../internal/jsonSize'
import { isReduxInit, isReduxReplace } from '../internal/reduxActions'
import { settlesBy } from '../internal/settlesBy'
import { Anchors } from './anchors'
import { checkDeterminism } from './checkDeterminism'
import type { Clock } from './clock'
import { Faults } from './faults'
import { HashQueue } from './hashQueue'
import { lineText, Lines, type Line, type SpecialEntry } from './lines'
import type { Settings } from './options'
import { EntryRing, F_ACTION, F_STATE, TURN_EXPLICIT, TURN_NULL } from './ring'
import { SinkQueue, type Batch } from './sinkQueue'
import type { Turns } from './turns'
import { runCleanups } from '../internal/runCleanups'
import type { CheckpointReason, FlightRecorder } from './types'

/** What an action's line holds besides the action (seq, ts, t, turn, kind, hash), about. */
const LINE_OVERHEAD = 120

/** About the length of the line of an action over `maxEntryBytes` (its type, and why the rest is left out). */
const OMITTED_LINE = LINE_OVERHEAD + 160

/** No state (see `collect`). */
const NONE = Symbol('none')

/** A full state at least this long (characters of JSON) is waited for by the flush tick (see `tick`). */
const DEFER_FOR_CHARS = 256 * 1024

/**
 * Flush ticks that wait for a large full state being serialised in slices (see `tick`): the first
 * WAIT_TICKS leave it to the slices; then each tick adds ADVANCE_MS of its own work (no long
 * task); past MAX_WAIT_TICKS it is written at once.
 */
const WAIT_TICKS = 4
const ADVANCE_MS = 25
const MAX_WAIT_TICKS = 64

/** Actions measured first, and the window of the median (see `estimateHeld`). */
const SAMPLES = 8
/** How long a sink's `headerReady` waits for the full-state writer's chunk (a request that hangs). */
const STATES_WAIT_MS = 5000

/**
 * The recorder's state and the entry path: a reducer call becomes an entry in the ring (time,
 * turn, the action by reference), hashed later by the hash queue and written as a line only when
 * sinks or `snapshot()` need it. The store side is in `enhancer.ts`, the line format in `lines.ts`,
 * sink queues in `sinkQueue.ts`.
 */
export class Recorder {
  readonly session: string
  readonly clock: Clock
  readonly ring: EntryRing
  readonly anchors: Anchors
  readonly hashes: HashQueue
  readonly lines: Lines
  readonly faults: Faults
  readonly turns: Turns
  readonly sinks: SinkQueue[]
  /** Set by `createFlightRecorder` (sinks' `attach` receives it). */
  api!: FlightRecorder
  /**
   * While the lazily loaded recorder's shell hands over what happened before this core arrived
   * (`redux-flight-recorder/lazy`): the time and turn the entry being recorded had then.
   */
  given: { t: number; turn: number } | undefined

  attached = false
  closed = false
  /** `@@end` is being recorded: nothing may follow it. */
  private ending = false
  paused = false
  getState: (() => unknown) | undefined
  /** The store is being created: reducer calls are not entries. */
  creating = false
  /** A development warning said that this closed recorder was applied to a store. */
  warnedClosed = false
  /** A development warning said that `recorder.enhancer` was listed twice for one store. */
  warnedTwice = false
  /**
   * Takes the recorded store's reducer calls instead of `reduce` (set by the `devtools` option
   * for a store built with Redux DevTools' instrument).
   */
  reduceHook: ((prev: unknown, action: Action, next: unknown, reducer: Reducer, threw?: { error: unknown }) => void) | undefined
  private initialState: unknown
  lastState: unknown
  /** Which store is recorded: the reducer wrappers of an earlier store check it. */
  generation = 0
  /** Stores made with this recorder's enhancer (the newest one's generation). */
  private stores = 0
  /** A development warning said that this recorder was applied to another store (see `warnNewStore`). */
  warnedNewStore = false
  /**
   * Development only (never set in production): no action is recorded yet. 1: one store is made;
   * 2: more are, and the warning that the recorder was applied to another store waits for the
   * first action (React's StrictMode builds a store twice and keeps the first, which the recorder
   * follows again: no warning then; see `newStoreUsed`).
   */
  declare newStoreWatch: 1 | 2 | undefined
  /** Development only: the store's reducer can add slices later (set by the enhancer). */
  declare slicesLater: boolean | undefined
  /**
   * Development only: `redact.state` paths that matched no key of the state yet (an optional key
   * the state gains later, a slice injected later), checked again as the state changes, at flush
   * ticks and full states written after an action, and named at `@@end` if still unmatched (see
   * `checkRedactLater`).
   */
  declare redactLater: readonly string[] | undefined
  /** Development only: the paths left have been screened for mistaken ones (see `warnUnmatchedRedactPaths`). */
  declare redactScreened: boolean | undefined
  /** Development only: the state `redactLater` was last checked against. */
  declare redactSeen: unknown
  /** A development build (read once: see `reduce`). */
  private readonly dev = process.env.NODE_ENV !== 'production'
  /** Removes the listeners the recorded store got, when another store takes over. */
  storeCleanup: (() => void) | undefined

  actionCount = 0
  private collectedSeq = 0
  private collectedState: unknown
  /** Bytes given to sinks since the last known state was kept (see `collect`). */
  private sinceAnchor = 0
  /** Without sinks: actions seen, and the estimated bytes of an entry's line (see `estimateHeld`). */
  private sampled = 0
  private perEntry = 0
  /** The sizes of the last measured actions (see `estimateHeld`). */
  private readonly samples: number[] = []
  bytesOut = 0
  dropped = 0
  private timer: ReturnType<typeof setInterval> | undefined
  /** The flush timer's strong hold on this recorder: set by a new entry, cleared once sinks have it all. */
  private readonly keep: { r?: Recorder } = {}
  private readonly cleanups = new Set<() => void>()
  private checkpointRequested = false
  /** Resolves once the full-state writer has arrived (see `Lines.loadStates`). */
  private statesLoaded: Promise<void> = Promise.resolve()
  private writingFault = false
  private ticksDeferred = 0
  /** Serialising for sinks: the ring must not be trimmed. */
  private collecting = false

  /**
   * `parts`: the session, clock and turns, made by `createFlightRecorder`, or by the shell of a
   * lazily loaded recorder, which ran before this core arrived (`redux-flight-recorder/lazy`). The
   * core makes none itself, so that its chunk does not bring the clock and the turns (which the
   * shell has on the page already) along.
   */
  constructor(
    readonly settings: Settings,
    parts: { session: string; clock: Clock; turns: Turns },
  ) {
    this.session = parts.session
    this.clock = parts.clock
    this.ring = new EntryRing(settings.maxEntries, typeof settings.hash === 'function')
    this.anchors = new Anchors(Math.max(1, Math.floor(settings.maxEntries / 8)))
    this.hashes = new HashQueue(settings, this.ring, (error, seq, source) => this.fault(source, error, seq))
    this.faults = new Faults(settings.onError)
    this.lines = new Lines(
      settings,
      this.session,
      this.clock,
      this.ring,
      this.hashes,
      (source, error, seq) => this.fault(source, error, seq),
      () => this.dropped,
      () => this.closed,
      // Replay cannot dispatch an action the log holds the type of only: it goes on from the next
      // full state, which this asks for (written before the next action).
      (type, bytes, known) => {
        if (!known) this.checkpointRequested = true
        if (process.env.NODE_ENV !== 'production') warnTooLarge(type, bytes, settings.maxEntryBytes)
      },
    )
    this.turns = parts.turns
    // Each sink's queue has its own host: its headers and its @@dropped name the sink (its place in
    // `sinks`), so a log tells its own losses from another sink's (whose lines it holds).
    const hostFor = (sink: number) => ({
      session: this.session,
      collect: () => this.collect(),
      collectAll: () => this.collectAll(),
      header: (at: Batch | undefined) => (at ? this.lines.headerLine(at.fromSeq, at.base, 0, sink) : this.lines.headerLine(this.collectedSeq + 1, this.collectedState, 0, sink)),
      requestCheckpoint: () => {
        this.checkpointRequested = true
      },
      lost: (count: number) => {
        this.dropped += count
      },
      reportDropped: (count: number, reason: string, checkpoint?: boolean) => {
        if (this.closed || !this.attached) return 0
        this.record({ kind: '@@dropped', count, reason, sink })
        if (checkpoint !== false) this.checkpointRequested = true
        return this.ring.nextSeq - 1
      },
      // With several sinks, a fault names the one (its place in `sinks`): `onError` and the `@@error` entry.
      fault: (error: unknown) => this.fault('sink', error, null, this.sinkAt(sink)),
      // The full-state writer's chunk arrived (a sink asking before it would get the header written
      // at once: a 10 MB state took 0.4 s to write, and its hash, not yet sliced, 0.4 s more), its
      // states written, and the starting state hashed (the header's hash).
      // (A chunk request that hangs is waited for STATES_WAIT_MS at most: then as before.)
      // `at`: asked during a write, for the header of its lines (indexedDbSink's new segment, its
      // state the one before them), whose state is written in slices too (at once, 45-70 ms for
      // 10 MB in Chromium, one task).
      statesReady: (at: Batch | undefined) =>
        settlesBy(this.statesLoaded, Date.now() + STATES_WAIT_MS)
          .then(() => Promise.all([at && this.lines.states?.prepare(at.base), this.lines.states?.pending ? this.lines.states.ready() : 0, this.hashes.hashedThrough(0)]))
          .then(() => {}),
      written: (bytes: number) => {
        this.bytesOut += bytes
      },
    })
    this.sinks = settings.sinks.map((sink, i) => new SinkQueue(sink, hostFor(i), settings.sinkQueueBytes, settings.sinkTimeoutMs))
  }

  // ---------------------------------------------------------------- stores

  /** A store is being created with this recorder's enhancer; returns its generation. */
  beginStore(): number {
    if (this.attached) {
      // Hot reload, a store per test, a makeStore() per request: follow the newest store.
      // (While no action is recorded, said at the first one: the earlier store may be the one
      // React's StrictMode keeps. Not with the `devtools` option: it never follows an earlier store.)
      if (process.env.NODE_ENV !== 'production') {
        if (this.newStoreWatch && !this.settings.devtools) this.newStoreWatch = 2
        else warnNewStore(this)
      }
      this.storeCleanup?.()
      this.storeCleanup = undefined
      this.reduceHook = undefined
    } else {
      this.attached = true
      if (process.env.NODE_ENV !== 'production') this.newStoreWatch = 1
      this.start()
    }
    return (this.generation = ++this.stores)
  }

  /**
   * An earlier store dispatches while no store made after it has (React's StrictMode builds a store
   * twice in development, in a `useState` or `useMemo` initializer, and keeps the first): the
   * recorder follows it again, from `state`, the state its reducer is called with. Not with the
   * `devtools` option (its instrument is attached to the newest store). Development only.
   */
  follow(generation: number, getState: () => unknown, state: unknown): boolean {
    if (process.env.NODE_ENV === 'production' || this.closed || !this.attached || this.settings.devtools) return false
    // Back to the first store, no store used yet: React's StrictMode, nothing to say. Another
    // earlier store: the recorder was applied to stores made before it.
    if (process.env.NODE_ENV !== 'production' && generation !== 1) warnNewStore(this)
    this.generation = generation
    this.getState = getState
    this.record({ kind: '@@lifecycle', body: { event: 'new-store' }, state }, state)
    return true
  }

  /** The store exists: `getState` gives its (app) state. */
  storeCreated(getState: () => unknown): void {
    const replacing = this.getState !== undefined
    const state = getState()
    this.getState = getState
    if (!replacing) return this.setInitial(state)
    // The log restarts from the new store's state: replay restarts at a @@lifecycle entry with a state.
    this.record({ kind: '@@lifecycle', body: { event: 'new-store' }, state }, state)
  }

  private start(): void {
    this.clock.start()
    // The header's state, written off the dispatch path before the first flush needs it.
    this.statesLoaded = this.lines.loadStates((states) => {
      if (this.sinks.length === 0 || !this.getState) return
      states.prepare(this.collectedState)
      // Full states recorded before the writer arrived (a page of data loaded as the app starts
      // asks for a checkpoint at once): prepared too, else the flush tick wrote each at once (~90
      // ms for 10 MB in Chromium, one task). (The tick waits only for states being prepared.)
      const ring = this.ring
      for (let seq = Math.max(this.collectedSeq + 1, ring.firstSeq); seq < ring.nextSeq; seq++) {
        const i = ring.index(seq)
        const ref = ring.refs[i] as SpecialEntry
        if (ring.flags[i] & F_STATE && !(ring.flags[i] & F_ACTION) && 'state' in ref) states.prepare(ref.state)
      }
    })
    if (this.sinks.length === 0) return
    this.sinks.forEach((s, i) => {
      try {
        s.sink.attach?.(s.ctx, this.api)
      } catch (error) {
        this.fault('sink', error, null, this.sinkAt(i))
      }
    })
    // Through a WeakRef: an active timer is a GC root, and a recorder nobody closed (a store per
    // request) would stay in memory with its states for the life of the process. A sink that needs
    // the recorder to keep writing holds it (fileSink's exit listener, recordProcessLifecycle), and
    // the timer itself holds it (`keep`) from a new entry until every line is in the sinks' hands.
    this.timer = flushTimer(new WeakRef(this), this.keep, this.settings.flushIntervalMs)
  }

  private setInitial(state: unknown): void {
    if (process.env.NODE_ENV !== 'production' && this.settings.stateRedactor) {
      // (A store that can add slices later screens its paths at the first check after an action.)
      this.redactScreened = !this.slicesLater
      this.redactLater = warnUnmatchedRedactPaths(this.settings.stateRedactor.paths, state, this.settings.serializeState, this.redactScreened)
      this.redactSeen = this.redactLater && state
    }
    this.initialState = state
    this.lastState = state
    this.collectedState = state
    this.anchors.reset(1, state)
    // The header's state: written off the dispatch path before the first flush needs it.
    if (this.sinks.length > 0) this.lines.states?.prepare(state)
    // fr64: hash the starting state first (seq 0 is no entry), so the first action's state is
    // hashed incrementally from it and the header finds it cached, instead of two full walks.
    if (this.settings.hash === 'fr64' && !this.settings.serializeState) this.hashes.enqueue(0, state)
  }

  onClose(cleanup: () => void): () => void {
    this.cleanups.add(cleanup)
    return () => void this.cleanups.delete(cleanup)
  }

  // ---------------------------------------------------------------- entries

  onReduce(prev: unknown, action: Action, next: unknown, reducer: Reducer, threw?: { error: unknown }): void {
    if (this.closed || this.creating) return
    // (DevTools' instrument: a call that threw goes to its hook too, so the action that broke the app is in the log.)
    if (this.reduceHook) this.reduceHook(prev, action, next, reducer, threw)
    else this.reduce(prev, action, next, reducer, 'unrecorded-change', threw)
  }

  /**
   * The reducer `replaceReducer` installed threw on Redux's replace action. Redux keeps it all the
   * same (it is installed before the action is dispatched) and the state stays `state`: noted, so
   * replay takes the new reducer there too.
   */
  onReplaceThrew(state: unknown): void {
    if (this.closed || this.creating || this.paused) return
    try {
      this.record({ kind: '@@replaceReducer', threw: true }, state)
    } catch (error) {
      this.fault('record', error, null)
    }
  }

  /** A reducer call for `action` becomes an entry; `cause` names a state change no entry explains. */
  reduce(prev: unknown, action: Action, next: unknown, reducer: Reducer, cause: string, threw?: { error: unknown }): void {
    try {
      const type = action.type
      if (isReduxInit(type)) {
        if (this.initialState === undefined && this.lastState === undefined) this.setInitial(next)
        return
      }
      if (this.paused) return
      if (isReduxReplace(type)) return this.record({ kind: '@@replaceReducer' }, next)
      // The reducer got a state the log does not end with (DevTools jumped in time, an outer
      // enhancer swapped it): note it first so the log replays from the right state.
      if (prev !== this.lastState && prev !== undefined) this.noticeStateChange(prev, cause)
      // A sink lost lines and asked for a checkpoint: write the state this action starts from
      // first, so replay can verify this action too.
      if (this.checkpointRequested) {
        this.checkpointRequested = false
        this.checkpoint('requested', this.lastState)
      }
      const seq = this.recordAction(action, next)
      // (Development: the first action recorded, also one that threw, settles the new-store warning.
      // The field first: in Node without a bundler, reading process.env calls into C++ each time.)
      if (this.dev && process.env.NODE_ENV !== 'production' && this.newStoreWatch) newStoreUsed(this)
      // The reducer threw: the line says so (replay expects the same), and the state stayed.
      // (Its message without the values the log redacts: a reducer may put the token it checks there.)
      // (It still counts towards `checkpointEvery`, below.)
      if (threw !== undefined) this.lines.threwAt(seq, scrubThrown(threw.error, prev, this.settings.stateRedactor, action, this.settings.actionRedactor))
      else {
        // (The field first: in Node without a bundler, reading process.env calls into C++ each time.)
        if (this.dev && process.env.NODE_ENV !== 'production') noticeReused(this, action)
        // An action whose line will hold its type only: the state after it is written before the
        // next action (as a sink's loss asks), so replay checks what follows it.
        if (this.lines.oversized(action, seq)) this.checkpointRequested = true
        // The option first: in Node without a bundler, reading process.env calls into C++ each time.
        if (this.settings.checkDeterminism && process.env.NODE_ENV !== 'production' && this.faults.count('determinism') === 0) {
          // Reported once, at the first action that shows it; then the check (a second reducer call) stops.
          const report = checkDeterminism({ ...this.settings, hashOf: (s) => this.hashes.hashOf(s) }, reducer, prev, action, next, seq)
          if (report) this.fault('determinism', new Error(report), seq)
        }
      }
      const every = this.settings.checkpointEvery
      if (every > 0 && this.actionCount % every === 0) this.checkpoint('interval', next)
    } catch (error) {
      this.fault('record', error, null)
    }
  }

  /** Writes an action entry with its turn; its state is hashed later. Returns its seq. */
  recordAction(action: Action, state: unknown): number {
    const turn = this.given ? this.given.turn : this.turns.named(action) ? TURN_EXPLICIT : this.turns.entryTurn()
    this.actionCount++
    const seq = this.push(turn, action, F_ACTION | F_STATE)
    this.lastState = state
    this.hashes.enqueue(seq, state)
    return seq
  }

  /** Records a @@lifecycle entry with the state when the state changed without a recorded action. */
  noticeStateChange(state: unknown, cause: string): void {
    if (this.closed || this.paused || this.creating || state === this.lastState) return
    try {
      this.record({ kind: '@@lifecycle', body: { event: 'devtools-state-change', cause }, state }, state)
    } catch (error) {
      this.fault('record', error, null)
    }
  }

  /** Writes an entry that is not an action; with a `state`, the log's state becomes it. */
  record(entry: SpecialEntry, ...state: [unknown?]): void {
    if (this.closed || !this.attached) return
    const hasState = state.length > 0
    const seq = this.push(TURN_NULL, entry, hasState ? F_STATE : 0)
    if (hasState) {
      this.lastState = state[0]
      this.hashes.enqueue(seq, state[0], 'state' in entry)
      // A line with a full state: serialised off the dispatch path before sinks need it.
      if ('state' in entry && this.sinks.length > 0) this.lines.states?.prepare(state[0])
      // (Development: paths that matched no key yet, checked again when a full state is written after an action; named at @@end if still unmatched.)
      if (process.env.NODE_ENV !== 'production' && (entry.kind === '@@end' || (entry.kind === '@@checkpoint' && this.actionCount > 0))) checkRedactLater(this, state[0], entry.kind === '@@end')
    }
  }

  checkpoint(reason: CheckpointReason, state: unknown): void {
    this.record({ kind: '@@checkpoint', state, reason }, state)
  }

  /** A checkpoint of the live state now (resume, snapshot, a sink's request), after a note of a state no entry explains. */
  checkpointNow(reason: CheckpointReason): void {
    if (!this.getState || this.closed || this.paused) return
    const state = this.getState()
    // (Replay restarts from a `resume` checkpoint's state: it needs no note.)
    if (!isRebaseCheckpoint(reason)) this.noticeStateChange(state, 'unrecorded-change')
    this.lastState = state
    this.checkpoint(reason, state)
  }

  private push(turn: number, ref: unknown, flags: number): number {
    // The clock first: a clock fault writes its own @@error entry, which must take its seq before this one.
    const t = this.given ? this.given.t : this.clock.now()
    const ring = this.ring
    this.keep.r = this
    // Trimming serialises and hashes; while either is running, entries go into the ring's slack.
    if (ring.full && !this.collecting && !this.hashes.busy) this.trimForSpace()
    if (ring.overflowing) ring.dropFront(1)
    const seq = ring.nextSeq
    this.anchors.note(seq, this.lastState, this.hashes.stateBytes)
    ring.push(t, turn, ref, flags)
    if (this.sinks.length === 0) this.estimateHeld(seq, ref, flags)
    return seq
  }

  /**
   * Without sinks nothing serialises the entries until the buffer is read, so `maxBytes` is kept
   * on an estimate: the first 8 actions' JSON is measured, then every 32nd; a measured action
   * counts its own size, any other the median of the last 8 measured (so one large action, such as
   * a page of data loaded, is not taken for the size of the actions after it, which trimmed the
   * buffer far below its bound). The buffer is trimmed to the exact bound when it is read.
   */
  private estimateHeld(seq: number, ref: unknown, flags: number): void {
    let n = this.perEntry
    if (flags & F_ACTION && (this.sampled++ < SAMPLES || (this.sampled & 31) === 0)) {
      try {
        // An action over maxEntryBytes (a page of data: 10 MB took ~130 ms to stringify here, on the
        // dispatch path) has a line with its type only; a bounded walk finds it (see Lines.oversized).
        n = jsonSize(ref, this.settings.maxEntryBytes, this.settings.actionRedactor) === 'large' ? OMITTED_LINE : (JSON.stringify(ref)?.length ?? 0) + LINE_OVERHEAD
        const samples = this.samples
        if (samples.length === SAMPLES) samples.shift()
        samples.push(n)
        const sorted = samples.slice().sort((a, b) => a - b)
        this.perEntry = sorted[sorted.length >> 1]
      } catch {
        // Not JSON (a cycle, a BigInt): the line will say so; the median stands.
      }
    }
    n = Math.max(1, Math.round(n))
    this.keepKnownState(n, seq, this.lastState)
    this.ring.measured(seq, n)
    if (this.ring.heldBytes > this.settings.maxBytes && !this.collecting && !this.hashes.busy) this.fitBytes()
  }

  // ---------------------------------------------------------------- the buffer

  /** Makes room by dropping the oldest entries up to the next anchor (a known state). */
  private trimForSpace(): void {
    const target = this.anchors.after(this.ring.firstSeq)
    if (target) return this.trimTo(target.seq)
    // No known state to start from: keep the state before the next entry as a fresh anchor.
    this.collect()
    this.ring.dropFront(this.ring.size)
    this.anchors.reset(this.ring.firstSeq, this.lastState, this.hashes.stateBytes)
  }

  private trimTo(seq: number): void {
    // Sinks must see every entry before the buffer forgets it.
    if (this.sinks.length > 0 && this.collectedSeq < seq - 1) this.collect()
    this.ring.dropFront(seq - this.ring.firstSeq)
    this.anchors.dropBefore(seq)
  }

  clear(): void {
    if (this.sinks.length > 0) this.collect()
    this.hashes.finish()
    this.ring.dropFront(this.ring.size)
    this.anchors.reset(this.ring.firstSeq, this.lastState, this.hashes.stateBytes)
  }

  toJSONL(finalState: boolean): string {
    if (!this.settings.enabled) {
      throw new FlightRecorderError(
        'disabled',
        process.env.NODE_ENV !== 'production'
          ? '[redux-flight-recorder] This recorder was created with `enabled: false`: it records nothing, so it has no log to read.'
          : '[redux-flight-recorder] This recorder is disabled (`enabled: false`).',
      )
    }
    if (!this.attached) {
      throw new FlightRecorderError(
        'no-store',
        process.env.NODE_ENV !== 'production'
          ? '[redux-flight-recorder] The recorder has no store yet: add `recorder.enhancer` to a store before reading its log.'
          : '[redux-flight-recorder] The recorder has no store yet.',
      )
    }
    const ring = this.ring
    if (finalState) {
      const last = ring.size > 0 ? (ring.refs[ring.index(ring.nextSeq - 1)] as SpecialEntry | undefined) : undefined
      if (!(last && last.kind === '@@checkpoint')) this.checkpointNow('snapshot')
    }
    this.hashes.finish()
    for (;;) {
      const lines: string[] = []
      let total = 0
      const first = ring.firstSeq
      for (let seq = first; seq < ring.nextSeq; seq++) {
        const line = lineText(this.lines.entryLine(seq))
        total += line.length + 1
        lines.push(line)
      }
      if (total > this.settings.maxBytes && this.trimToFit(total, (seq) => lines[seq - first].length + 1, ring.nextSeq)) continue
      const anchor = this.anchors.list[0]
      const header = lineText(this.lines.headerLine(ring.firstSeq, anchor ? anchor.state : this.lastState, ring.firstSeq - 1))
      return header + '\n' + (lines.length > 0 ? lines.join('\n') + '\n' : '')
    }
  }

  /**
   * Drops whole anchor spans from the front until the `total` bytes left fit `maxBytes` (or as
   * close to it as a known state at or before `limit` allows); `bytesOf(seq)` is an entry's line.
   * Returns whether anything went.
   */
  private trimToFit(total: number, bytesOf: (seq: number) => number, limit: number): boolean {
    const ring = this.ring
    let cut = -1
    let removed = 0
    for (const anchor of this.anchors.list) {
      if (anchor.seq <= ring.firstSeq) continue
      if (anchor.seq > limit) break
      for (let seq = cut === -1 ? ring.firstSeq : cut; seq < anchor.seq; seq++) removed += bytesOf(seq)
      cut = anchor.seq
      if (total - removed <= this.settings.maxBytes) break
    }
    if (cut === -1) return false
    this.trimTo(cut)
    return true
  }

  // ---------------------------------------------------------------- sinks

  /**
   * Serialises every entry not yet given to sinks into their queues; `hashed`: only those before
   * the first state still waiting for its hash (the rest waits for a later call, instead of being
   * hashed now in one long task).
   */
  collect(hashed = false, preparedOnly = false): void {
    if (this.sinks.length === 0 || !this.attached || this.collecting || this.hashes.busy) return
    if (!hashed) this.hashes.finish()
    this.collecting = true
    try {
      const ring = this.ring
      const from = Math.max(this.collectedSeq + 1, ring.firstSeq)
      let to = Math.min(ring.nextSeq, this.hashes.waitingSeq) - 1
      // `preparedOnly`: up to the first checkpoint whose state is still being serialised in slices;
      // the state before it is its own (a checkpoint holds the state the next entry starts from).
      let before: unknown = NONE
      if (preparedOnly) {
        // The first batch needs the header, whose state is the one being prepared first.
        if (this.collectedSeq === 0 && !this.lines.states!.isReady(this.collectedState)) return
        for (let seq = from; seq <= to; seq++) {
          const i = ring.index(seq)
          const ref = ring.refs[i] as SpecialEntry
          if (ring.flags[i] & F_ACTION || ref.kind !== '@@checkpoint' || this.lines.states!.isReady(ref.state)) continue
          to = seq - 1
          before = ref.state
          break
        }
      }
      if (from > to) return
      const lines: Line[] = []
      let bytes = 0
      let full = 0
      for (let seq = from; seq <= to; seq++) {
        const line = this.lines.entryLine(seq)
        const n = lineText(line).length + 1
        lines.push(line)
        bytes += n
        ring.measured(seq, n)
        const i = ring.index(seq)
        // A checkpoint, a @@lifecycle with a state, @@end: replay can start over from it.
        if (!(ring.flags[i] & F_ACTION) && 'state' in (ring.refs[i] as SpecialEntry)) full = n
      }
      const base = this.collectedState
      this.collectedSeq = to
      this.collectedState = before !== NONE ? before : to === ring.nextSeq - 1 ? this.lastState : this.hashes.stateBeforeWaiting(from, base)
      // So that the buffer can be trimmed close to its bound (see `fitBytes`).
      this.keepKnownState(bytes, to + 1, this.collectedState)
      const sinks = this.sinks
      // Each sink gets its own array (a header may go in front); the last one takes the original.
      for (let k = 0; k < sinks.length; k++) sinks[k].push({ fromSeq: from, base, lines: k === sinks.length - 1 ? lines : lines.slice(), bytes, full })
    } finally {
      this.collecting = false
    }
    this.fitBytes()
  }

  /**
   * Keeps the buffer within `maxBytes` between snapshots: the lines the sinks were given are
   * counted (without sinks, estimated), and once they pass the bound the oldest go, up to the first
   * known state from which the rest fits. Entries the sinks have not been given yet stay.
   */
  private fitBytes(): void {
    const ring = this.ring
    if (ring.heldBytes <= this.settings.maxBytes) return
    this.trimToFit(ring.heldBytes, (seq) => ring.bytes[ring.index(seq)], this.sinks.length > 0 ? this.collectedSeq + 1 : ring.nextSeq)
  }

  /** `bytes` more of lines held: past a quarter of `maxBytes` since the last, `state` (the state before `seq`) is kept as a known state. */
  private keepKnownState(bytes: number, seq: number, state: unknown): void {
    this.sinceAnchor += bytes
    if (this.sinceAnchor < this.settings.maxBytes / 4) return
    this.anchors.insert(seq, state, this.hashes.stateBytes)
    this.sinceAnchor = 0
  }

  private writeRequestedCheckpoint(): void {
    if (this.checkpointRequested && this.getState && !this.closed && !this.paused) {
      this.checkpointRequested = false
      this.checkpointNow('requested')
    }
  }

  tick(): void {
    try {
      if (process.env.NODE_ENV !== 'production' && this.actionCount > 0) checkRedactLater(this, this.lastState)
      // A large checkpoint still being serialised in slices waits a few intervals, not more (written
      // now, it would be serialised at once: a long task); the lines before it go now. (Waiting
      // for no state to be pending wrote nothing at all while checkpoints came often: a busy
      // worker killed lost seconds.) A small state is not waited for.
      // Past WAIT_TICKS, each tick moves the state's text on by up to ADVANCE_MS of its own (slices
      // that get too little time, in a page whose frames leave none idle, would otherwise have it
      // written at once here: 65-80 ms for 10 MB in Chromium), and waits on, up to MAX_WAIT_TICKS.
      // A checkpoint asked for is recorded first, so that it is waited for like any other (recorded
      // after the decision, a 12 MB one was written at once: ~105 ms, the tick after a page of data
      // was loaded).
      this.writeRequestedCheckpoint()
      const states = this.lines.states
      let wait = false
      if (states != null && states.pending > 0) {
        // After a small state written, this one may still be large (the first large one: a page of
        // data loaded): up to ADVANCE_MS of its work now tells (a small one is done by then).
        const lastSmall = states.lastLength >= 0 && states.lastLength < DEFER_FOR_CHARS
        if (lastSmall || this.ticksDeferred >= WAIT_TICKS) states.advance(ADVANCE_MS)
        wait = states.pending > 0 && this.ticksDeferred < MAX_WAIT_TICKS
      }
      this.ticksDeferred = wait ? this.ticksDeferred + 1 : 0
      this.collect(true, wait)
      for (const s of this.sinks) void s.pump()
      if (this.collectedSeq === this.ring.nextSeq - 1 && this.sinks.every((s) => s.idle)) this.keep.r = undefined
    } catch (error) {
      this.fault('sink', error, null)
    }
  }

  async flush(): Promise<void> {
    if (!this.attached) return
    if (this.lines.states?.pending) await this.lines.states.ready()
    this.writeRequestedCheckpoint()
    // Every state recorded so far hashed in slices, then what is hashed collected (not hashed in one task).
    await this.hashes.hashedThrough(this.ring.nextSeq - 1)
    this.collect(true)
    // What the ticks waited for is written: a state that waits next counts its own ticks.
    this.ticksDeferred = 0
    // A sink whose write never settles is waited for at most `sinkTimeoutMs`, then reported.
    const deadline = Date.now() + this.settings.sinkTimeoutMs
    await Promise.all(this.sinks.map((s) => s.flush(deadline)))
  }

  /**
   * `collect()` before everything goes to the sinks at once (the synchronous flush at exit, a
   * sink's `drain()`): losses a queue counted since its last `@@dropped` (which waits for a write to
   * end, and at exit none will) are reported first, and no queue drops lines meanwhile, so the
   * `@@dropped` entries go out with the rest and each sink's log accounts for what it lost. Every
   * queue's, before any is written: another sink's report is in every log.
   */
  collectAll(): void {
    const sinks = this.sinks
    const ending = sinks.map((s) => s.ending)
    try {
      for (const s of sinks) s.ending = true
      for (const s of sinks) s.reportLosses()
      this.collect()
    } finally {
      sinks.forEach((s, k) => (s.ending = ending[k]))
    }
  }

  flushSync(): void {
    if (!this.attached) return
    try {
      this.collectAll()
      for (const s of this.sinks) s.writeSync()
    } catch (error) {
      this.fault('sink', error, null)
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    // Full states still being serialised in slices are finished in slices, not in one task.
    if (this.lines.states?.pending) {
      await this.lines.states.ready()
      if (this.closed) return
    }
    // So are the hashes of every state recorded so far: finish() below has at most a few left.
    if (this.attached) {
      await this.hashes.hashedThrough(this.ring.nextSeq - 1)
      if (this.closed) return
    }
    if (this.attached) {
      this.hashes.finish()
      // Serialise what is pending while faults can still be written into the log.
      this.collect()
      let state = this.lastState
      try {
        if (this.getState) state = this.getState()
      } catch {
        // keep the last recorded state
      }
      // A state no entry explains (DevTools jumped in time since the last action, with no action
      // after it): noted first, as at the next action, so that replay reaches `@@end`'s state.
      this.noticeStateChange(state, 'unrecorded-change')
      // Losses a sink queue counted since its last @@dropped (it waits for a write to end) go in
      // before @@end, and nothing queued is dropped after that (it could not be reported).
      for (const s of this.sinks) {
        s.reportLosses()
        s.ending = true
      }
      // A fault while `@@end` is being recorded (its state cannot be hashed) goes to `onError`
      // only: an entry after `@@end` would make the log unreadable.
      this.ending = true
      try {
        this.record({ kind: '@@end', state, count: this.actionCount }, state)
      } finally {
        this.ending = false
      }
      this.closed = true
      await this.flush()
    }
    this.closed = true
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
    runCleanups(this.cleanups)
    // A sink whose writes did not finish in time (flush() reported it) still gets what is queued
    // for it, as at exit; then each sink's close() is waited for at most `sinkTimeoutMs`.
    const deadline = Date.now() + this.settings.sinkTimeoutMs
    for (const [i, s] of this.sinks.entries()) {
      try {
        if (s.timedOut && s.pending > 0) s.writeSync()
        const closing = s.sink.close?.()
        if (closing && !(await settlesBy(closing, deadline))) {
          this.fault('sink', new Error(`A sink did not close within ${this.settings.sinkTimeoutMs} ms (\`sinkTimeoutMs\`); close() stopped waiting for it.`), null, this.sinkAt(i))
        }
      } catch (error) {
        this.fault('sink', error, null, this.sinkAt(i))
      }
    }
  }

  // ---------------------------------------------------------------- faults

  /** With several sinks, the one at `i` as a fault names it (its place in `sinks`); with one, nothing: the message is as before. */
  private sinkAt(i: number): string | undefined {
    return this.sinks.length > 1 ? `sinks[${i}]` : undefined
  }

  fault(source: FaultSource, error: unknown, seq: number | null, where?: string): void {
    const body = this.faults.report(source, error, seq, where)
    if (!body || this.writingFault || this.closed || this.ending || !this.attached) return
    this.writingFault = true
    try {
      this.record({ kind: '@@error', body })
    } catch {
      // nothing more we can do
    } finally {
      this.writingFault = false
    }
  }
}

/** Outside the class: a closure made in a method shares its context, and with it `this`. */
function flushTimer(ref: WeakRef<Recorder>, keep: { r?: Recorder }, ms: number): ReturnType<typeof setInterval> {
  const timer = setInterval(() => {
    const r = keep.r ?? ref.deref()
    if (r) r.tick()
    else clearInterval(timer)
  }, ms)
  ;(timer as { unref?: () => void }).unref?.()
  return timer
}

const warnedTooLarge = new Set<string>()

/** Development only: once per action type, that its lines hold the type only. */
function warnTooLarge(type: string, bytes: number | null, max: number): void {
  if (warnedTooLarge.has(type) || typeof console === 'undefined') return
  warnedTooLarge.add(type)
  console.warn(
    `[redux-flight-recorder] Action '${type}' is ${bytes === null ? 'more JSON than' : bytes + ' bytes of JSON, over'} \`maxEntryBytes\` (${max}): the log holds its type only, and replay goes on from the next full state without checking the steps in between. Raise \`maxEntryBytes\` to keep such actions.`,
  )
}

/** Development only: per recorder, the actions dispatched, and the JSON of those dispatched again (and whether it warned). */
let reused: WeakMap<object, { seen: WeakMap<object, string | null>; warned: boolean }> | undefined

/**
 * Development only: the first action is recorded. Unless its store is the first one made (React's
 * StrictMode: it made a second store and kept the first), the recorder was applied to another
 * store: said now.
 */
function newStoreUsed(rec: Recorder): void {
  if (rec.newStoreWatch === 2 && rec.generation !== 1) warnNewStore(rec)
  rec.newStoreWatch = undefined
}

/** Development only: once per recorder. */
function warnNewStore(rec: Recorder): void {
  if (rec.warnedNewStore || typeof console === 'undefined') return
  rec.warnedNewStore = true
  console.warn(
    '[redux-flight-recorder] This recorder was applied to another store. It records the newest store from now on (the log restarts from its state) and the earlier store keeps working unrecorded (in development, unless it dispatches before the newest one does: then it is recorded again, as React\'s StrictMode, which builds a store twice in development, needs). That is expected after a hot reload or with a store per test; in server-side rendering, create one recorder per request.',
  )
}

/**
 * Development only (outside the class, so that production builds drop it): an action object
 * dispatched again and changed since is logged, for each of its entries, as it is when the line is
 * written (actions are serialised then, not at dispatch): said once per recorder. An unchanged one
 * (a constant action) is fine.
 */
function noticeReused(recorder: object, action: Action): void {
  const by = (reused ??= new WeakMap())
  let mine = by.get(recorder)
  if (mine === undefined) by.set(recorder, (mine = { seen: new WeakMap(), warned: false }))
  const seen = mine.seen
  if (!seen.has(action)) return void seen.set(action, null)
  let json: string
  try {
    json = JSON.stringify(action)
  } catch {
    return
  }
  const before = seen.get(action)
  seen.set(action, json)
  if (before === null || before === json || mine.warned || typeof console === 'undefined') return
  mine.warned = true
  console.warn(
    `[redux-flight-recorder] The action object '${String(action.type)}' was dispatched again, changed since an earlier dispatch. The log writes an action when its line is written (at the flush, or when the buffer is read), so its entries not yet written hold what the object holds then, and replay may diverge there. Dispatch a new object each time.`,
  )
}

/**
 * Development only: the `redact.state` paths that matched no key of the state yet, checked against
 * `state` (at each flush tick after an action, when the state changed, and at full states written
 * after one): a path that now matches is dropped, one that looks mistaken next to the state's keys
 * now is named (a store that can add slices is first screened here: with `combineSlices`, whose
 * reducer can always inject, waiting for a checkpoint meant warning at close, when nobody reads the
 * console), and at `@@end` (`end`) every path still unmatched is named. (A function, not a
 * method: production builds drop it, and the check with it.)
 */
function checkRedactLater(rec: Recorder, state: unknown, end = false): void {
  const paths = rec.redactLater
  if (!paths || (!end && rec.redactScreened && state === rec.redactSeen)) return
  rec.redactLater = warnUnmatchedRedactPaths(paths, state, rec.settings.serializeState, true, end)
  rec.redactScreened = true
  // (The state is kept only while paths are left to check.)
  rec.redactSeen = rec.redactLater && state
}
