/** The IndexedDB layout shared by `indexedDbSink` and `loadFromIndexedDb`. */
import { realClearTimeout, realSetTimeout } from '../internal/realTimers'

export const DB_VERSION = 1
export const SESSIONS = 'sessions'
export const CHUNKS = 'chunks'

export interface SessionRecord {
  session: string
  /** Epoch milliseconds. */
  startedAt: number
  updatedAt: number
  closed: boolean
  endedBy: 'close' | 'pagehide' | null
  /** Bytes stored for this session. */
  bytes: number
  /** The last seq stored. */
  lastSeq: number
  nextChunk: number
  /**
   * Writes that failed while recording (a full quota), and the last one's error name; stored with
   * the next write that succeeds. Absent in records of older versions.
   */
  failed?: number
  failedWith?: string
}

export interface ChunkRecord {
  session: string
  /** Order within the session. */
  n: number
  /** JSONL, each line ending with `\n`: a Blob when it held a large state in parts (never in the journal). */
  text: string | Blob
  bytes: number
  /** The text starts with a header line (the session's first chunk, or the start of a new segment). */
  header: boolean
}

/** How long (ms) opening the database may take before it is given up (see `openDatabase`). */
export const OPEN_MS = 5000

export function databaseName(name: string): string {
  return `redux-flight-recorder:${name}`
}

/**
 * `unavailable`: what the caller cannot do without IndexedDB, ending the message when there is
 * none (a sink: the session is not stored; a read: nothing is loaded).
 */
export function openDatabase(name: string, factory: IDBFactory | undefined, unavailable: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (!factory || typeof factory.open !== 'function') {
      reject(new Error(`[redux-flight-recorder] IndexedDB is not available here (no \`indexedDB\`); ${unavailable}.`))
      return
    }
    let request: IDBOpenDBRequest
    try {
      request = factory.open(databaseName(name), DB_VERSION)
    } catch (error) {
      reject(error)
      return
    }
    request.onupgradeneeded = () => {
      const db = request.result
      if (!db.objectStoreNames.contains(SESSIONS)) db.createObjectStore(SESSIONS, { keyPath: 'session' })
      if (!db.objectStoreNames.contains(CHUNKS)) db.createObjectStore(CHUNKS, { keyPath: ['session', 'n'] })
    }
    // An open that never answers (Safari's first open can hang) is given up after OPEN_MS, so the
    // sink reports it and a reader rejects instead of waiting for ever. A late answer is closed: a
    // connection left open would block `deleteFromIndexedDb` in every tab.
    // (A real timer also under a test's fake timers: advancing a faked clock past OPEN_MS before a
    // fake IndexedDB, answering on real time, had opened gave the database up.)
    let late = false
    const timer = realSetTimeout(() => {
      late = true
      reject(new Error(`[redux-flight-recorder] IndexedDB did not open within ${OPEN_MS / 1000} s; ${unavailable}.`))
    }, OPEN_MS)
    request.onsuccess = () => {
      realClearTimeout(timer)
      if (late) request.result.close()
      else resolve(request.result)
    }
    request.onerror = () => {
      realClearTimeout(timer)
      reject(
        new Error(
          process.env.NODE_ENV !== 'production'
            ? `[redux-flight-recorder] Could not open the IndexedDB database ${JSON.stringify(databaseName(name))}: ${request.error?.message ?? 'unknown error'}.`
            : `[redux-flight-recorder] IndexedDB did not open: ${request.error?.message}`,
          { cause: request.error },
        ),
      )
    }
    request.onblocked = () => {
      // An older connection in another tab; it closes on `versionchange`.
    }
  })
}
