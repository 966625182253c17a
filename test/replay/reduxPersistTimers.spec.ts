import { configureStore } from '@reduxjs/toolkit'
import { FLUSH, PAUSE, PERSIST, persistReducer, persistStore, PURGE, REGISTER, REHYDRATE } from 'redux-persist'
import { describe, expect, it } from 'vitest'
import { isActionEntry, reduxPersist, replay, replayStream, encodeRecording } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { added, rootReducer, toggled } from '../helpers/todoApp'
import { memoryStorage } from '../helpers/memoryStorage'

// Session 31: the reduxPersist adapter's TSDoc said redux-persist's PERSIST timer (the persist
// config's `timeout`, 5 s) keeps Node running after the replay. Since f807db8 a replay with
// `createStore` clears the timers its store started, so that holds only for a `reducer` replay.
// This checks both halves of the corrected sentence with real redux-persist (6.0.0).

// The default timeout (5 s): what the TSDoc speaks of.
const persisted = () => persistReducer({ key: 'root', storage: memoryStorage(), whitelist: ['todos'] }, rootReducer)
const ignoredActions = [FLUSH, REHYDRATE, PAUSE, PERSIST, PURGE, REGISTER]

async function record() {
  return recordSession(
    (rec) =>
      configureStore({
        reducer: persisted(),
        middleware: (g) => g({ serializableCheck: { ignoredActions } }).prepend(rec.middleware),
        enhancers: (g) => g().concat(rec.enhancer),
      }),
    async (store) => {
      const persistor = persistStore(store)
      await new Promise<void>((resolve) => {
        if (persistor.getState().bootstrapped) resolve()
        else persistor.subscribe(() => persistor.getState().bootstrapped && resolve())
      })
      store.dispatch(added({ id: 'a', title: 'milk', done: false }))
      store.dispatch(toggled('a'))
      await persistor.flush()
    },
  )
}

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

describe("redux-persist's PERSIST timer after a replay (the reduxPersist adapter's TSDoc)", () => {
  it('a createStore replay (replay and replayStream) leaves none running; a reducer replay leaves it running', async () => {
    const log = await record()
    expect(log.entries.filter(isActionEntry).map((e) => e.kind)).toEqual(expect.arrayContaining([PERSIST, REHYDRATE]))
    const createStore = (preloadedState: unknown) =>
      configureStore({ reducer: persisted(), preloadedState: preloadedState as never, middleware: (g) => g({ serializableCheck: { ignoredActions } }) })

    const before = timeouts()
    expect(replay(log, { createStore, adapters: [reduxPersist()] })).toMatchObject({ ok: true, verified: true })
    expect(timeouts()).toBe(before)
    const lines = encodeRecording(log).split('\n').filter((l) => l !== '')
    expect(await replayStream(lines, { createStore, adapters: [reduxPersist()] })).toMatchObject({ ok: true, verified: true })
    expect(timeouts()).toBe(before)

    // The reducer alone: persistReducer's PERSIST timeout (5 s) is still pending when replay returns.
    expect(replay(log, { reducer: persisted(), adapters: [reduxPersist()] })).toMatchObject({ ok: true, verified: true })
    expect(timeouts()).toBeGreaterThan(before)
  })
})
