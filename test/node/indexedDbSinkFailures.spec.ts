import { describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { deleteFromIndexedDb, indexedDbSink, loadFromIndexedDb } from 'redux-flight-recorder/browser'
import { added, makeStore } from '../helpers/todoApp'

/**
 * A hand-made IndexedDB factory (Node has none) whose object stores throw a `DataCloneError` on
 * `put`, as fake-indexeddb does under Jest's jsdom (no `structuredClone`): the session record is
 * never stored. Requests succeed a task later; a transaction completes once its requests have,
 * or aborts on `abort()`.
 */
function putThrowsFactory(): IDBFactory {
  const transaction = () => {
    let open = 0
    let done = false
    const tx = {
      error: null as DOMException | null,
      oncomplete: null as null | (() => void),
      onabort: null as null | (() => void),
      onerror: null as null | (() => void),
      objectStore: () => store,
      abort() {
        if (done) return
        done = true
        tx.error = new DOMException('The transaction was aborted.', 'AbortError')
        setTimeout(() => tx.onabort?.())
      },
      commit() {},
    }
    const finish = () => {
      if (done || open > 0) return
      done = true
      tx.oncomplete?.()
    }
    const request = (result: unknown) => {
      const r = { result, onsuccess: null as null | (() => void) }
      open++
      setTimeout(() => {
        if (!done) r.onsuccess?.()
        open--
        setTimeout(finish)
      })
      return r
    }
    const store = {
      put() {
        throw new DOMException('cannot clone', 'DataCloneError')
      },
      get: () => request(undefined),
      getAll: () => request([]),
      delete: () => request(undefined),
    }
    setTimeout(finish)
    return tx
  }
  const db = { onversionchange: null, transaction, close() {} }
  return {
    open() {
      const r = { result: db, onsuccess: null as null | (() => void), onupgradeneeded: null, onerror: null, onblocked: null }
      setTimeout(() => r.onsuccess?.())
      return r
    },
  } as unknown as IDBFactory
}

describe('indexedDbSink whose session was never stored (Node, failing IndexedDB factory)', () => {
  it('reports the real cause once, not a deletion', async () => {
    const faults: string[] = []
    const sink = indexedDbSink({ name: 'never-stored', indexedDB: putThrowsFactory() })
    const recorder = createFlightRecorder({ sinks: [sink], onError: (e) => faults.push(e.message) })
    const store = makeStore(recorder)
    await expect(sink.ready()).rejects.toThrow('cannot clone')
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    await recorder.flush()
    store.dispatch(added({ id: 'b', title: 'b', done: false }))
    await recorder.flush()
    await recorder.close()
    expect(faults).toEqual(['[redux-flight-recorder] sink failed: cannot clone'])
    const errors = recorder.snapshot().entries.filter((e) => e.kind === '@@error')
    expect(errors).toHaveLength(1)
    expect(JSON.stringify(errors[0])).toContain('cannot clone')
    expect(JSON.stringify(errors[0])).not.toContain('deleted')
  })
})

describe('IndexedDB calls outside a browser (no indexedDB)', () => {
  it('a read says nothing can be loaded, not that a session is not stored', async () => {
    const error = await loadFromIndexedDb('shop').then(
      () => undefined,
      (e: Error) => e,
    )
    expect(error?.message).toBe('[redux-flight-recorder] IndexedDB is not available here (no `indexedDB`); nothing can be loaded.')
  })

  it('a delete says nothing was deleted', async () => {
    await expect(deleteFromIndexedDb('shop', 'some-session')).rejects.toThrow(
      /^\[redux-flight-recorder\] IndexedDB is not available here \(no `indexedDB`\); nothing was deleted\.$/,
    )
  })

  it('a sink says the session is not stored', async () => {
    const sink = indexedDbSink({ name: 'shop' })
    makeStore(createFlightRecorder({ sinks: [sink] }))
    await expect(sink.ready()).rejects.toThrow(
      /^\[redux-flight-recorder\] IndexedDB is not available here \(no `indexedDB`\); the session is not stored\.$/,
    )
  })
})
