import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { deleteFromIndexedDb, indexedDbSink, loadFromIndexedDb } from 'redux-flight-recorder/browser'
import { added, makeStore } from '../helpers/todoApp'

/**
 * Blocked storage (Safari's and Firefox's private modes): reading `indexedDB` itself throws a
 * `SecurityError` ("The operation is insecure."). Found by the session 31 acceptance run: the sink
 * then wrote an `@@error` at every flush, without end (its start threw before it noted the
 * failure, so each write started over).
 */
describe('indexedDB whose getter throws (blocked storage)', () => {
  beforeEach(() => {
    Object.defineProperty(globalThis, 'indexedDB', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError')
      },
    })
  })
  afterEach(() => {
    delete (globalThis as { indexedDB?: unknown }).indexedDB
  })

  it('the sink fails once and stays failed, as with no indexedDB', async () => {
    const faults: string[] = []
    const sink = indexedDbSink({ name: 'shop' })
    const recorder = createFlightRecorder({ sinks: [sink], onError: (e) => faults.push(e.message) })
    const store = makeStore(recorder)
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      store.dispatch(added({ id, title: id, done: false }))
      await recorder.flush()
    }
    await recorder.close()
    expect(faults).toEqual(['[redux-flight-recorder] sink failed: IndexedDB is blocked here (SecurityError: The operation is insecure.).'])
    const snapshot = recorder.snapshot()
    expect(snapshot.entries.filter((e) => e.kind === '@@error')).toHaveLength(1)
    expect(snapshot.entries.filter((e) => 'action' in e)).toHaveLength(5)
    await expect(sink.ready()).rejects.toThrow('[redux-flight-recorder] IndexedDB is blocked here (SecurityError: The operation is insecure.).')
  })

  it('a read and a delete reject with that cause', async () => {
    const read = await loadFromIndexedDb('shop').then(
      () => undefined,
      (e: Error) => e,
    )
    expect(read?.message).toBe('[redux-flight-recorder] IndexedDB is blocked here (SecurityError: The operation is insecure.).')
    expect((read?.cause as DOMException).name).toBe('SecurityError')
    await expect(deleteFromIndexedDb('shop', 'some-session')).rejects.toThrow('IndexedDB is blocked here (SecurityError: The operation is insecure.).')
  })
})
