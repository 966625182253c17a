import { combineReducers, configureStore, createSlice, type Middleware, type UnknownAction } from '@reduxjs/toolkit'
import { createApi, fetchBaseQuery } from '@reduxjs/toolkit/query'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Recording } from 'redux-flight-recorder'
import { formatDivergence, isActionEntry, replay } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { json, startServer, type TestServer } from './helpers'

// Session 30: in a `createStore` replay with RTK Query's middleware in the store, the hint that
// the middleware acted within a step (dispatched actions of its own: "updating the log would not
// fix it", no advice to rehash) took the step's first reducer run for the step's own action. Where
// another middleware of the app dispatches before passing the step's action on, the step's own
// action is the second run, and its own change of the api slice was taken for the middleware's:
// a reducer that changed at a query result was reported as RTK Query's middleware acting.

interface Todo {
  id: number
  title: string
}

let server: TestServer
const todos: Todo[] = [{ id: 1, title: 'milk' }]

beforeAll(async () => {
  server = await startServer((req, _body, res) => {
    if (req.method === 'GET' && req.url === '/todos') return json(res, 200, todos)
    json(res, 500, { error: 'unexpected' })
  })
})
afterAll(() => server.close())

function makeApi() {
  return createApi({
    reducerPath: 'api',
    baseQuery: fetchBaseQuery({ baseUrl: server.url }),
    endpoints: (b) => ({ getTodos: b.query<Todo[], void>({ query: () => '/todos' }) }),
  })
}
type Api = ReturnType<typeof makeApi>

/**
 * The app: `summary` counts the todos a result holds (`per` a todo: 2 is the regression); `ui`
 * says whether a query is loading, which the app's own middleware clears before a result reaches
 * the reducers (the screen drops its spinner first). Clearing it twice leaves it as it was.
 */
function app(api: Api, per = 1) {
  const summary = createSlice({
    name: 'summary',
    initialState: { todos: 0 },
    reducers: {},
    extraReducers: (b) => b.addMatcher(api.endpoints.getTodos.matchFulfilled, (s, a) => void (s.todos = a.payload.length * per)),
  })
  const ui = createSlice({
    name: 'ui',
    initialState: { loading: false },
    reducers: { loaded: (s) => void (s.loading = false) },
    extraReducers: (b) => b.addMatcher(api.endpoints.getTodos.matchPending, (s) => void (s.loading = true)),
  })
  const spinner: Middleware = (mw) => (next) => (action) => {
    if (api.endpoints.getTodos.matchFulfilled(action as UnknownAction)) mw.dispatch(ui.actions.loaded())
    return next(action)
  }
  return { reducer: combineReducers({ [api.reducerPath]: api.reducer, summary: summary.reducer, ui: ui.reducer }), spinner }
}

async function record(): Promise<Recording> {
  const api = makeApi()
  const { reducer, spinner } = app(api)
  return recordSession(
    (rec) => configureStore({ reducer, middleware: (g) => g().prepend(rec.middleware).concat(spinner, api.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
    async (store) => {
      const list = store.dispatch(api.endpoints.getTodos.initiate())
      await list
      list.unsubscribe()
    },
  )
}

function storeFactory(per: number) {
  const api = makeApi()
  const { reducer, spinner } = app(api, per)
  return (preloadedState: unknown) => configureStore({ reducer, preloadedState: preloadedState as never, middleware: (g) => g().concat(spinner, api.middleware) })
}

describe("RTK Query's middleware in the replay store, behind a middleware that dispatches first", () => {
  it('reports a reducer that changed at a query result as such (with the advice to rehash), not as the middleware acting', async () => {
    const log = await record()
    const kinds = log.entries.filter(isActionEntry).map((e) => e.kind)
    expect(kinds.slice(-2)).toEqual(['ui/loaded', 'api/executeQuery/fulfilled'])
    expect(replay(log, { createStore: storeFactory(1) })).toMatchObject({ ok: true, verified: true })

    const r = replay(log, { createStore: storeFactory(2) })
    expect(r.divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'api/executeQuery/fulfilled', step: expect.arrayContaining([expect.objectContaining({ path: 'summary.todos', replayed: 2 })]) })
    expect(r.divergence!.hint ?? '').not.toContain("RTK Query's middleware")
    const text = formatDivergence(r)
    expect(text).not.toContain("The replay store runs RTK Query's middleware")
    expect(text).toContain('if the reducer changed on purpose, update the log')
  })
})
