import { globalIndexedDb } from './env'
import { CHUNKS, SESSIONS, openDatabase } from './idb'
import { readJournal, removeJournal } from './journal'

/**
 * Deletes one session that an `indexedDbSink({ name })` stored: its record and every chunk of its
 * log, including lines of it still kept in `localStorage` (written while a page was being left).
 * Resolves to `true` when the session was there, `false` when it was not. Delete only
 * sessions no recorder is writing any more (not `recorder.session`): a sink still writing would
 * store its later lines without the header, and that session could not be read back.
 *
 * @example
 * for (const s of await loadFromIndexedDb('shop')) if (s.closed) await deleteFromIndexedDb('shop', s.session)
 */
export async function deleteFromIndexedDb(name: string, session: string, options: { indexedDB?: IDBFactory } = {}): Promise<boolean> {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`[redux-flight-recorder] Expected the \`name\` given to indexedDbSink. Instead, received: ${name === '' ? 'an empty string' : typeof name}.`)
  }
  if (typeof session !== 'string' || session === '') {
    throw new TypeError(`[redux-flight-recorder] Expected the session id to delete (a non-empty string). Instead, received: ${session === '' ? 'an empty string' : typeof session}.`)
  }
  const db = await openDatabase(name, options.indexedDB ?? globalIndexedDb(), 'nothing was deleted')
  try {
    return await new Promise<boolean>((resolve, reject) => {
      const tx = db.transaction([SESSIONS, CHUNKS], 'readwrite')
      let found = false
      const count = tx.objectStore(SESSIONS).count(session)
      count.onsuccess = () => {
        found = count.result > 0
      }
      tx.objectStore(SESSIONS).delete(session)
      tx.objectStore(CHUNKS).delete(IDBKeyRange.bound([session, -Infinity], [session, Infinity]))
      tx.oncomplete = () => {
        // Its lines kept in localStorage while a page was being left go too, or a later load or
        // sink start would find them.
        const journal = readJournal(name).filter((item) => item.entry.chunk.session === session)
        removeJournal(journal)
        resolve(found || journal.length > 0)
      }
      tx.onabort = tx.onerror = () => reject(tx.error ?? new Error(`[redux-flight-recorder] Deleting session ${session} from IndexedDB failed.`))
    })
  } finally {
    db.close()
  }
}
