import type { Sink, SinkContext } from 'redux-flight-recorder'
import { blobInSlices, globalIndexedDb, lineSeq, listen, pageDocument, pageWindow } from './env'
import { headerOf, headerReady, headOf, jsonlPieces, lineBytes, withParts, type PartedText } from '../internal/lineParts'
import { CHUNKS, SESSIONS, databaseName, openDatabase, type ChunkRecord, type SessionRecord } from './idb'
import { journalPrefix, pageLocalStorage, readJournal, removeJournal, type JournalEntry } from './journal'
import { positiveOption } from '../internal/numbers'

export interface IndexedDbSinkOptions {
  /**
   * Names the log store; the IndexedDB database is called `redux-flight-recorder:<name>`. Read it
   * back with `loadFromIndexedDb(name)`.
   */
  name: string
  /**
   * Sessions kept, this one included; older ones (by start time) are deleted when a session starts.
   * Every tab of the site starts its own session. A session another tab is still recording (not
   * closed or left, and written in the last 5 minutes) is not deleted, and takes no place of the
   * others: with other tabs recording, up to that many more sessions are kept (the one this tab
   * recorded before a reload is not deleted for them). It is deleted, when it is among the oldest,
   * once it has not been written for 5 minutes. When the storage quota is full, older sessions are
   * also deleted, oldest first, to make room for this one (see `indexedDbSink`).
   * @default 10
   */
  maxSessions?: number
  /**
   * Bytes kept per session. Once the lines after a segment's header hold half of it, the log starts
   * a new segment with a header holding the current state; past all of it the oldest segment is
   * deleted, so a stored log always replays on its own from its first line. The newest segment is
   * always kept whole, so a session may hold a little more with a state larger than half of this.
   * @default 16 MiB
   */
  maxSessionBytes?: number
  /**
   * The most of the origin's `localStorage` the journal of lines pending at page hide may take
   * (as `localStorage` counts: characters of keys and values), so that the app's own writes after
   * it (its `pagehide` handler saving a draft) still fit in the quota they share (5,242,880
   * characters in Chromium). Lines past it are not journaled: a reload may lose them. 0: no journal.
   * @default 1 MiB
   */
  maxJournalBytes?: number
  /** The IndexedDB factory; for tests. @default globalThis.indexedDB */
  indexedDB?: IDBFactory
}

export interface IndexedDbSink extends Sink {
  /** Resolves once the database is open and this session is registered (rejects when it cannot be). */
  ready(): Promise<void>
}

/** A line whose UTF-8 bytes are known (a header stored as a Blob of its own: its size). */
type Sized = PartedText & { bytes?: number }

/** Whether a line is the log's header (a segment's first line). */
const isHeader = (line: PartedText): boolean => headOf(line).startsWith('{"kind":"@@session"')

interface Segment {
  firstChunk: number
  bytes: number
  /** Of `bytes`, its leading header's (0 when it has none stored with it). */
  headerBytes: number
}

/** A commit issued and not completed: what its journal entry needs (see `journalInFlight`). */
interface InFlight {
  entry: JournalEntry
  /** Its lines: a chunk whose text is a Blob goes to the journal as text. */
  lines: PartedText[]
  journaled: boolean
  key?: string
}

/**
 * A session not closed or left whose record was written this recently (ms) may still be recording
 * in another tab: pruning leaves it (see `registerAndPrune`).
 */
const LIVE_MS = 5 * 60 * 1000

/** A session another tab may still be recording now (see `LIVE_MS`). */
const live = (s: SessionRecord) => !s.closed && s.endedBy === null && Date.now() - s.updatedAt < LIVE_MS

/** Deletes `session`'s chunks from `from` up to `to` (not included). */
const dropChunks = (chunks: IDBObjectStore, session: string, [from, to]: [number, number]) => chunks.delete(IDBKeyRange.bound([session, from], [session, to], false, true))

/** Deletes a stored session: its record and its chunks. */
function removeSession(sessions: IDBObjectStore, chunks: IDBObjectStore, session: string): void {
  sessions.delete(session)
  dropChunks(chunks, session, [-Infinity, Infinity])
}

/** A header longer than this (characters) is not stored early: see `storeHeader`. */
const EARLY_MAX = 256 * 1024

/** Development only: throws a `TypeError` naming the first option that is not what it should be. */
function validate(options: IndexedDbSinkOptions): void {
  if (typeof options !== 'object' || options === null || typeof options.name !== 'string' || options.name === '') {
    throw new TypeError(
      `[redux-flight-recorder] Expected indexedDbSink({ name }) with a non-empty string \`name\`. Instead, received: ${options === null || typeof options !== 'object' ? String(options) : typeof options.name}.`,
    )
  }
  const { maxSessions = 10, maxSessionBytes = 1, maxJournalBytes = 1 } = options
  positiveOption('maxSessions', maxSessions, 'integer')
  positiveOption('maxSessionBytes', maxSessionBytes)
  // (0 turns the journal off.)
  if (maxJournalBytes !== 0) positiveOption('maxJournalBytes', maxJournalBytes)
}

/**
 * A sink that stores the log in IndexedDB, so the session survives reloads and crashes; read it
 * back with `loadFromIndexedDb(name)`. Each flush is one transaction. The sink flushes by itself when
 * the page is hidden or unloaded (`visibilitychange`, `pagehide`), so a reload, a navigation or a
 * closed tab loses nothing as long as what is pending then fits the `localStorage` journal: the
 * browser may abort that last transaction as the document goes away, and its lines survive only in
 * the journal, which `maxJournalBytes` bounds (1 MiB: the origin's `localStorage` quota, 5,242,880
 * characters in Chromium, is shared with the app's own keys). Beyond it those lines are lost: the stored log then warns of a
 * gap in `seq` (or, after a closed tab, ends at the last flush) and has no `@@end`. A shorter
 * `flushIntervalMs` keeps less pending. A renderer crash loses at most what was recorded since the
 * last flush. A session whose recorder never closed is listed with `closed: false`.
 *
 * When the origin's storage quota is full (the app's own data, other sessions), a write IndexedDB
 * refuses (`QuotaExceededError`) makes room in this store: its oldest session is deleted, whole
 * (never this one, nor one another tab is still recording, as for `maxSessions`; nothing outside
 * this store), and once that deletion has completed the write is tried again; refused again, the
 * next oldest goes, until the write is stored or no session is left to delete. So the newest
 * session, the one with the bug, is the one kept. In development, each session deleted is named
 * once (a warning). With none left the write fails as before (a sink fault saying so): retried at
 * the next flush, lines dropped past `sinkQueueBytes` meanwhile, and the stored session names the
 * failed writes.
 *
 * Opening the database is given up after 5 s (Safari's first `indexedDB.open` of a page can hang
 * without an answer): the sink reports it once, as when opening fails, and this page's session is
 * not stored; an answer that comes later is closed, and the next page tries again. (Not retried
 * within the page: the lines written meanwhile were let go, and a session stored from a later
 * open would miss its start.)
 *
 * @example
 * const recorder = createFlightRecorder({ sinks: [indexedDbSink({ name: 'shop' })] })
 * // later, e.g. after a reload: the newest session other than this one (with several tabs open,
 * // it may be another tab's: each tab records its own session)
 * const previous = (await loadFromIndexedDb('shop')).find((s) => s.session !== recorder.session)
 */
export function indexedDbSink(options: IndexedDbSinkOptions): IndexedDbSink {
  if (process.env.NODE_ENV !== 'production') validate(options)
  const maxSessions = options.maxSessions ?? 10
  const maxSessionBytes = options.maxSessionBytes ?? 16 * 1024 * 1024
  const maxJournalBytes = options.maxJournalBytes ?? 1024 * 1024
  const name = options.name
  /** Characters this sink's journal entries hold in `localStorage` now, by key. */
  const journalSizes = new Map<string, number>()
  let journalChars = 0

  let ctx: SinkContext | undefined
  let db: IDBDatabase | undefined
  let opening: Promise<void> | undefined
  let failure: Error | undefined
  let failureReported = false
  /** This session's record was found deleted by a write: it stops writing (see `commit`). */
  let gone = false
  /** This session's record was stored (`registerAndPrune` committed): only then can it be deleted. */
  let registered = false
  let hiding = false
  /**
   * A synchronous write is being stored: the page may be going away (`writeSync` is for page hide),
   * and an app's own pagehide listener, or `recordPageLifecycle` called before the store was made,
   * runs before this sink's and flushes before `hiding` is set. Its chunk goes to the journal too:
   * otherwise a first write with a large header, not stored early, could die with the document
   * while a later, journaled one survives, leaving a log without its header.
   */
  let syncing = false
  let stopListening: (() => void) | undefined
  /** Writes made before the database was open, in order. */
  let waiting: Array<() => void> = []
  /**
   * A write whose body (a state in parts) is being made a Blob over several tasks; a synchronous
   * write commits it first, as text (`taken`: that commit, which the write then reports).
   */
  let building: { lines: PartedText[]; rotated: boolean; taken?: Promise<void> } | undefined
  let record: SessionRecord | undefined
  const segments: Segment[] = []
  /**
   * The header was stored as chunk 0 when the session registered, before any write, so that
   * `loadFromIndexedDb` lists this session from the start (not for a large state: see
   * storeHeader). The first write (which starts with the header too) is then stored as a new
   * segment, whose leading header the reader leaves out.
   */
  let early = false
  /** A write has come (every write, sync or not, goes through `startsSegment`). */
  let written = false
  /** Commits issued and not completed, in order (see `journalInFlight`). */
  const inFlight = new Set<InFlight>()

  function start(context: SinkContext): Promise<void> {
    if (opening) return opening
    ctx = context
    const now = Date.now()
    record = { session: context.session, startedAt: now, updatedAt: now, closed: false, endedBy: null, bytes: 0, lastSeq: 0, nextChunk: 0 }
    opening = openDatabase(name, options.indexedDB ?? globalIndexedDb(), 'the session is not stored')
      .then((database) => {
        db = database
        database.onversionchange = () => {
          // Another tab deletes or upgrades the database: let it, and stop writing.
          database.close()
          db = undefined
          failure = new Error(
            process.env.NODE_ENV !== 'production'
              ? `[redux-flight-recorder] The IndexedDB database ${JSON.stringify(databaseName(name))} was deleted or upgraded by another page; this session stops writing to it.`
              : '[redux-flight-recorder] IndexedDB was deleted or upgraded by another page.',
          )
        }
        return registerAndPrune(database)
      })
      .then(
        () => {
          registered = true
          void storeHeader()
        },
        (error: unknown) => {
          // Opening failed, or registering (never stored: writes report this cause, not a
          // deletion, see `commit`), unless the database went away meanwhile.
          failure ??= error instanceof Error ? error : new Error(String(error))
          throw failure
        },
      )
    opening
      .catch(() => {})
      .finally(() => {
        const pending = waiting
        waiting = []
        for (const w of pending) w()
      })
    return opening
  }

  async function storeHeader(): Promise<void> {
    const context = ctx
    if (!context) return
    // Once the recorder has the state's JSON (made in slices): asked sooner, a large state would
    // be serialised here in one long task.
    await headerReady(context)
    // (A write, even one waiting for the database, would already have brought the header.)
    if (written || !db) return
    let header: PartedText
    try {
      header = headerOf(context)
    } catch {
      return // no store yet: the first write brings the header
    }
    // A large state: not early. The first write stores the header anyway, and storing a state of
    // megabytes twice cost frames (p95 stall 20 → 27 ms at 10 MB in Chromium).
    if (header.parts !== undefined && header.parts.reduce((n, p) => n + p.length, 0) > EARLY_MAX) return
    early = true
    await commit([header], false).catch(() => {})
  }

  /** Whether `batch` is the first write after an early header: it is stored as a new segment. */
  function startsSegment(batch: PartedText[]): boolean {
    const first = !written
    written = true
    return first && early && batch.length > 0 && isHeader(batch[0])
  }

  /** The stored sessions other than this one, newest first. */
  function othersByAge(all: SessionRecord[]): SessionRecord[] {
    return all.filter((s) => s.session !== record!.session).sort((a, b) => b.startedAt - a.startedAt)
  }

  /**
   * Registers this session, prunes the oldest beyond `maxSessions`, and first writes journal
   * entries whose transaction did not commit: a chunk only when its session is still stored and
   * has not reached it yet, so a committed or deleted session is left as it is.
   */
  function registerAndPrune(database: IDBDatabase): Promise<void> {
    const journal = readJournal(name)
    return transact(database, (sessions, chunks) => {
      // (At once: a record that cannot be stored rejects with its own error.)
      sessions.put(record!)
      const all = sessions.getAll()
      all.onsuccess = () => {
        const stored = new Map((all.result as SessionRecord[]).map((s) => [s.session, s]))
        // (In order: by session, then by chunk.)
        for (const { entry } of journal) {
          const { chunk, session: rec, deletes } = entry
          const at = stored.get(rec.session)
          if (!at || chunk.n < at.nextChunk) continue
          chunks.put(chunk)
          for (const d of deletes) dropChunks(chunks, rec.session, d)
          sessions.put(rec)
          // (Its record as stored now: pruning below takes a session left by its page for one left.
          // Its next entries, of later chunks, still pass the test above.)
          stored.set(rec.session, rec)
        }
        // A session still recording in another tab is kept (deleting it would leave that tab
        // writing to nothing), until it has not been written for LIVE_MS.
        for (const old of othersByAge([...stored.values()]).slice(maxSessions - 1)) if (!live(old)) removeSession(sessions, chunks, old.session)
      }
    }).then(() => removeJournal(journal))
  }

  /**
   * One transaction: the chunk, the session record, and whole segments that no longer fit.
   * `rotated`: the lines start with a header (a new segment). `blob`: their JSONL, made from the
   * parts of a large state (stored as it is; `loadFromIndexedDb` reads it back as text).
   */
  function commit(lines: PartedText[], rotated: boolean, blob?: Blob): Promise<void> {
    if (failure || !db) {
      const error = failure ?? new Error('[redux-flight-recorder] IndexedDB is not available.')
      if (failureReported) return Promise.resolve()
      failureReported = true
      return Promise.reject(error)
    }
    const rec = record!
    // Leaving the page: the transaction may be aborted when the document goes away, so the chunk
    // waits in the journal (text: a Blob cannot go there) until it commits.
    const journaled = syncing || hiding || pageDocument()?.visibilityState === 'hidden'
    const text = blob && !journaled ? blob : jsonlPieces(lines).join('')
    // (A Blob's size is the lines' bytes, counted as it was built: no scan of a 10 MB state here.)
    const bytes = blob ? blob.size : lines.reduce((n, l) => n + lineBytes(l), 0)
    const n = rec.nextChunk++
    if (rotated || segments.length === 0) {
      const head = lines.length > 0 && isHeader(lines[0]) ? ((lines[0] as Sized).bytes ?? lineBytes(lines[0])) : 0
      segments.push({ firstChunk: n, bytes: 0, headerBytes: head })
    }
    segments[segments.length - 1].bytes += bytes
    rec.bytes += bytes
    const deleted: Segment[] = []
    while (rec.bytes > maxSessionBytes && segments.length > 1) {
      const old = segments.shift()!
      rec.bytes -= old.bytes
      deleted.push(old)
    }
    for (let i = lines.length - 1; i >= 0; i--) {
      const seq = lineSeq(headOf(lines[i]))
      if (seq !== undefined) {
        rec.lastSeq = seq
        break
      }
    }
    rec.updatedAt = Date.now()
    rec.endedBy = hiding ? 'pagehide' : null
    const chunk: ChunkRecord = { session: rec.session, n, text, bytes, header: rotated || n === 0 }
    const keep = segments[0].firstChunk
    const segment = segments[segments.length - 1]
    const deletes = deleted.map((old): [number, number] => [old.firstChunk, keep])
    const stored = { ...rec }
    const flight: InFlight = { entry: { chunk, session: stored, deletes }, lines, journaled }
    if (journaled) flight.key = writeJournal(flight.entry)
    inFlight.add(flight)
    // Its completion, either way, drops its journal entry, whether written now or at page hide.
    const settled = () => {
      inFlight.delete(flight)
      dropJournal(flight.key)
    }
    return transact(db, (sessions, chunks, tx) => {
      // Only while the session is stored: once it was deleted (another tab pruned it, or someone
      // deleted it), these lines would make it again without its header, a log nothing can read.
      const get = sessions.get(rec.session)
      get.onsuccess = () => {
        if (!get.result) {
          gone = true
          tx.abort()
          return
        }
        chunks.put(chunk)
        for (const d of deletes) dropChunks(chunks, rec.session, d)
        // Not over a newer record: one a later commit stored while this one was retried (a full
        // quota), or close() (whose record says closed).
        if ((get.result as SessionRecord).nextChunk < stored.nextChunk) sessions.put(stored)
        // Commit now rather than when the task ends: on page hide the task may be the last one.
        ;(tx as IDBTransaction & { commit?: () => void }).commit?.()
      }
    }).then(
      settled,
      (error: unknown) => {
      settled()
      if (gone && !registered) {
        // The record was never stored (its registration failed; `failure` has why): not a deletion.
        failure ??= new Error(`[redux-flight-recorder] Registering the session in IndexedDB failed${process.env.NODE_ENV !== 'production' ? '; the session is not stored' : ''}.`)
        if (failureReported) return
        failureReported = true
        throw failure
      }
      if (gone) {
        failure = new Error(
          process.env.NODE_ENV !== 'production'
            ? `[redux-flight-recorder] The session ${rec.session} was deleted from IndexedDB while recording (by deleteFromIndexedDb, or another tab's maxSessions); it is no longer stored.`
            : '[redux-flight-recorder] The session was deleted from IndexedDB.',
        )
        failureReported = true
        throw failure
      }
      // Nothing of the transaction was stored; the recorder hands these lines over again. The
      // record counts it, for the reader to name (not the page leave) if lines end up missing.
      rec.failed = (rec.failed ?? 0) + 1
      rec.failedWith = (error as Error | null)?.name
      rec.bytes -= bytes
      segment.bytes -= bytes
      if (segment.bytes === 0 && segments[segments.length - 1] === segment) segments.pop()
      for (const old of deleted.reverse()) {
        segments.unshift(old)
        rec.bytes += old.bytes
      }
      throw error
    },
    )
  }

  /** Keeps `entry` in `localStorage` until its transaction completes; best effort (quota, blocked storage). */
  function writeJournal(entry: JournalEntry): string | undefined {
    const key = `${journalPrefix(name)}${entry.chunk.session}:${entry.chunk.n}`
    try {
      const storage = pageLocalStorage()
      if (!storage) return undefined
      const value = JSON.stringify(entry)
      // Within its budget of the quota the app's own keys share (see maxJournalBytes).
      const size = key.length + value.length
      const others = journalChars - (journalSizes.get(key) ?? 0)
      if (others + size > maxJournalBytes) return undefined
      storage.setItem(key, value)
      journalChars = others + size
      journalSizes.set(key, size)
      return key
    } catch {
      return undefined
    }
  }

  /**
   * The page is being left: commits issued before (the early header, a timer flush) whose
   * transaction is still queued die with the document as a page-hide write would, while the
   * session record, stored before, survives (a session missing lines, or listed with no actions).
   * They go to the journal too. Their record says the page was left: a later write or `markLeft`,
   * which would say so, may die with them.
   */
  function journalInFlight(): void {
    for (const f of inFlight) {
      if (f.journaled) continue
      f.journaled = true
      const { chunk, session } = f.entry
      f.key = writeJournal({
        ...f.entry,
        chunk: typeof chunk.text === 'string' ? chunk : { ...chunk, text: jsonlPieces(f.lines).join('') },
        session: hiding ? { ...session, endedBy: 'pagehide' } : session,
      })
    }
  }

  function dropJournal(key: string | undefined): void {
    if (key === undefined) return
    journalChars -= journalSizes.get(key) ?? 0
    journalSizes.delete(key)
    try {
      pageLocalStorage()?.removeItem(key)
    } catch {
      // a later start finds the chunk committed and removes the entry
    }
  }

  /**
   * A readwrite transaction over both stores; `body` commits it itself (`tx.commit()`) when its
   * requests wait for one another. Refused by a full storage quota, it runs again once an older
   * session has made room (below).
   */
  function transact(database: IDBDatabase, body: (sessions: IDBObjectStore, chunks: IDBObjectStore, tx: IDBTransaction) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let tx: IDBTransaction
      try {
        tx = database.transaction([SESSIONS, CHUNKS], 'readwrite')
        body(tx.objectStore(SESSIONS), tx.objectStore(CHUNKS), tx)
      } catch (error) {
        reject(error)
        return
      }
      tx.oncomplete = () => resolve()
      tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('[redux-flight-recorder] An IndexedDB write was aborted.'))
    }).catch((error: Error) => {
      // (A write to a session found deleted aborts with no error: not this.)
      if (error.name !== 'QuotaExceededError') throw error
      // The storage quota refused it: the oldest session this store holds (never this one, nor one
      // another tab may still be recording: see `LIVE_MS`) is deleted in a transaction of its own,
      // and once that has completed (Chromium frees the space then) this one runs again; refused
      // again, the next oldest, and so on: bounded by the sessions stored. With none left, it fails
      // with `error`, as any other write. Each session deleted is named once, in development (a
      // warning): the page's production bundle has no room for the text (see
      // docs/guides/record-browser.md), as for the sessions `maxSessions` prunes.
      let oldest: SessionRecord | undefined
      return transact(database, (sessions, chunks) => {
        const all = sessions.getAll()
        all.onsuccess = () => {
          // (The last one not live: the oldest.)
          for (const s of othersByAge(all.result as SessionRecord[])) if (!live(s)) oldest = s
          if (oldest) removeSession(sessions, chunks, oldest.session)
        }
      }).then(() => {
        if (!oldest) {
          // (Its name kept: the session record counts it, and loadFromIndexedDb names it.)
          throw process.env.NODE_ENV !== 'production'
            ? new DOMException(
                `[redux-flight-recorder] The storage quota is full, and indexedDbSink ${JSON.stringify(name)} has no older session left to delete to make room (this session, and those other tabs may still be recording, are kept).`,
                'QuotaExceededError',
              )
            : error
        }
        if (process.env.NODE_ENV !== 'production') {
          console.warn(
            `[redux-flight-recorder] The storage quota was full: indexedDbSink ${JSON.stringify(name)} deleted its oldest session, ${oldest.session} (started ${new Date(oldest.startedAt).toISOString()}), to make room for this session's lines.`,
          )
        }
        return transact(database, body)
      })
    })
  }

  /** Writes now if the database is open, else after it opens; keeps the order of calls either way. */
  function append(lines: PartedText[], rotated: boolean, blob?: Blob): Promise<void> {
    if (db || failure) return commit(lines, rotated, blob)
    return new Promise((resolve, reject) => {
      waiting.push(() => commit(lines, rotated, blob).then(resolve, reject))
    })
  }

  /** A write still making its Blob goes now, as text, ahead of a synchronous one. */
  function appendBuilding(): void {
    const b = building
    building = undefined
    if (!b) return
    b.taken = append(b.lines, b.rotated)
    // (Its own write() returns this outcome to the recorder.)
    b.taken.catch(() => {})
  }

  /** Writes what is pending now; whether there was anything. */
  function drainNow(): boolean {
    if (!ctx) return false
    const took = building !== undefined
    appendBuilding()
    const lines = withParts(ctx.drain())
    if (lines.length > 0) append(lines, startsSegment(lines)).catch(() => {})
    return took || lines.length > 0
  }

  /**
   * The page is left with nothing pending: the record still says so (`endedBy: 'pagehide'`), so
   * that pruning in another tab does not take it for a session still recording.
   */
  function markLeft(): void {
    if (!db || !record || failure) return
    record.endedBy = 'pagehide'
    record.updatedAt = Date.now()
    const rec = { ...record }
    // Put at once and committed now: a put waiting for a get did not outlive the page in Chromium.
    // (For a session deleted meanwhile this stores a record without chunks: not listed, and pruned
    // as any session that was left.)
    transact(db, (sessions, _chunks, tx) => {
      sessions.put(rec)
      ;(tx as IDBTransaction & { commit?: () => void }).commit?.()
    }).catch(() => {})
  }

  /**
   * Stores a write's lines. `header`: they start a new segment, whose header (of the state before
   * them) is put in front once the recorder has written its state in slices (asked for at once,
   * 45-70 ms in one task for 10 MB in Chromium); a synchronous write meanwhile takes them as they
   * are, in the current segment. A large state's JSONL becomes a Blob over several tasks, which
   * IndexedDB stores by reference, instead of one string flattened, encoded and cloned in one task.
   */
  async function store(batch: PartedText[], rotated: boolean, header?: SinkContext): Promise<void> {
    let pending: NonNullable<typeof building> | undefined
    if (header) {
      pending = building = { lines: batch, rotated: false }
      await headerReady(header)
      if (building !== pending) return pending.taken
      building = undefined
      batch.unshift(headerOf(header))
    }
    if (hiding || !batch.some((l) => l.parts !== undefined)) return append(batch, rotated)
    pending = building = { lines: batch, rotated }
    // A first line in parts (a header) is a Blob of its own first, whose size is its bytes (a scan
    // of its text for them took 40-70 ms for 10 MB).
    const h = batch[0].parts && (await blobInSlices(jsonlPieces([batch[0]]), 'text/plain'))
    if (h) batch[0] = { ...batch[0], bytes: h.size } as Sized
    const blob = await blobInSlices(jsonlPieces(h ? batch.slice(1) : batch), 'text/plain', h)
    // A synchronous write (page hide) took these lines meanwhile.
    if (building !== pending) return pending.taken
    building = undefined
    return append(batch, rotated, blob)
  }

  return {
    ready() {
      if (!opening) return Promise.reject(new Error(`[redux-flight-recorder] The sink is not attached${process.env.NODE_ENV !== 'production' ? ' to a recorder' : ''} yet.`))
      return opening
    },
    attach(context) {
      void start(context).catch(() => {})
      const doc = pageDocument()
      stopListening = listen([
        [doc, 'visibilitychange', () => doc?.visibilityState === 'hidden' && drainNow()],
        // (Before the other listeners, see `listen`: what recordPageLifecycle's flush writes then says the page was left.)
        [pageWindow(), 'pagehide', () => (hiding = true), 0],
        [
          pageWindow(),
          'pagehide',
          () => {
            hiding = true
            journalInFlight()
            if (!drainNow()) markLeft()
          },
        ],
        [pageWindow(), 'pageshow', () => (hiding = false)],
      ])
    },
    write(lines, context) {
      if (!opening) void start(context).catch(() => {})
      // Start a new segment (a header with the state before these lines) once the current one holds
      // half of the session's budget; only the async path knows that state.
      const current = segments[segments.length - 1]
      const batch = withParts(lines)
      const headed = startsSegment(batch)
      // (Its header's state is not counted: with a state over half the budget, every flush made a
      // segment of its own, storing the whole state again each second: 12 MB, a 65-95 ms task.)
      const rotated = headed || (current !== undefined && current.bytes - current.headerBytes > maxSessionBytes / 2)
      if (rotated && !headed && hiding) batch.unshift(headerOf(context))
      return store(batch, rotated, rotated && !headed && !hiding ? context : undefined)
    },
    writeSync(lines, context) {
      if (!opening) void start(context).catch(() => {})
      // (Nothing here throws: commit reports its failures through its promise.)
      journalInFlight()
      syncing = true
      appendBuilding()
      const batch = withParts(lines)
      append(batch, startsSegment(batch)).catch(() => {})
      syncing = false
    },
    async close() {
      stopListening?.()
      stopListening = undefined
      if (opening) await opening.catch(() => {})
      // A write still making its Blob (the recorder stopped waiting for it: sinkTimeoutMs) goes
      // now, as text, before the record says closed; else its lines, `@@end` among them, are lost.
      appendBuilding()
      if (db && record && !failure) {
        record.closed = true
        record.endedBy = 'close'
        record.updatedAt = Date.now()
        const rec = { ...record }
        await transact(db, (sessions) => {
          // (Not for a session deleted meanwhile: see `commit`.)
          const get = sessions.get(rec.session)
          get.onsuccess = () => get.result && sessions.put(rec)
        })
      }
      db?.close()
      db = undefined
    },
  }
}
