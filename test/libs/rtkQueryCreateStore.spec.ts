import { combineReducers, configureStore, createSlice, type Reducer } from '@reduxjs/toolkit'
import { createApi, fetchBaseQuery } from '@reduxjs/toolkit/query'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Recording } from 'redux-flight-recorder'
import { formatDivergence, isActionEntry, rehashRecording, replay } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { json, startServer, stateWhen, type TestServer } from './helpers'

// A replay into a store of the app's own (`createStore`, as redux-persist needs) of an app using
// RTK Query. Each createApi stamps a random id, which its middleware registers with; the replay
// store's api has another id than the recording's, so the recorded registration makes its reducer
// say 'conflict' (with the api's middleware in the store or without), and a store with the
// middleware registers again within a replayed resetApiState. Replay compares the store's state
// with the value the recording had there (as it does for a `reducer` replay), and says when the
// replay store's middleware acts on the replayed actions (which replay cannot undo).

interface Todo {
  id: number
  title: string
}

let server: TestServer
let todos: Todo[] = []

beforeAll(async () => {
  server = await startServer((req, body, res) => {
    const url = req.url ?? '/'
    if (req.method === 'GET' && url === '/todos') return json(res, 200, todos)
    if (req.method === 'POST' && url === '/todos') {
      const todo = { id: todos.length + 1, title: JSON.parse(body).title }
      todos.push(todo)
      return json(res, 201, todo)
    }
    const rename = /^\/todos\/(\d+)$/.exec(url)
    if (req.method === 'PATCH' && rename) {
      const todo = todos.find((t) => t.id === Number(rename[1]))!
      todo.title = JSON.parse(body).title
      return json(res, 200, todo)
    }
    json(res, 500, { error: 'unexpected' })
  })
})
afterAll(() => server.close())

function makeApi() {
  return createApi({
    reducerPath: 'api',
    baseQuery: fetchBaseQuery({ baseUrl: server.url }),
    tagTypes: ['Todo'],
    endpoints: (b) => ({
      getTodos: b.query<Todo[], void>({ query: () => '/todos', providesTags: ['Todo'] }),
      addTodo: b.mutation<Todo, string>({ query: (title) => ({ url: '/todos', method: 'POST', body: { title } }), invalidatesTags: ['Todo'] }),
      rename: b.mutation<Todo, { id: number; title: string }>({ query: ({ id, title }) => ({ url: `/todos/${id}`, method: 'PATCH', body: { title } }) }),
    }),
  })
}
type Api = ReturnType<typeof makeApi>

const ui = createSlice({ name: 'ui', initialState: { clicks: 0 }, reducers: { clicked: (s) => void s.clicks++ } })
/**
 * Counts every action but Redux's own (a store built from a state runs INIT again): it sees every
 * action that reaches the reducers, the replay store's middleware's too. `by` 2 is a regression.
 */
const counter = (by: number) => (s = { actions: 0 }, a: { type: string }) => (a.type.startsWith('@@redux/') ? s : { actions: s.actions + by })
/** The app's reducer; `by`: the counter's step (none without). */
const appReducer = (api: Api, by?: number): Reducer =>
  combineReducers({ [api.reducerPath]: api.reducer, ui: ui.reducer, ...(by !== undefined ? { counted: counter(by) } : {}) })

/** The app's store module's `createStore`, as docs/api/replay.md suggests: a fresh store per replay, with a fresh api (as in another process). */
function storeFactory(options: { middleware: boolean; by?: number }) {
  const api = makeApi()
  const reducer = appReducer(api, options.by)
  return (preloadedState: unknown) =>
    configureStore({ reducer, preloadedState: preloadedState as never, middleware: (g) => (options.middleware ? g().concat(api.middleware) : g()) })
}

type Registered = { api: { config: { middlewareRegistered: unknown } } }
const registered = (state: unknown) => (state as Registered).api.config.middlewareRegistered

/** A session with no tag invalidation: the middleware's registration, a query, a mutation, the subscriptions synced into the state; with a counter of every action. */
async function recordPlainSession(): Promise<Recording> {
  todos = [{ id: 1, title: 'milk' }]
  const api = makeApi()
  const log = await recordSession(
    (rec) => configureStore({ reducer: appReducer(api, 1), middleware: (g) => g().prepend(rec.middleware).concat(api.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
    async (store) => {
      store.dispatch(ui.actions.clicked())
      const list = store.dispatch(api.endpoints.getTodos.initiate())
      await list
      await store.dispatch(api.endpoints.rename.initiate({ id: 1, title: 'oat milk' }))
      // RTK Query syncs its subscriptions into the state on a timer of its own.
      await stateWhen(store, (s) => Object.keys((s as { api: { subscriptions: object } }).api.subscriptions).length > 0, 'the subscriptions synced into the state')
      list.unsubscribe()
      store.dispatch(ui.actions.clicked())
      expect(registered(store.getState())).toBe(true)
    },
  )
  const kinds = log.entries.filter(isActionEntry).map((e) => e.kind)
  expect(kinds.slice(0, 2)).toEqual(['api/config/middlewareRegistered', 'ui/clicked'])
  expect(kinds).toContain('api/executeMutation/fulfilled')
  expect(kinds).toContain('api/internalSubscriptions/subscriptionsUpdated')
  return log
}

/** A query, then `resetApiState`, after which the middleware registers again (an entry of its own); `by`: a counter of every action. */
async function recordResetSession(by?: number): Promise<Recording> {
  todos = [{ id: 1, title: 'milk' }]
  const api = makeApi()
  const log = await recordSession(
    (rec) => configureStore({ reducer: appReducer(api, by), middleware: (g) => g().prepend(rec.middleware).concat(api.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
    async (store) => {
      await store.dispatch(api.endpoints.getTodos.initiate(undefined, { subscribe: false }))
      store.dispatch(api.util.resetApiState())
      store.dispatch(ui.actions.clicked())
      expect(registered(store.getState())).toBe(true)
    },
  )
  expect(log.entries.filter(isActionEntry).map((e) => e.kind).slice(-3)).toEqual(['api/resetApiState', 'api/config/middlewareRegistered', 'ui/clicked'])
  return log
}

describe('RTK Query replayed into a store of the app (`createStore`)', () => {
  it('replays verified with the api middleware in the replay store and without, sending no request', async () => {
    const log = await recordPlainSession()
    const requests = server.requests.length
    for (const middleware of [false, true]) {
      const r = replay(log, { createStore: storeFactory({ middleware, by: 1 }) })
      expect(formatDivergence(r), `api.middleware in the replay store: ${middleware}`).toMatch(/^Replay ok/)
      expect(r).toMatchObject({ ok: true, verified: true })
      expect(r.steps).toBe(log.entries.filter(isActionEntry).length)
      expect(registered(r.state)).toBe(true)
    }
    // (The middleware's own timer, syncing the subscriptions replayed, sends nothing either.)
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(server.requests.length).toBe(requests)
  })

  it('replays a reset verified, with the middleware registering again within it in the replay store and without', async () => {
    const log = await recordResetSession()
    for (const middleware of [false, true]) {
      const r = replay(log, { createStore: storeFactory({ middleware }) })
      expect(formatDivergence(r), `api.middleware in the replay store: ${middleware}`).toMatch(/^Replay ok/)
      expect(r).toMatchObject({ ok: true, verified: true })
      expect(registered(r.state)).toBe(true)
    }
  })

  it("says that a reducer which sees every action sees the replay store's middleware register within a reset, with no advice to rehash", async () => {
    const log = await recordResetSession(1)
    expect(replay(log, { createStore: storeFactory({ middleware: false, by: 1 }) })).toMatchObject({ ok: true, verified: true })
    const r = replay(log, { createStore: storeFactory({ middleware: true, by: 1 }) })
    expect(r.divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'api/resetApiState', step: expect.arrayContaining([{ path: 'counted.actions', recorded: 3, replayed: 5 }]) })
    expect(r.divergence!.hint).toMatch(/^The replay store runs RTK Query's middleware for 'api' \(`api.middleware`; it registered itself at seq 1\): .*\(it registers itself again within a `resetApiState`/)
    const text = formatDivergence(r)
    expect(text).not.toContain('rehash')
    expect(text).not.toContain('conflict')
  })

  it('rehashes with a createStore as recorded: no "conflict" written into the log', async () => {
    const log = await recordPlainSession()
    for (const middleware of [false, true]) {
      const recording = rehashRecording(log, { createStore: storeFactory({ middleware, by: 1 }) })
      expect(recording.rehash.changed).toBe(0)
      expect(JSON.stringify(recording)).not.toContain('conflict')
      expect(replay(recording, { reducer: appReducer(makeApi(), 1) })).toMatchObject({ ok: true, verified: true })
    }
  })

  it('keeps a conflict the recording really had', async () => {
    const sliceApi = makeApi()
    const otherApi = makeApi() // same reducerPath, another instance: RTK Query records 'conflict'
    const log = await recordSession(
      (rec) => configureStore({ reducer: appReducer(sliceApi), middleware: (g) => g().prepend(rec.middleware).concat(otherApi.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
      (store) => {
        store.dispatch(ui.actions.clicked())
        expect(registered(store.getState())).toBe('conflict')
      },
    )
    for (const middleware of [false, true]) {
      const r = replay(log, { createStore: storeFactory({ middleware }) })
      expect(r).toMatchObject({ ok: true, verified: true })
      expect(registered(r.state)).toBe('conflict')
    }
  })

  it('a regression at the registration step is reported without the replay store\'s "conflict", with the advice to rehash', async () => {
    const log = await recordPlainSession()
    for (const middleware of [false, true]) {
      const r = replay(log, { createStore: storeFactory({ middleware, by: 2 }) })
      // (The store's own registration, with the middleware, is the one that reaches the reducers.)
      const d = r.divergence!
      expect(d).toMatchObject({ reason: 'hash-mismatch', seq: 1, kind: 'api/config/middlewareRegistered' })
      // One registration reaches the reducers, the store's middleware's or the recorded one.
      expect(d.step).toEqual([
        { path: 'api.config.middlewareRegistered', recorded: false, replayed: true },
        { path: 'counted.actions', recorded: 0, replayed: 2 },
      ])
      const text = formatDivergence(r)
      expect(text).not.toContain('conflict')
      expect(text).toContain('if the reducer changed on purpose, update the log')
    }
  })

  it("says when the replay store's middleware acts on a replayed action (a mutation's invalidated tags), and gives no advice to rehash", async () => {
    todos = [{ id: 1, title: 'milk' }]
    const api = makeApi()
    const log = await recordSession(
      (rec) => configureStore({ reducer: appReducer(api), middleware: (g) => g().prepend(rec.middleware).concat(api.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
      async (store) => {
        const list = store.dispatch(api.endpoints.getTodos.initiate())
        await list
        await store.dispatch(api.endpoints.addTodo.initiate('eggs')) // invalidates 'Todo': getTodos refetches
        await stateWhen(store, (s) => (s as { api: { queries: Record<string, { data?: Todo[]; status: string }> } }).api.queries['getTodos(undefined)']?.data?.length === 2, 'the refetch')
        list.unsubscribe()
      },
    )
    const kinds = log.entries.filter(isActionEntry).map((e) => e.kind)
    const fulfilled = kinds.indexOf('api/executeMutation/fulfilled')
    expect(kinds.slice(fulfilled + 1, fulfilled + 3)).toEqual(['api/executeQuery/pending', 'api/executeQuery/fulfilled'])

    expect(replay(log, { createStore: storeFactory({ middleware: false }) })).toMatchObject({ ok: true, verified: true })

    const r = replay(log, { createStore: storeFactory({ middleware: true }) })
    const d = r.divergence!
    expect(d).toMatchObject({ reason: 'hash-mismatch', kind: 'api/executeMutation/fulfilled' })
    expect(d.hint).toMatch(/^The replay store runs RTK Query's middleware for 'api' \(`api.middleware`; it registered itself at seq 1\)/)
    const text = formatDivergence(r)
    expect(text).toContain('build the replay store without `api.middleware`')
    expect(text).not.toContain('rehash')
    expect(text).not.toContain('conflict')
  })
})
