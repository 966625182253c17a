import type { Recording } from 'redux-flight-recorder'
import { parseRecording } from '../format/index.js'
import { INCOMPLETE } from '../format/types'
import { globalIndexedDb } from './env'
import { CHUNKS, SESSIONS, openDatabase, type ChunkRecord, type SessionRecord } from './idb'
import { applyJournal, readJournal, type JournalEntry } from './journal'

/** A session stored by `indexedDbSink`. */
export interface StoredSession {
  session: string
  /** When the session started (RFC 3339). */
  startedAt: string
  /** When its last lines were stored (RFC 3339). */
  updatedAt: string
  /** The recorder was closed: the log ends with `@@end`. */
  closed: boolean
  /**
   * How the session ended: `'close'` (`recorder.close()`), `'pagehide'` (the page was left,
   * reloaded or closed, and the lines up to that moment were stored, except those pending at page
   * hide beyond the `localStorage` journal's quota: `recording.warnings` then has a gap), or
   * `null` — still open in another tab, or the page crashed or was killed (or closed with more
   * pending than the journal holds), in which case what was recorded after the last flush is
   * missing.
   */
  endedBy: 'close' | 'pagehide' | null
  /** The last seq stored. */
  lastSeq: number
  /** Bytes of JSONL stored. */
  bytes: number
  /** The log, read tolerantly; `warnings` says when the session did not close. */
  recording: Recording
}

export interface LoadFromIndexedDbOptions {
  /** Only this session. */
  session?: string
  /** The IndexedDB factory; for tests. @default globalThis.indexedDB */
  indexedDB?: IDBFactory
  /**
   * Called for each stored session that cannot be read (its log does not parse, or a chunk was
   * stored without its contents, as fake-indexeddb does with a Blob under jsdom), with the error
   * saying why. Such a session is left out of the result; the others are read as usual.
   */
  onUnreadable?: (error: Error, session: string) => void
}

/**
 * Reads the sessions an `indexedDbSink({ name })` stored, newest first. The list includes the
 * session recording now, if any: compare with `recorder.session`. Lines a page wrote while it was
 * being left, whose IndexedDB transaction did not complete (they wait in `localStorage` until the
 * next sink of this store starts), are included. Rejects when the database cannot be opened,
 * and when opening it has no answer within 5 s (Safari's first open of a page can hang).
 *
 * @example
 * const sessions = await loadFromIndexedDb('shop')
 * const previous = sessions.find((s) => s.session !== recorder.session)
 * if (previous) downloadRecording(previous.recording)
 */
export async function loadFromIndexedDb(name: string, options: LoadFromIndexedDbOptions = {}): Promise<StoredSession[]> {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`[redux-flight-recorder] Expected the \`name\` given to indexedDbSink. Instead, received: ${name === '' ? 'an empty string' : typeof name}.`)
  }
  const db = await openDatabase(name, options.indexedDB ?? globalIndexedDb(), 'nothing can be loaded')
  try {
    const loaded = await new Promise<{ sessions: SessionRecord[]; chunks: Map<string, ChunkRecord[]> }>((resolve, reject) => {
      const tx = db.transaction([SESSIONS, CHUNKS], 'readonly')
      const chunkStore = tx.objectStore(CHUNKS)
      const out = new Map<string, ChunkRecord[]>()
      let sessions: SessionRecord[] = []
      const request = options.session === undefined ? tx.objectStore(SESSIONS).getAll() : tx.objectStore(SESSIONS).getAll(options.session)
      request.onsuccess = () => {
        sessions = request.result as SessionRecord[]
        for (const s of sessions) {
          const read = chunkStore.getAll(IDBKeyRange.bound([s.session, -Infinity], [s.session, Infinity]))
          read.onsuccess = () => out.set(s.session, read.result as ChunkRecord[])
        }
      }
      tx.oncomplete = () => resolve({ sessions, chunks: out })
      tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('[redux-flight-recorder] Reading IndexedDB failed.'))
    })
    const chunks = loaded.chunks
    // Read after the transaction: an entry whose transaction committed meanwhile is one the stored
    // session has reached, and applyJournal skips it.
    const journal = new Map<string, JournalEntry[]>()
    for (const { entry } of readJournal(name)) journal.set(entry.chunk.session, [...(journal.get(entry.chunk.session) ?? []), entry])
    const sessions = loaded.sessions.map((stored) => {
      const applied = applyJournal(stored, chunks.get(stored.session) ?? [], journal.get(stored.session) ?? [])
      chunks.set(stored.session, applied.chunks)
      return applied.session
    })
    sessions.sort((a, b) => b.startedAt - a.startedAt || b.updatedAt - a.updatedAt)
    const result: StoredSession[] = []
    for (const s of sessions) {
      const list = chunks.get(s.session) ?? []
      if (list.length === 0) continue // registered, but nothing was written yet
      // One session that cannot be read leaves the others readable: it is left out, and said.
      let recording: Recording
      try {
        await readBlobs(s, list)
        recording = readChunks(s, list)
      } catch (error) {
        options.onUnreadable?.(error instanceof Error ? error : new Error(String(error)), s.session)
        continue
      }
      result.push({
        session: s.session,
        startedAt: new Date(s.startedAt).toISOString(),
        updatedAt: new Date(s.updatedAt).toISOString(),
        closed: s.closed,
        endedBy: s.endedBy ?? null,
        // What the chunks hold, not what the record counted: a write that failed (a full quota)
        // after a later one was issued left its bytes and seqs in the record that one stored.
        lastSeq: recording.end?.seq ?? recording.entries[recording.entries.length - 1]?.seq ?? s.lastSeq,
        bytes: list.reduce((n, c) => n + (typeof c.bytes === 'number' ? c.bytes : 0), 0),
        recording,
      })
    }
    return result
  } finally {
    db.close()
  }
}

/** Chunks stored as a Blob (a large state), read back as text. */
async function readBlobs(session: SessionRecord, list: ChunkRecord[]): Promise<void> {
  for (const c of list) {
    if (typeof c.text === 'string') continue
    const blob = c.text as Partial<Blob> | null
    if (!blob || typeof blob.text !== 'function') {
      throw new Error(
        `[redux-flight-recorder] The stored session ${session.session} cannot be read: its chunk ${c.n} is neither text nor a Blob (as fake-indexeddb stores a Blob under jsdom).`,
      )
    }
    c.text = await blob.text()
  }
}

function readChunks(session: SessionRecord, list: ChunkRecord[]): Recording {
  let text = ''
  for (let i = 0; i < list.length; i++) {
    const chunk = list[i]
    // A later segment starts with a header of its own; the log read from the first segment goes on
    // without it.
    const t = chunk.text as string
    text += i > 0 && chunk.header ? t.slice(t.indexOf('\n') + 1) : t
  }
  let recording: Recording
  try {
    recording = parseRecording(text, { strict: false })
  } catch (error) {
    throw new Error(`[redux-flight-recorder] The stored session ${session.session} cannot be read: ${(error as Error).message}`, { cause: error })
  }
  const missing = recording.warnings.some((w) => INCOMPLETE.test(w))
  if (missing && session.failed) {
    recording.warnings.push(
      `${session.failed === 1 ? 'A write' : `${session.failed} writes`} to IndexedDB failed while recording (${session.failedWith ?? 'an error'}${session.failedWith === 'QuotaExceededError' ? ': the storage quota was full' : ''}): the entries missing (above) were lost there.`,
    )
  }
  if (!session.closed) {
    recording.warnings.push(
      session.endedBy === 'pagehide'
        ? `The session did not close; the page was hidden or left after seq ${session.lastSeq}, ${
            !missing ? 'and everything up to then was stored' : session.failed ? 'and entries before it are missing (above)' : 'and entries before it are missing (above): what was pending when the page was left was not all stored'
          }.`
        : // (Also a page left while the journal could not be written: its entry and the record saying so died with the page.)
          `The session did not close (no @@end); it is still open elsewhere, or the page crashed, or it was left with lines pending that the \`localStorage\` journal could not take (full or refusing writes), and what was recorded after seq ${session.lastSeq} is missing.`,
    )
  }
  return recording
}
