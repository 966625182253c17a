import { describe, expect, it } from 'vitest'
import { type ActionEntry, type Recording } from 'redux-flight-recorder'
import { reduxPersist, replay } from 'redux-flight-recorder/replay'

const entry = (kind: string, action: Record<string, unknown>): ActionEntry => ({ seq: 1, ts: '', t: 0, turn: 't1', kind, action: { type: kind, ...action } })

describe('reduxPersist', () => {
  const adapter = reduxPersist()

  it('revives PERSIST with no-op register and rehydrate, and PURGE with a no-op result', () => {
    const persist = adapter.revive(entry('persist/PERSIST', { key: 'root' })) as { type: string; key: string; register: unknown; rehydrate: unknown }
    expect(persist).toMatchObject({ type: 'persist/PERSIST', key: 'root' })
    expect(typeof persist.register).toBe('function')
    expect(typeof persist.rehydrate).toBe('function')
    const purge = adapter.revive(entry("persist/PURGE", { key: "root" })) as unknown as { result: () => void }
    expect(typeof purge.result).toBe('function')
    // FLUSH too: persistReducer calls its `result` and hands it to the app's reducer.
    const flush = adapter.revive(entry('persist/FLUSH', {})) as unknown as { type: string; result: () => void }
    expect(flush.type).toBe('persist/FLUSH')
    expect(typeof flush.result).toBe('function')
  })

  it('leaves every other action alone', () => {
    expect(adapter.revive(entry('persist/REHYDRATE', { key: 'root', payload: {} }))).toBeUndefined()
    expect(adapter.revive(entry('todos/added', {}))).toBeUndefined()
    expect(adapter.name).toBe('reduxPersist')
    expect(adapter.handles!('persist/PAUSE')).toBe(true)
  })

  it('an adapter that throws stops the replay with its error', () => {
    const rec: Recording = {
      header: { kind: '@@session', v: 1, session: 's', ts: '', hash_alg: 'none', meta: {}, redact: { state: [], actions: [] }, from_seq: 1, state: 0, hash: null },
      entries: [entry('x', {})],
      warnings: [],
    }
    const result = replay(rec, {
      reducer: (s: number = 0) => s,
      adapters: [{ name: 'broken', revive: () => { throw new TypeError('nope') } }],
    })
    expect(result.divergence).toMatchObject({ reason: 'adapter-threw', seq: 1, error: { name: 'TypeError', message: 'nope' } })
  })
})
