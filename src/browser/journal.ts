/**
 * The `localStorage` journal of `indexedDbSink`: what a transaction writes while the page is being
 * left, or wrote before and has not completed when it is left, is also kept here until that
 * transaction completes, because Chromium aborts the IndexedDB transactions that have not committed
 * when the document goes away, whereas a `localStorage` write made then is kept. The next sink of the store writes the entries into IndexedDB at start;
 * `loadFromIndexedDb` reads them, and `deleteFromIndexedDb` removes them with their session.
 */
import { databaseName, type ChunkRecord, type SessionRecord } from './idb'

/** What one transaction writes. */
export interface JournalEntry {
  chunk: ChunkRecord
  session: SessionRecord
  /** Chunk key ranges [from, to) of segments that no longer fit. */
  deletes: Array<[number, number]>
}

export interface JournalItem {
  key: string
  value: string
  entry: JournalEntry
}

export function pageLocalStorage(): Storage | undefined {
  try {
    return (globalThis as { localStorage?: Storage }).localStorage ?? undefined
  } catch {
    // Storage blocked for this page (sandboxed frame, settings).
    return undefined
  }
}

export function journalPrefix(name: string): string {
  return `${databaseName(name)}:unwritten:`
}

/**
 * What `read` makes of each `localStorage` value whose key starts with `prefix` (this store's
 * journal, an httpSink's spills); a value it throws on (not ours, cut short, expired) is removed.
 * What was read before a storage that fails is returned.
 */
export function readStored<T>(storage: Storage, prefix: string, read: (value: string, key: string) => T): T[] {
  const found: T[] = []
  try {
    // (The keys first: removing one while indexing would skip the next.)
    for (const key of Array.from({ length: storage.length }, (_, i) => storage.key(i))) {
      if (key === null || !key.startsWith(prefix)) continue
      const value = storage.getItem(key)
      if (value === null) continue
      try {
        found.push(read(value, key))
      } catch {
        storage.removeItem(key)
      }
    }
  } catch {
    // the storage failed: what was read
  }
  return found
}

/** The store's journal entries, by session, then in chunk order. Unreadable entries are removed. */
export function readJournal(name: string): JournalItem[] {
  const storage = pageLocalStorage()
  if (!storage) return []
  const found = readStored(storage, journalPrefix(name), (value, key): JournalItem => ({ key, value, entry: JSON.parse(value) as JournalEntry }))
  return found.sort((a, b) => (a.entry.session.session < b.entry.session.session ? -1 : a.entry.session.session > b.entry.session.session ? 1 : a.entry.chunk.n - b.entry.chunk.n))
}

/** Removes the given entries, unless they changed meanwhile; best effort. */
export function removeJournal(items: Array<{ key: string; value: string }>): void {
  const storage = pageLocalStorage()
  try {
    for (const { key, value } of items) if (storage?.getItem(key) === value) storage.removeItem(key)
  } catch {
    // left for the next start
  }
}

/**
 * What a session's stored chunks become once its journal entries are applied, as the next sink's
 * start would write them: an entry counts only when the stored session has not reached its chunk
 * (so a committed transaction is never read twice), and its segment deletions apply.
 */
export function applyJournal(stored: SessionRecord, chunks: ChunkRecord[], entries: JournalEntry[]): { session: SessionRecord; chunks: ChunkRecord[] } {
  let session = stored
  let list = chunks
  for (const { chunk, session: rec, deletes } of entries) {
    if (chunk.session !== stored.session || chunk.n < stored.nextChunk || list.some((c) => c.n === chunk.n)) continue
    list = list.filter((c) => !deletes.some(([from, to]) => c.n >= from && c.n < to))
    list.push(chunk)
    session = rec
  }
  return { session, chunks: list === chunks ? chunks : list.sort((a, b) => a.n - b.n) }
}
