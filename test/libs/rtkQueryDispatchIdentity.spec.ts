import { combineReducers, configureStore } from '@reduxjs/toolkit'
import { createApi, fetchBaseQuery } from '@reduxjs/toolkit/query'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { isActionEntry, replay } from 'redux-flight-recorder/replay'
import { json, startServer, type TestServer } from './helpers'

// RTK Query ≥ 2.15 finds its per-store runtime in a WeakMap keyed by the `dispatch` a thunk
// receives: a recorder that hands thunks another function breaks it (issue 13).
let server: TestServer

beforeAll(async () => {
  server = await startServer((req, _body, res) => {
    if (req.url === '/ping') return json(res, 200, 'pong')
    json(res, 404, { error: 'not found' })
  })
})
afterAll(() => server.close())
afterEach(() => vi.unstubAllEnvs())

function makeStore(withRecorder: boolean) {
  const api = createApi({
    reducerPath: 'api',
    baseQuery: fetchBaseQuery({ baseUrl: server.url }),
    endpoints: (b) => ({ ping: b.query<string, number>({ query: () => '/ping' }) }),
  })
  const recorder = createFlightRecorder()
  const reducer = combineReducers({ [api.reducerPath]: api.reducer })
  const store = configureStore({
    reducer,
    middleware: (g) => (withRecorder ? g().prepend(recorder.middleware).concat(api.middleware) : g().concat(api.middleware)),
    enhancers: (g) => (withRecorder ? g().concat(recorder.enhancer) : g()),
  })
  return { api, store, recorder, reducer }
}

/** Two identical queries started together, as two components mounting at once would. */
async function pingTwice(withRecorder: boolean) {
  const { api, store, recorder, reducer } = makeStore(withRecorder)
  const a = store.dispatch(api.endpoints.ping.initiate(1))
  const b = store.dispatch(api.endpoints.ping.initiate(1))
  const results = await Promise.all([a, b])
  a.unsubscribe()
  b.unsubscribe()
  return { data: results.map((r) => r.data), store, recorder, reducer }
}

describe.each(['development', 'production'])('RTK Query with the recorder (%s)', (mode) => {
  it('resolves two identical queries started together exactly as without the recorder', async () => {
    vi.stubEnv('NODE_ENV', mode)
    const without = await pingTwice(false)
    const withIt = await pingTwice(true)
    expect(without.data).toEqual(['pong', 'pong'])
    expect(withIt.data).toEqual(without.data)
    expect(server.requests.filter((r) => r === 'GET /ping').length).toBeGreaterThanOrEqual(2)
    // and the session replays, with pending and fulfilled in one turn
    const log = withIt.recorder.snapshot({ finalState: true })
    expect(replay(log, { reducer: withIt.reducer })).toMatchObject({ ok: true, verified: true })
    const entries = log.entries.filter(isActionEntry)
    const pending = entries.find((e) => e.kind === 'api/executeQuery/pending')!
    const fulfilled = entries.find((e) => e.kind === 'api/executeQuery/fulfilled')!
    expect(fulfilled.turn).toBe(pending.turn)
  })

  it('does not warn that the API middleware is missing', async () => {
    vi.stubEnv('NODE_ENV', mode)
    const { api, store } = makeStore(true)
    const sub = store.dispatch(api.endpoints.ping.initiate(2))
    const result = await sub
    sub.unsubscribe()
    expect(result.error).toBeUndefined()
    expect(result.data).toBe('pong')
  })
})
