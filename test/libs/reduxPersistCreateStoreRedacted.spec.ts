import { combineReducers, configureStore, createAsyncThunk, createSlice } from '@reduxjs/toolkit'
import { FLUSH, PAUSE, PERSIST, persistReducer, persistStore, PURGE, REGISTER, REHYDRATE } from 'redux-persist'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Recording } from 'redux-flight-recorder'
import { formatDivergence, reduxPersist, replay } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { replayFailure, updateRefusal } from '../../src/testing/expectReplay'
import { json, startServer, type TestServer } from './helpers'
import { memoryStorage } from '../helpers/memoryStorage'

// Acceptance run, helper-174 (Medium): a redux-persist app recorded with `auth.token` redacted in
// state and the login's `payload.token` in actions, replayed as `scaffold-test` writes it
// (`{ createStore, adapters }`), with the reducer regressed elsewhere (the user name upper-cased).
// The report said the "[redacted]" placeholder "may" explain the difference and to "Redact that
// state too", though the token's state path was redacted already: a `createStore` replay gave the
// hint unchecked. It now runs the step again in stores of its own (from the same state, with other
// texts in place of the placeholder), as a `reducer` replay does, and gives the hint only where the
// placeholder decides the state. Real RTK store, redux-persist, an HTTP server on 127.0.0.1.

let server: TestServer
let log: Recording
beforeAll(async () => {
  server = await startServer((req, body, res) => {
    if (req.method === 'POST' && req.url === '/login') return json(res, 200, { user: JSON.parse(body).user, token: 'SECRET-TOKEN-9f8e7d' })
    json(res, 500, { error: 'unexpected' })
  })
  log = await record()
})
afterAll(() => server.close())

type Change = 'none' | 'upper' | 'by-token'

/** The app's persisted root reducer. `upper`: the user name upper-cased (a regression elsewhere than the token); `by-token`: the status decided by the token's text (a step that depends on the redacted value). */
function makeApp(change: Change = 'none') {
  const login = createAsyncThunk('auth/login', async (arg: { user: string; password: string }) => {
    const res = await fetch(`${server.url}/login`, { method: 'POST', body: JSON.stringify(arg), headers: { 'content-type': 'application/json' } })
    return (await res.json()) as { user: string; token: string }
  })
  const auth = createSlice({
    name: 'auth',
    initialState: { user: null as string | null, token: null as string | null, status: 'idle' },
    reducers: {},
    extraReducers: (b) => {
      b.addCase(login.pending, (s) => {
        s.status = 'loading'
      })
      b.addCase(login.fulfilled, (s, a) => {
        s.user = change === 'upper' ? a.payload.user.toUpperCase() : a.payload.user
        s.token = a.payload.token
        s.status = change === 'by-token' && a.payload.token.length < 12 ? 'short token' : 'idle'
      })
    },
  })
  const counter = createSlice({ name: 'counter', initialState: { value: 0 }, reducers: { incremented: (s) => void s.value++ } })
  const reducer = persistReducer({ key: 'app', storage: memoryStorage(), whitelist: ['auth'] }, combineReducers({ auth: auth.reducer, counter: counter.reducer }))
  return { reducer, login, incremented: counter.actions.incremented }
}

const middleware = (g: (o: object) => any) => g({ serializableCheck: { ignoredActions: [FLUSH, REHYDRATE, PAUSE, PERSIST, PURGE, REGISTER] } })

/** The `createStore` a scaffolded test imports from the app's store module. */
const createStore = (change: Change) => (preloadedState: unknown) => configureStore({ reducer: makeApp(change).reducer, preloadedState: preloadedState as never, middleware: middleware as never })

async function record(): Promise<Recording> {
  const app = makeApp()
  return recordSession(
    (rec) => configureStore({ reducer: app.reducer, middleware: (g) => g({ serializableCheck: { ignoredActions: [FLUSH, REHYDRATE, PAUSE, PERSIST, PURGE, REGISTER] } }).prepend(rec.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
    async (store) => {
      const persistor = persistStore(store)
      await new Promise<void>((resolve) => {
        if (persistor.getState().bootstrapped) resolve()
        else persistor.subscribe(() => persistor.getState().bootstrapped && resolve())
      })
      store.dispatch(app.incremented())
      await store.dispatch(app.login({ user: 'ada', password: 'hunter2-PASSWORD-xyz' }))
      store.dispatch(app.incremented())
      await persistor.flush()
    },
    { redact: { state: ['auth.token'], actions: ['payload.token', 'meta.arg.password'] } },
  )
}

describe('a redux-persist log with redacted values, replayed with `createStore` (as scaffold-test writes it)', () => {
  it('verifies with the same reducer', () => {
    const text = JSON.stringify(log)
    expect(text).not.toContain('SECRET-TOKEN')
    expect(text).not.toContain('hunter2')
    expect(replay(log, { createStore: createStore('none'), adapters: [reduxPersist()] })).toMatchObject({ ok: true, verified: true })
  })

  it('a reducer changed elsewhere than the redacted values: no redaction hint, the report names the change (checked by running the step again with other texts)', () => {
    const r = replay(log, { createStore: createStore('upper'), adapters: [reduxPersist()] })
    expect(r.divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'auth/login/fulfilled', redacted: ['payload.token', 'meta.arg.password'] })
    expect(r.divergence!.step).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'auth.user', replayed: 'ADA' })]))
    // Before: "Replay dispatched the action's values redacted when recording (…): a reducer that
    // computes state from them may differ here without any change of its own. Redact that state too".
    expect(r.divergence!.hint).toBeUndefined()
    const report = formatDivergence(r)
    expect(report).not.toContain('Redact that state too')
    expect(report).not.toContain('without any change of its own')
    // As with `reducer`: the redacted values are named, and -u leaves the log (rehash is named).
    expect(report).toContain('  redacted:      payload.token, meta.arg.password')
    const byReducer = replay(log, { reducer: makeApp('upper').reducer, adapters: [reduxPersist()] })
    expect(byReducer.divergence).toMatchObject({ kind: 'auth/login/fulfilled', redacted: r.divergence!.redacted })
    expect(byReducer.divergence!.hint).toBeUndefined()
    expect(updateRefusal(r)?.kind).toBe('redacted-replayed')
    expect(updateRefusal(r)).toEqual(updateRefusal(byReducer))
    expect(replayFailure(r, {}, 'test/sessions/login.jsonl')!.report).not.toContain('Redact that state too')
  })

  it('a step whose state the redacted value decides: the hint says so, checked (and -u refuses)', () => {
    const r = replay(log, { createStore: createStore('by-token'), adapters: [reduxPersist()] })
    expect(r.divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'auth/login/fulfilled' })
    expect(r.divergence!.hint).toMatch(/run again with other texts there, the reducer reaches another state, so this step depends on them/)
    expect(updateRefusal(r)?.text).toMatch(/^this step depends on values of its action that the log redacts/)
  })
})
