import type { FlightRecorder } from 'redux-flight-recorder'

export interface ProcessLifecycleOptions {
  /**
   * Signals recorded as `@@lifecycle` entries (`{"event":"signal","signal":"SIGTERM"}`). When no
   * listener of the app's is there for a signal (only the recorder's, and signal-exit's), the
   * recorder removes its own and raises the signal again, so the process ends exactly as it would
   * without the recorder. Add `'SIGHUP'` to record a closed terminal.
   * @default ['SIGINT', 'SIGTERM']
   */
  signals?: NodeJS.Signals[]
}

interface Registration {
  recorder: FlightRecorder
  signals: Set<NodeJS.Signals>
}

/**
 * One set of process listeners for every recorder in the process (also across the ESM and CJS
 * copies of this package): with a listener per recorder, each would see "another listener" and
 * none would re-raise the signal. Shared through `globalThis` under a key that names this shape,
 * so a copy of another version (whose shared state may look different) keeps its own; copies that
 * do not share state still agree on who re-raises a signal through `OURS` (see `install`).
 */
interface Shared {
  registrations: Registration[]
  signalHandlers: Map<NodeJS.Signals, () => void>
  onExit: ((code: number) => void) | undefined
  onUncaught: ((error: unknown, origin: string) => void) | undefined
  /** The many-open warning was given (by any copy: the count is shared). */
  warned?: boolean
}

/**
 * What goes on `globalThis`: frozen, never written to; the state that changes is one level down.
 * Jest 30's default `globalsCleanup` redefines the properties of objects left on `globalThis` when
 * a test file ends, and a later write through its setter recursed without end (a signal or a
 * close() after teardown crashed the run), as in src/slices.ts.
 */
interface Holder {
  readonly shape: typeof SHAPE
  readonly s: Shared
}

const SHAPE = 3
const KEY = Symbol.for(`redux-flight-recorder.processLifecycle.${SHAPE}`)
/**
 * Marks a signal listener added by any copy of this package, whatever its version: the one part
 * of the protocol between copies that must never change. A copy re-raises a signal only when every
 * listener for it carries this mark (no app handler) and its own listener is the last of them, so
 * every copy has recorded the signal first and exactly one raises it again.
 */
const OURS = Symbol.for('redux-flight-recorder.signalListener')

let ownState: Shared | undefined

function shared(): Shared {
  const g = globalThis as { [KEY]?: Holder }
  const fresh = (): Shared => ({ registrations: [], signalHandlers: new Map(), onExit: undefined, onUncaught: undefined })
  const found = g[KEY]
  if (found === undefined) {
    const made: Holder = Object.freeze({ shape: SHAPE, s: fresh() })
    g[KEY] = made
    return made.s
  }
  // Something else under our key (it names the shape, so this is not another version): keep our own.
  return found.shape === SHAPE && typeof found.s === 'object' && found.s !== null ? found.s : (ownState ??= fresh())
}

const isOurs = (listener: unknown): boolean => (listener as { [OURS]?: boolean } | null)?.[OURS] === true

/** The signals signal-exit (v3 and v4) listens to: everywhere, then not on Windows, then on Linux. */
const SIGNAL_EXIT_ALL = ['SIGHUP', 'SIGINT', 'SIGTERM']
const SIGNAL_EXIT_POSIX = ['SIGALRM', 'SIGABRT', 'SIGVTALRM', 'SIGXCPU', 'SIGXFSZ', 'SIGUSR2', 'SIGTRAP', 'SIGSYS', 'SIGQUIT', 'SIGIOT']
const SIGNAL_EXIT_LINUX = ['SIGIO', 'SIGPOLL', 'SIGPWR', 'SIGSTKFLT']

/**
 * How many of `others` (listeners for `sig` not the recorder's) are signal-exit's. signal-exit,
 * loaded by many tools (execa, write-file-atomic, ora, ink, foreground-child), plays the same part
 * as the recorder: it re-raises a signal only when every listener is its own. Each seeing the
 * other's listener, neither re-raised, and Ctrl-C no longer ended the process (acceptance, session
 * 35). v3 and v4 count their loaded copies where any copy can read them (v4 counts v3's so); a
 * listener counts only if it reads like theirs (it compares `listeners(sig)` with that count), so
 * an app's listener put where signal-exit's was removed is never taken for it.
 */
function signalExitListeners(sig: NodeJS.Signals, others: readonly Function[]): number {
  const listened = SIGNAL_EXIT_ALL.includes(sig) || (process.platform !== 'win32' && (SIGNAL_EXIT_POSIX.includes(sig) || (process.platform === 'linux' && SIGNAL_EXIT_LINUX.includes(sig))))
  if (!listened) return 0
  const count = (emitter: unknown): number => {
    const n = (emitter as { count?: unknown } | null | undefined)?.count
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0
  }
  const loaded = count((globalThis as Record<symbol, unknown>)[Symbol.for('signal-exit emitter')]) + count((process as unknown as Record<string, unknown>).__signal_exit_emitter__)
  if (loaded === 0) return 0
  let like = 0
  for (const l of others) {
    let text = ''
    try {
      text = Function.prototype.toString.call(l)
    } catch {
      // not a plain function
    }
    if (text.includes('listeners(') && text.includes('count')) like++
  }
  return Math.min(loaded, like)
}

function safely(fn: () => void): void {
  try {
    fn()
  } catch {
    // A lifecycle listener must never add a failure of its own to the one the process has.
  }
}

function errorBody(error: unknown, origin: string): Record<string, unknown> {
  if (error instanceof Error) {
    return { origin, name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) }
  }
  let message: string
  try {
    message = String(error)
  } catch {
    message = 'unknown error'
  }
  return { origin, message }
}

/** Hands every pending line to the sinks synchronously (no timer will run again). */
function flushAll(s: Shared): void {
  for (const r of [...s.registrations]) safely(() => r.recorder.flushSync())
}

/**
 * `record` (the lifecycle entries) between two synchronous flushes: the first writes what is
 * pending with the `@@dropped` of losses a sink queue counted but had not reported yet (it reports
 * them before writing all at once), so the exit, signal or exception entry stays the log's last
 * line (readers tell a process that exited from one that was killed by it), after the whole account.
 */
function endingAll(s: Shared, record: (r: Registration) => void): void {
  flushAll(s)
  for (const r of [...s.registrations]) safely(() => record(r))
  flushAll(s)
}

function install(s: Shared): void {
  if (!s.onExit) {
    s.onExit = (code: number) => {
      // Node gives 'exit' listeners 0 where it then exits with 13 (a top-level await that never
      // settled, Node 20): process.exitCode says the code the process ends with.
      const ends = Number(process.exitCode ?? code)
      endingAll(s, (r) => r.recorder.lifecycle('exit', { code: Number.isInteger(ends) ? ends : code }))
    }
    process.on('exit', s.onExit)
  }
  if (!s.onUncaught) {
    // The monitor observes an uncaught exception (or an unhandled rejection Node turns into one)
    // without handling it: Node still crashes exactly as before. There is deliberately no
    // `unhandledRejection` listener: adding one stops Node from crashing on unhandled rejections.
    s.onUncaught = (error: unknown, origin: string) => endingAll(s, (r) => r.recorder.lifecycle('uncaughtException', errorBody(error, origin)))
    process.on('uncaughtExceptionMonitor', s.onUncaught)
  }
  const wanted = new Set<NodeJS.Signals>()
  for (const r of s.registrations) for (const sig of r.signals) wanted.add(sig)
  for (const sig of wanted) {
    if (s.signalHandlers.has(sig)) continue
    const handler = () => {
      // Who listens, read before anything else runs: this listener comes first (prepended), while
      // an app's `process.once` listener is still there (Node removes one as it calls it: read
      // later, an app that handles the signal looked absent and its shutdown was cut short).
      const listeners = process.listeners(sig)
      endingAll(s, (r) => {
        if (r.signals.has(sig)) r.recorder.lifecycle('signal', { signal: sig })
      })
      // Only recorders listen (this copy's and maybe other copies' of the package), and maybe
      // signal-exit: without them Node would have ended the process with this signal. The last
      // recorder listener steps aside with the others and raises it again, so the exit status
      // (killed by SIGTERM, 143 in a shell) stays the same; signal-exit's listeners, left in
      // place, then see only their own and do the same after their callbacks. An app's own
      // listener means the app decides: no re-raise.
      const ours = listeners.filter(isOurs)
      const others = listeners.filter((l) => !isOurs(l))
      if (ours.length + signalExitListeners(sig, others) === listeners.length && ours[ours.length - 1] === handler) {
        for (const l of ours) process.off(sig, l)
        uninstallAll(s)
        process.kill(process.pid, sig)
      }
    }
    Object.defineProperty(handler, OURS, { value: true })
    s.signalHandlers.set(sig, handler)
    process.prependListener(sig, handler)
  }
}

function uninstallAll(s: Shared): void {
  for (const [sig, handler] of s.signalHandlers) process.off(sig, handler)
  s.signalHandlers.clear()
  if (s.onExit) process.off('exit', s.onExit)
  if (s.onUncaught) process.off('uncaughtExceptionMonitor', s.onUncaught)
  s.onExit = undefined
  s.onUncaught = undefined
  s.registrations = []
}

function refresh(s: Shared): void {
  if (s.registrations.length === 0) {
    uninstallAll(s)
    return
  }
  const wanted = new Set<NodeJS.Signals>()
  for (const r of s.registrations) for (const sig of r.signals) wanted.add(sig)
  for (const [sig, handler] of [...s.signalHandlers]) {
    if (!wanted.has(sig)) {
      process.off(sig, handler)
      s.signalHandlers.delete(sig)
    }
  }
}

const DEFAULT_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']

/**
 * Open recorders with process listeners past which a development warning says that recorders are
 * not being closed: each is held (to record signals and the exit into it) until `close()`, so a
 * server that makes one per request and forgets to close it keeps every request's store.
 */
const MANY_OPEN = 1000

function warnManyOpen(s: Shared): void {
  if (s.warned) return
  s.warned = true
  console.warn(
    `[redux-flight-recorder] ${MANY_OPEN} recorders with process listeners (recordProcessLifecycle, fileSink's default) are open at once. ` +
      'Each stays in memory, with its store, until its close(): a server that makes a recorder per request should close it when the request ends, ' +
      'or pass fileSink(…, { processLifecycle: false }); if that many are really in use at once, ignore this. (Warned once, in development only.)',
  )
}

/**
 * Records the Node process's lifecycle into `recorder` and makes sure the log survives it:
 * SIGINT/SIGTERM become `@@lifecycle` entries (`{"event":"signal","signal":"SIGTERM"}`) and every
 * pending line is written synchronously before the process goes; when no listener of the app's is
 * there for the signal (only the recorder's, and signal-exit's) it removes its own and re-raises
 * it, so the process exits exactly as it would without the recorder. A normal exit writes
 * `{"event":"exit","code":0}` (`process.exitCode` then: 13 after a top-level await that never
 * settled, where Node hands `exit` listeners 0) and flushes synchronously. Uncaught exceptions are
 * observed with `uncaughtExceptionMonitor` (message and stack, the texts under `redact` paths of the
 * state and the last actions replaced); no `unhandledRejection` listener
 * is ever added (that would stop Node from crashing).
 *
 * `fileSink` calls this for you unless its `processLifecycle` option is `false`. Calling it again
 * for the same recorder returns the same dispose function. `recorder.close()` removes everything
 * it added; so does the returned function.
 *
 * @example
 * const recorder = createFlightRecorder({ sinks: [streamSink(process.stdout)] })
 * recordProcessLifecycle(recorder)
 */
export function recordProcessLifecycle(recorder: FlightRecorder, options: ProcessLifecycleOptions = {}): () => void {
  if (!recorder || typeof recorder.lifecycle !== 'function' || typeof recorder.flushSync !== 'function' || typeof recorder.onClose !== 'function') {
    throw new TypeError('[redux-flight-recorder] Expected `recordProcessLifecycle` to receive a recorder from `createFlightRecorder`.')
  }
  const signals = options.signals ?? DEFAULT_SIGNALS
  if (!Array.isArray(signals) || signals.some((s) => typeof s !== 'string' || !s.startsWith('SIG'))) {
    throw new TypeError("[redux-flight-recorder] Expected `signals` to be an array of signal names such as ['SIGINT', 'SIGTERM'].")
  }
  if (recorder.stats().closed) return () => {}
  const s = shared()
  const existing = s.registrations.find((r) => r.recorder === recorder)
  if (existing) {
    for (const sig of signals) existing.signals.add(sig)
    install(s)
    return disposers.get(recorder) ?? (() => {})
  }
  const registration: Registration = { recorder, signals: new Set(signals) }
  s.registrations.push(registration)
  if (process.env.NODE_ENV !== 'production' && s.registrations.length === MANY_OPEN) warnManyOpen(s)
  install(s)
  let disposed = false
  let removeOnClose: () => void = () => {}
  const dispose = () => {
    if (disposed) return
    disposed = true
    disposers.delete(recorder)
    removeOnClose()
    const now = shared()
    now.registrations = now.registrations.filter((r) => r !== registration)
    refresh(now)
  }
  removeOnClose = recorder.onClose(dispose)
  disposers.set(recorder, dispose)
  return dispose
}

const disposers = new WeakMap<FlightRecorder, () => void>()
