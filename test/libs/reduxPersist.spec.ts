import { configureStore } from '@reduxjs/toolkit'
import { FLUSH, PAUSE, PERSIST, persistReducer, persistStore, PURGE, REGISTER, REHYDRATE, type Storage } from 'redux-persist'
import { describe, expect, it } from 'vitest'
import { ReplayDivergenceError, type ActionEntry } from 'redux-flight-recorder'
import { formatDivergence, isActionEntry, reduxPersist, replay } from 'redux-flight-recorder/replay'
import { expectReplay, recordSession } from 'redux-flight-recorder/testing'
import { added, rootReducer, toggled } from '../helpers/todoApp'
import { settle } from './helpers'

function memoryStorage(initial: Record<string, string> = {}): Storage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial))
  return {
    data,
    getItem: async (key: string) => data.get(key) ?? null,
    setItem: async (key: string, value: string) => void data.set(key, value),
    removeItem: async (key: string) => void data.delete(key),
  }
}

type Root = ReturnType<typeof rootReducer>
/**
 * The app's reducer plus a count of every action it sees (as an analytics or "last action" slice
 * does): persistReducer hands it FLUSH and PURGE too, so replay must dispatch them.
 */
const counting = (state: (Root & { seen?: number }) | undefined, action: Parameters<typeof rootReducer>[1]) => {
  const { seen = 0, ...rest } = state ?? ({} as Root & { seen?: number })
  return { ...rootReducer(state === undefined ? undefined : (rest as Root), action), seen: seen + 1 }
}
const persisted = (storage: Storage) => persistReducer({ key: 'root', storage, whitelist: ['todos'] }, counting)

async function recordPersistSession() {
  // A previous session left one todo in storage: REHYDRATE brings it back.
  const before = memoryStorage()
  const seed = configureStore({ reducer: rootReducer })
  seed.dispatch(added({ id: 'old', title: 'from last time', done: true }))
  before.data.set('persist:root', JSON.stringify({ todos: JSON.stringify(seed.getState().todos), _persist: JSON.stringify({ version: -1, rehydrated: true }) }))

  return recordSession(
    (rec) =>
      configureStore({
        reducer: persisted(before),
        middleware: (g) => g({ serializableCheck: { ignoredActions: [FLUSH, REHYDRATE, PAUSE, PERSIST, PURGE, REGISTER] } }).prepend(rec.middleware),
        enhancers: (g) => g().concat(rec.enhancer),
      }),
    async (store) => {
      const persistor = persistStore(store)
      await new Promise<void>((resolve) => {
        if (persistor.getState().bootstrapped) resolve()
        else persistor.subscribe(() => persistor.getState().bootstrapped && resolve())
      })
      expect(store.getState().todos.ids).toEqual(['old'])
      store.dispatch(added({ id: 'a', title: 'milk', done: false }))
      store.dispatch(toggled('a'))
      await persistor.flush()
      persistor.pause()
      store.dispatch(added({ id: 'b', title: 'eggs', done: false }))
      persistor.persist()
      await persistor.purge()
      await settle(20)
    },
  )
}

describe('redux-persist (in-memory storage)', () => {
  it('replays ok with adapters: [reduxPersist()]', async () => {
    const log = await recordPersistSession()
    const kinds = log.entries.filter((e): e is ActionEntry => isActionEntry(e)).map((e) => e.kind)
    expect(kinds).toEqual(expect.arrayContaining([PERSIST, REHYDRATE, FLUSH, PAUSE, PURGE]))
    const result = replay(log, { reducer: persisted(memoryStorage()), adapters: [reduxPersist()] })
    expect(formatDivergence(result)).toMatch(/^Replay ok/)
    expect(result).toMatchObject({ ok: true, verified: true })
    expect(result.skipped).toBe(0) // persist/FLUSH is dispatched (the counting reducer sees it)
    expect((result.state as { todos: { ids: string[] } }).todos.ids).toEqual(['old', 'a', 'b'])
    expectReplay(log, { reducer: persisted(memoryStorage()), adapters: [reduxPersist()] })
  })

  it('a persisted reducer that has seen a PURGE ignores REHYDRATE: reused for a second replay it diverges, and the hint says to make it anew', async () => {
    const log = await recordPersistSession()
    const shared = persisted(memoryStorage())
    expect(replay(log, { reducer: shared, adapters: [reduxPersist()] })).toMatchObject({ ok: true, verified: true })
    const again = replay(log, { reducer: shared, adapters: [reduxPersist()] })
    expect(again.divergence).toMatchObject({ kind: REHYDRATE })
    expect(again.divergence!.hint).toMatch(/persistReducer keeps state of its own \(after a PURGE it ignores every later REHYDRATE\), so each replay needs a persisted reducer made anew/)
    expect(replay(log, { reducer: persisted(memoryStorage()), adapters: [reduxPersist()] })).toMatchObject({ ok: true, verified: true })
  })

  it('fails without the adapter, with a report naming the omitted functions and the adapter', async () => {
    const log = await recordPersistSession()
    const persist = log.entries.find((e): e is ActionEntry => isActionEntry(e) && e.kind === PERSIST)!
    expect(persist).toMatchObject({ recordable: false })
    expect(persist.omitted!.map((o) => `${o.path}: ${o.kind}`).sort()).toEqual(['register: function', 'rehydrate: function'])

    // Dispatched without its functions, PERSIST would make persistReducer start a timer that throws
    // 5 s later, outside the replay (an unhandled error charged to a later test): it is not dispatched.
    const reducer = persisted(memoryStorage())
    const seen: string[] = []
    const watched: typeof reducer = (state, action) => (seen.push(action.type), reducer(state, action))
    const result = replay(log, { reducer: watched })
    expect(result.ok).toBe(false)
    expect(result.divergence).toMatchObject({ reason: 'non-recordable', seq: persist.seq, kind: PERSIST })
    expect(seen).not.toContain(PERSIST)
    const report = formatDivergence(result)
    expect(report).toContain('values the log could not carry:')
    expect(report).toContain('register: function')
    expect(report).toContain('rehydrate: function')
    expect(report).toContain('adapters: [reduxPersist()]')
    expect(report).toContain('The action was not dispatched')

    expect(() => expectReplay(log, { reducer: persisted(memoryStorage()) })).toThrow(ReplayDivergenceError)
    try {
      expectReplay(log, { reducer: persisted(memoryStorage()) })
    } catch (error) {
      expect((error as Error).message).toContain(report)
    }
  })
})
