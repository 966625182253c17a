import type { Action, Middleware, Reducer } from 'redux'
import { FlightRecorderError, RecorderFaultError } from '../errors'
import { isReduxInit, isReduxReplace } from '../internal/reduxActions'
import { runCleanups } from '../internal/runCleanups'
import { newSessionId } from '../internal/sessionId'
import { redactsMetaTurn, validateRedactPaths } from '../redact'
import { Clock } from './clock'
import { expectString } from './api'
import { createEnhancer, warnWithoutEnhancer, type EnhancerHost } from './enhancer'
import { validate } from './options'
import type { Recorder } from './recorder'
import { TURN_EXPLICIT } from './ring'
import { Turns } from './turns'
import type { FlightRecorder, FlightRecorderOptions, RecorderStats } from './types'

type Core = typeof import('./recorder-core')

/** The options of a recorder from 'redux-flight-recorder/lazy': the root entry's, but `devtools`. */
export type LazyFlightRecorderOptions = Omit<FlightRecorderOptions, 'devtools'>

/** A recorder from 'redux-flight-recorder/lazy': a `FlightRecorder` whose core loads after the page. */
export interface LazyFlightRecorder extends FlightRecorder {
  /**
   * Resolves once the recorder's core (loaded when the recorder is created) has arrived and taken
   * over what was recorded before it: from then on `snapshot()`, `toJSONL()` and `flushSync()` work
   * as with `createFlightRecorder` from 'redux-flight-recorder'. Resolves too when the core could
   * not be loaded (`onError` heard why; reading the log then throws `core-failed`) and at once for
   * a disabled recorder.
   */
  ready(): Promise<void>
}

const isThenable = (v: unknown): v is PromiseLike<unknown> => typeof (v as { then?: unknown } | null)?.then === 'function'

/** The core once it has arrived: every recorder created after that is complete at once (nothing queued). */
let coreModule: Core | undefined
let coreLoading: Promise<Core> | undefined

function loadCore(): Core | Promise<Core> {
  if (coreModule) return coreModule
  if (coreLoading) return coreLoading
  // (The CommonJS build requires the chunk synchronously: a module, not a promise.)
  const got = import('./recorder-core.js') as unknown as Core | Promise<Core>
  if (!isThenable(got)) return (coreModule = got)
  return (coreLoading = Promise.resolve(got).then(
    (m) => (coreModule = m),
    (error: unknown) => {
      coreLoading = undefined
      throw error
    },
  ))
}

/**
 * Loads the recorder's core ahead of time. Once it has resolved, every recorder created is complete
 * at once: `snapshot()` and `toJSONL()` work right after a dispatch, as with the root entry's
 * `createFlightRecorder`. For a test setup file, or an app that wants its log readable from the
 * first action. It never rejects: when the core cannot be loaded (offline, a deploy that removed
 * the chunk) it resolves all the same, and each recorder created later tries again and reports the
 * failure through its `onError`.
 *
 * @example
 * // vitest.setup.ts
 * import { preloadFlightRecorder } from 'redux-flight-recorder/lazy'
 * await preloadFlightRecorder()
 */
export function preloadFlightRecorder(): Promise<void> {
  // Never rejects, so `await preloadFlightRecorder()` at an app's start cannot stop it: a core that
  // could not be loaded is tried again by each recorder, whose `onError` hears it.
  return Promise.resolve(loadCore()).then(
    () => {},
    () => {},
  )
}

/** What happened before the core arrived, handed to it in order. */
type Queued = (rec: Recorder, calls: FlightRecorder) => void

/**
 * Creates a recorder whose core (hashing, serialising, the buffer, sink queues: ~22.5 KB gzipped)
 * is a chunk of its own, loaded when the recorder is created (the ~4.4 KB full-state writer
 * follows it), so that what an app's page loads at start for recording stays small: ~8 KB
 * gzipped with a browser sink, against ~28 KB with the root entry. Until the core arrives (a few
 * milliseconds to one request later), what the store does is queued by reference, with its time
 * and turn, and handed to the core as it happened; the log is the same. Differences from `createFlightRecorder` from
 * 'redux-flight-recorder', until `ready()` has resolved: `snapshot()` and `toJSONL()` throw
 * `FlightRecorderError` `not-ready`, `flushSync()` hands nothing over (a page left in those first
 * moments loses what was queued), and `stats()` counts only entries, actions and turns (`bytes` is 0). The
 * `devtools` option is not supported (it throws): use the root entry's for a store with Redux
 * DevTools' instrument. Redaction paths are checked at creation in development (an invalid one
 * throws, as with the root entry); in a production build the core checks them when it arrives,
 * and refuses invalid ones: nothing is recorded, and `onError` hears why (a `RecorderFaultError`
 * whose `cause` names the path).
 *
 * @example
 * import { createFlightRecorder } from 'redux-flight-recorder/lazy'
 * import { indexedDbSink, recordPageLifecycle } from 'redux-flight-recorder/browser'
 * const recorder = createFlightRecorder({ sinks: [indexedDbSink({ name: 'shop' })] })
 * recordPageLifecycle(recorder)
 */
export function createFlightRecorder(options?: LazyFlightRecorderOptions | null): LazyFlightRecorder {
  const o: FlightRecorderOptions = options ?? {}
  if (process.env.NODE_ENV !== 'production') validate(o)
  if (o.devtools !== undefined) {
    throw new TypeError(
      process.env.NODE_ENV !== 'production'
        ? "[redux-flight-recorder] The `devtools` option is not supported by 'redux-flight-recorder/lazy' (Redux DevTools' instrument needs the recorder's core when the store is made). Import `createFlightRecorder` from 'redux-flight-recorder' for such a store."
        : "[redux-flight-recorder] 'redux-flight-recorder/lazy' does not support `devtools`.",
    )
  }
  // Redaction paths are checked here in development, as the root entry checks them; in production
  // by the core when it arrives (a path that matches nothing would leak: it refuses them, nothing
  // is recorded and `onError` hears why), which keeps the path parser off the page. A redacted
  // `meta.turn` must not become an entry's turn before the core arrives.
  if (process.env.NODE_ENV !== 'production') {
    validateRedactPaths(o.redact?.state, 'redact.state')
    validateRedactPaths(o.redact?.actions, 'redact.actions')
  }
  const enabled = o.enabled ?? true
  const actionPaths: unknown = o.redact?.actions
  const turns = new Turns(o.turns, Array.isArray(actionPaths) && redactsMetaTurn(actionPaths.filter((p): p is string => typeof p === 'string')))
  let core: Recorder | undefined
  let calls: FlightRecorder | undefined
  let queue: Queued[] | undefined = []
  let failed: unknown
  const counts = { entries: 0, actions: 0 }
  const cleanups = new Set<() => void>()
  let getState: (() => unknown) | undefined
  /** close() was called before the core arrived: the core closes once it has what was queued. */
  let closeRequested = false
  let creating = false
  let generation = 0
  let stores = 0
  // (Before the core, the fault is queued with the time of the reading that failed, as the root
  // entry's recorder writes it.)
  const clock = new Clock(o.clock, (message) => {
    const write = (r: Recorder) => r.fault('clock', new Error(message), null)
    const r = core ?? arriving
    if (r) write(r)
    else later(write)
  })
  /** The core taking over the queue (`arrive`): what faults meanwhile goes to it directly. */
  let arriving: Recorder | undefined

  // The queue holds what the ring would (`maxEntries`); past that, reducer calls, marks and
  // lifecycle events are counted and not kept, so a core whose request hangs costs bounded memory.
  // The core says how many went (a `record` fault), and notes the state it then finds (replay goes on from it).
  const maxQueued = Math.max(1, Math.floor(o.maxEntries ?? 10_000))
  let held = 0
  let skipped = 0
  /**
   * Queues `f` with the time and turn of now; an entry (`entry`) only while the queue has room.
   * Returns whether it was queued.
   */
  const later = (f: Queued, turn = 0, entry = false): boolean => {
    if (!queue) return false
    if (entry && held++ >= maxQueued) return (skipped++, false)
    const t = shell.attached ? clock.now() : 0
    queue.push((r, c) => {
      r.given = { t, turn }
      try {
        f(r, c)
      } finally {
        r.given = undefined
      }
    })
    return true
  }

  const shell: EnhancerHost & { attached: boolean; paused: boolean } = {
    settings: { enabled },
    get closed() {
      return core ? core.closed : ended
    },
    get creating() {
      return core ? core.creating : creating
    },
    set creating(v: boolean) {
      if (core) core.creating = v
      else creating = v
    },
    warnedClosed: false,
    warnedTwice: false,
    get generation() {
      return core ? core.generation : generation
    },
    attached: false,
    paused: false,
    beginStore() {
      shell.attached = true
      clock.start()
      if (core) return core.beginStore()
      later((r) => r.beginStore())
      return (generation = ++stores)
    },
    follow(g: number, read: () => unknown, state: unknown) {
      if (process.env.NODE_ENV === 'production') return false
      if (core) return core.follow(g, read, state)
      if (shell.closed || !queue) return false
      generation = g
      getState = read
      later((r) => r.follow(g, read, state))
      return true
    },
    onReduce(prev: unknown, action: Action, next: unknown, reducer: Reducer, threw?: { error: unknown }) {
      if (core) return core.onReduce(prev, action, next, reducer, threw)
      if (shell.closed || creating || !queue) return
      // The turn is taken now, as the recorder would take it (the core writes it).
      // Past the queue's room nothing is kept, and no turn is taken (a number no entry has).
      if (held >= maxQueued) return void skipped++
      let turn = 0
      let isAction = false
      try {
        const type = action.type
        if (!shell.paused && !isReduxInit(type) && !isReduxReplace(type)) {
          turn = turns.named(action) ? TURN_EXPLICIT : turns.entryTurn()
          isAction = true
        }
      } catch {
        // (the core reports an action it cannot read)
      }
      // (Counted where kept: `stats()` says what the log will hold.)
      if (later((r) => r.onReduce(prev, action, next, reducer, threw), turn, true) && isAction) {
        counts.actions++
        counts.entries++
      }
    },
    onReplaceThrew(state: unknown) {
      if (core) return core.onReplaceThrew(state)
      if (!shell.closed && !creating) later((r) => r.onReplaceThrew(state))
    },
    storeCreated(read: () => unknown) {
      getState = read
      if (core) {
        if (process.env.NODE_ENV !== 'production') core.slicesLater = shell.slicesLater
        return core.storeCreated(read)
      }
      // The state of now, not of when the core arrives.
      const state = read()
      later((r) => {
        if (process.env.NODE_ENV !== 'production') r.slicesLater = shell.slicesLater
        let first = true
        r.storeCreated(() => (first ? ((first = false), state) : read()))
      })
    },
  }

  // Disabled, the middleware hands back `next` itself: nothing at all on the dispatch path.
  let middleware: Middleware = enabled ? turns.middleware : () => (next) => next
  if (process.env.NODE_ENV !== 'production' && enabled) middleware = warnWithoutEnhancer(shell, middleware)

  const unreadable = (what: string): never => {
    if (!enabled) {
      throw new FlightRecorderError(
        'disabled',
        process.env.NODE_ENV !== 'production'
          ? '[redux-flight-recorder] This recorder was created with `enabled: false`: it records nothing, so it has no log to read.'
          : '[redux-flight-recorder] This recorder is disabled (`enabled: false`).',
      )
    }
    if (failed !== undefined) throw new FlightRecorderError('core-failed', `[redux-flight-recorder] The recorder's core could not be loaded, or refused the options${process.env.NODE_ENV !== 'production' ? ', so there is no log to read' : ''}.`, { cause: failed })
    throw new FlightRecorderError(
      'not-ready',
      process.env.NODE_ENV !== 'production'
        ? `[redux-flight-recorder] recorder.${what}() was called before the recorder's core (loaded when the recorder is created) arrived, so the log cannot be read yet. Await \`recorder.ready()\` first, or \`preloadFlightRecorder()\` before creating the recorder.`
        : `[redux-flight-recorder] recorder.${what}() was called before the recorder's core arrived.`,
    )
  }

  /** Closed with no core to close (disabled, or it could not be loaded): cleanups ran. */
  let ended = false
  const endWithoutCore = () => {
    if (ended) return
    ended = true
    runCleanups(cleanups)
  }
  /** A mark or lifecycle event before the core arrived (its name checked now, in development). */
  const queueEntry = (what: string, name: string, f: (calls: FlightRecorder) => void): void => {
    if (process.env.NODE_ENV !== 'production') expectString(what, name)
    if (shell.closed) return
    if (later((_, c) => f(c), 0, true) && shell.attached) counts.entries++
  }
  let ready: Promise<void> = Promise.resolve()
  /** The core's close(), started when it arrived after close() was called. */
  let closing: Promise<void> | undefined
  const api: LazyFlightRecorder = {
    enhancer: createEnhancer(shell),
    middleware,
    session: newSessionId(),
    ready: () => ready,
    flush: () => (calls ? calls.flush() : ready.then(() => calls?.flush())),
    flushSync: () => calls?.flushSync(),
    snapshot: (opts) => (calls ? calls.snapshot(opts) : unreadable('snapshot')),
    toJSONL: (opts) => (calls ? calls.toJSONL(opts) : unreadable('toJSONL')),
    mark: (label, body) => (calls ? calls.mark(label, body) : queueEntry('mark label', label, (c) => c.mark(label, body))),
    lifecycle: (event, body) => (calls ? calls.lifecycle(event, body) : queueEntry('lifecycle event', event, (c) => c.lifecycle(event, body))),
    pause: () => {
      if (calls) return calls.pause()
      shell.paused = true
      later((_, c) => c.pause())
    },
    resume: () => {
      if (calls) return calls.resume()
      if (!shell.paused) return
      shell.paused = false
      // The checkpoint holds the state of now.
      const state = getState?.()
      later((r, c) => {
        const real = r.getState
        if (real) r.getState = () => state
        try {
          c.resume()
        } finally {
          r.getState = real
        }
      })
    },
    clear: () => {
      if (calls) return calls.clear()
      later((_, c) => c.clear())
    },
    close: () => {
      if (calls) return calls.close()
      // No core will close it: the hooks given to onClose (recordPageLifecycle's listeners) go now.
      if (!enabled || failed !== undefined) return Promise.resolve(endWithoutCore())
      // As the root entry's close(), which finishes pending work first: what the store does until
      // the log ends is recorded (queued here), and `@@end` holds the state then.
      closeRequested = true
      return ready.then(() => closing ?? calls?.close())
    },
    stats: (): RecorderStats =>
      calls ? calls.stats() : { entries: counts.entries, actions: counts.actions, turns: turns.count, buffered: counts.entries, bytes: 0, dropped: 0, sinkErrors: 0, enabled, paused: shell.paused, closed: shell.closed || failed !== undefined },
    onClose: (cleanup) => {
      if (calls) return calls.onClose(cleanup)
      cleanups.add(cleanup)
      return () => {
        cleanups.delete(cleanup)
      }
    },
  }

  const arrive = (m: Core): void => {
    const started = m.startCore(o, { session: api.session, clock, turns }, api)
    const pending = queue ?? []
    queue = undefined
    arriving = started.rec
    // One queued call that throws (a lifecycle body whose keys cannot be read) is a fault of the
    // log, as it would have been a throw to its caller with the root entry: the core goes on (its
    // sinks are attached by then, and only it closes them).
    for (const f of pending) {
      try {
        f(started.rec, started.calls)
      } catch (error) {
        started.rec.fault('record', error, null)
      }
    }
    if (skipped > 0) {
      started.rec.fault(
        'record',
        new Error(
          process.env.NODE_ENV !== 'production'
            ? `${skipped} reducer calls, marks or lifecycle events came before the recorder's core arrived, past the ${maxQueued} \`maxEntries\` it queues, and are not in the log; it goes on from the state the store has now.`
            : `${skipped} entries before the core arrived are not in the log.`,
        ),
        null,
      )
    }
    for (const cleanup of cleanups) started.calls.onClose(cleanup)
    cleanups.clear()
    core = started.rec
    calls = started.calls
    arriving = undefined
    if (closeRequested) closing = calls.close()
  }
  const fail = (error: unknown): void => {
    failed = error
    queue = undefined
    if (closeRequested) endWithoutCore()
    const fault = new RecorderFaultError('record', `[redux-flight-recorder] The recorder's core could not be loaded, or refused the options${process.env.NODE_ENV !== 'production' ? ', so nothing is recorded' : ''}.`, null, { cause: error })
    try {
      if (o.onError) o.onError(fault)
      else if (typeof console !== 'undefined') console.error(fault)
    } catch {}
  }

  if (enabled) {
    let loaded: Core | Promise<Core>
    try {
      loaded = loadCore()
    } catch (error) {
      loaded = Promise.reject(error)
    }
    if (isThenable(loaded)) {
      ready = loaded.then(arrive).then(undefined, fail)
    } else {
      // (Options the core refuses, e.g. a redaction path in production, go to `onError` as when
      // it arrives later: not a throw at creation.)
      try {
        arrive(loaded)
      } catch (error) {
        fail(error)
      }
    }
  }
  return api
}
