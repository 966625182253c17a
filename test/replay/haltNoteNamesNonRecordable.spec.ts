import { readFileSync } from 'node:fs'
import { configureStore } from '@reduxjs/toolkit'
import { FLUSH, PAUSE, PERSIST, persistReducer, persistStore, PURGE, REGISTER, REHYDRATE } from 'redux-persist'
import { describe, expect, it } from 'vitest'
import { formatDivergence, reduxPersist, replay } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { added, rootReducer } from '../helpers/todoApp'
import { memoryStorage } from '../helpers/memoryStorage'

// Acceptance run 174: a redux-persist app's log replayed, without adapters, on a reducer that
// diverges before PERSIST. Replay goes on to the next full state and stops at PERSIST (the log
// cannot carry its callbacks); the report said "an adapter threw" there, though no adapter was
// given, and did not say which adapter would let replay go on.

const persisted = (reducer: typeof rootReducer) => persistReducer({ key: 'root', storage: memoryStorage(), whitelist: ['todos'], timeout: 0 }, reducer)
const ignoredActions = [FLUSH, REHYDRATE, PAUSE, PERSIST, PURGE, REGISTER]

async function record() {
  return recordSession(
    (rec) =>
      configureStore({
        reducer: persisted(rootReducer),
        middleware: (g) => g({ serializableCheck: { ignoredActions } }).prepend(rec.middleware),
        enhancers: (g) => g().concat(rec.enhancer),
      }),
    async (store) => {
      store.dispatch(added({ id: 'a', title: 'milk', done: false })) // before persistStore: seq 1
      const persistor = persistStore(store)
      await new Promise<void>((resolve) => {
        if (persistor.getState().bootstrapped) resolve()
        else persistor.subscribe(() => persistor.getState().bootstrapped && resolve())
      })
    },
  )
}

// A regression: `added` no longer adds.
const regressed: typeof rootReducer = (state, action) => rootReducer(state, added.match(action) ? { type: 'noop' } : action)

describe('replay stopped at an action the log could not carry, after a divergence', () => {
  it('names the action and the adapter, not "an adapter threw"', async () => {
    const log = await record()
    expect(log.entries.map((e) => e.kind).slice(0, 2)).toEqual(['todos/added', PERSIST])
    const result = replay(log, { reducer: persisted(regressed) })
    expect(result.ok).toBe(false)
    const d = result.divergence!
    expect(d).toMatchObject({ seq: 1, kind: 'todos/added', reason: 'hash-mismatch' })
    expect(d.diffNote).toContain("At seq 2, while replaying on to the next full state, the action 'persist/PERSIST' could not be replayed")
    expect(d.diffNote).toContain("replay with `adapters: [reduxPersist()]` (from 'redux-flight-recorder/replay')")
    expect(d.diffNote).not.toContain('an adapter threw')
    expect(formatDivergence(d)).toContain(d.diffNote!)
    // docs/guides/divergence.md quotes this line as it is.
    expect(readFileSync(new URL('../../docs/guides/divergence.md', import.meta.url), 'utf8')).toContain(`  ${d.diffNote}\n`)
  })

  it('still says "an adapter threw" when an adapter did', async () => {
    const log = await record()
    const throwing = { name: 'broken', revive: (e: { kind: string }) => { if (e.kind === PERSIST) throw new Error('adapter bug'); return undefined } }
    const d = replay(log, { reducer: persisted(regressed), adapters: [throwing] }).divergence!
    expect(d.seq).toBe(1)
    expect(d.diffNote).toBe('At seq 2, while replaying on to the next full state, an adapter threw (Error: adapter bug), so no state was compared.')
  })

  it('with the adapter, replay reaches the full state and compares it', async () => {
    const log = await record()
    const d = replay(log, { reducer: persisted(regressed), adapters: [reduxPersist()] }).divergence!
    expect(d.seq).toBe(1)
    expect(d.diffNote ?? '').not.toContain('while replaying on to the next full state')
  })
})
