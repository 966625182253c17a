import type { FlightRecorder } from 'redux-flight-recorder'
import { listen, pageDocument, pageWindow, workerScope } from './env'

export interface RecordPageLifecycleOptions {
  /**
   * Hands every pending line to sinks synchronously (`recorder.flushSync()`) when the page is hidden
   * or left, the last moment a page is sure to run code.
   * @default true
   */
  flushOnHide?: boolean
  /** Record uncaught errors and unhandled promise rejections. @default true */
  errors?: boolean
}

/** Development only: recordPageLifecycle in a worker said what it cannot record. */
let warnedWorker = false

/** Longest `stack` written; deeper frames add little to a bug report. */
const MAX_STACK = 4000

/**
 * Writes `@@lifecycle` entries for what happens to the page: `pagehide` (with `persisted`),
 * `visibilitychange` (with `state`), `online`, `offline`, uncaught `error` and
 * `unhandledrejection` (message, name, stack, and for errors the script position; in the message
 * and stack, the texts under `redact` paths of the state and the last actions are replaced), and flushes
 * sinks synchronously when the page is hidden. Returns a function that removes the listeners; they
 * are also removed by `recorder.close()`. In a Web Worker it records the worker's uncaught errors,
 * unhandled rejections, `online` and `offline` (a worker has no page lifecycle: in development it
 * says so once). Elsewhere (Node, server-side rendering) it does nothing.
 *
 * @example
 * const stop = recordPageLifecycle(recorder)
 */
export function recordPageLifecycle(recorder: FlightRecorder, options: RecordPageLifecycleOptions = {}): () => void {
  if (process.env.NODE_ENV !== 'production' && (!recorder || typeof recorder.lifecycle !== 'function' || typeof recorder.onClose !== 'function')) {
    throw new TypeError('[redux-flight-recorder] Expected a recorder from createFlightRecorder() as the first argument of recordPageLifecycle.')
  }
  const win = pageWindow()
  const doc = pageDocument()
  // In a worker (a store run off the main thread): its own uncaught errors, unhandled rejections,
  // online and offline. It has no page lifecycle: the page that started it sees that.
  const scope = win ?? workerScope()
  if (!scope) return () => {}
  if (process.env.NODE_ENV !== 'production' && !win && !warnedWorker) {
    warnedWorker = true
    console.warn(
      "[redux-flight-recorder] recordPageLifecycle in a worker records the worker's uncaught errors, unhandled rejections, `online` and `offline`; a worker has no page lifecycle (`pagehide`, `visibilitychange`), so nothing flushes the sinks when the page is left. Flush from the page: post a message to the worker on its `pagehide` that calls `recorder.flushSync()`. (Warned once.)",
    )
  }
  const flushOnHide = options.flushOnHide ?? true
  const errors = options.errors ?? true

  // The recorder must never break the page: a failure here is swallowed.
  const record = (event: string, body?: Record<string, unknown>) => {
    try {
      recorder.lifecycle(event, body)
    } catch {
      // no store yet, or closed
    }
  }
  const flush = () => {
    if (!flushOnHide) return
    try {
      recorder.flushSync()
    } catch {
      // a sink failed; the recorder reported it
    }
  }

  // pagehide and visibilitychange are recorded before the sinks' own listeners write what is
  // pending, whichever was set up first (rank 1, after the sinks mark the page as leaving: see
  // `listen`). Closing a tab, Chromium stops the page about half a second after the close request,
  // also in the middle of those listeners when a burst was pending: what the sinks write first then
  // holds the page's last entry.
  const bindings: Parameters<typeof listen>[0] = [
    [
      win,
      'pagehide',
      (event: { persisted?: boolean }) => {
        record('pagehide', { persisted: event.persisted === true })
        flush()
      },
      1,
    ],
    [win, 'pageshow', (event: { persisted?: boolean }) => event.persisted && record('pageshow', { persisted: true })],
    [
      doc,
      'visibilitychange',
      () => {
        const state = doc?.visibilityState ?? 'unknown'
        record('visibilitychange', { state })
        if (state === 'hidden') flush()
      },
      1,
    ],
    [scope, 'online', () => record('online')],
    [scope, 'offline', () => record('offline')],
  ]
  if (errors) {
    bindings.push(
      [scope, 'error', (event: ErrorEvent) => record('error', errorBody(event.error, event))],
      [scope, 'unhandledrejection', (event: PromiseRejectionEvent) => record('unhandledrejection', errorBody(event.reason))],
    )
  }
  const unlisten = listen(bindings)
  // The package's listeners run from one real listener, added when the first of them was (with the
  // store): a pagehide listener the app added since runs after it, so what it dispatches is flushed
  // by this one, added after (nothing to write: nothing done).
  win?.addEventListener('pagehide', flush)
  const stop = () => {
    unlisten()
    win?.removeEventListener('pagehide', flush)
  }
  const removeCleanup = recorder.onClose(stop)
  return () => {
    stop()
    removeCleanup()
  }
}

function errorBody(error: unknown, event?: ErrorEvent): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  if (error instanceof Error || (error !== null && typeof error === 'object' && 'message' in error)) {
    const e = error as { name?: unknown; message?: unknown; stack?: unknown }
    body.name = typeof e.name === 'string' ? e.name : 'Error'
    body.message = String(e.message)
    if (typeof e.stack === 'string') body.stack = e.stack.slice(0, MAX_STACK)
  } else if (event) {
    // A cross-origin script without CORS reports only "Script error." and no error object.
    body.message = event.message
  } else {
    body.message = safeString(error)
  }
  if (event) {
    if (body.message === undefined || body.message === '') body.message = event.message
    if (event.filename) body.source = event.filename
    if (event.lineno) body.line = event.lineno
    if (event.colno) body.column = event.colno
  }
  return body
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)
  } catch {
    try {
      return String(value)
    } catch {
      return 'unserialisable value'
    }
  }
}
