import { combineReducers, configureStore } from '@reduxjs/toolkit'
import { createApi, fetchBaseQuery } from '@reduxjs/toolkit/query'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ActionEntry } from 'redux-flight-recorder'
import { formatDivergence, isActionEntry, replay } from 'redux-flight-recorder/replay'
import { expectReplay, recordSession } from 'redux-flight-recorder/testing'
import { json, settle, startServer, type TestServer } from './helpers'
import { todosSlice } from '../helpers/todoApp'

interface Todo {
  id: number
  title: string
}

let server: TestServer
const todos: Todo[] = [{ id: 1, title: 'milk' }]

beforeAll(async () => {
  server = await startServer((req, body, res) => {
    const url = req.url ?? '/'
    if (req.method === 'GET' && url === '/todos') return json(res, 200, todos)
    const one = /^\/todos\/(\d+)$/.exec(url)
    if (req.method === 'GET' && one) {
      const todo = todos.find((t) => t.id === Number(one[1]))
      return todo ? json(res, 200, todo) : json(res, 404, { error: 'not found' })
    }
    if (req.method === 'POST' && url === '/todos') {
      const todo = { id: todos.length + 1, title: JSON.parse(body).title }
      todos.push(todo)
      return json(res, 201, todo)
    }
    json(res, 500, { error: 'unexpected' })
  })
})
afterAll(() => server.close())

function makeApi(baseUrl: string) {
  return createApi({
    reducerPath: 'api',
    baseQuery: fetchBaseQuery({ baseUrl }),
    tagTypes: ['Todo'],
    endpoints: (b) => ({
      getTodos: b.query<Todo[], void>({ query: () => '/todos', providesTags: ['Todo'] }),
      getTodo: b.query<Todo, number>({ query: (id) => `/todos/${id}` }),
      addTodo: b.mutation<Todo, string>({ query: (title) => ({ url: '/todos', method: 'POST', body: { title } }), invalidatesTags: ['Todo'] }),
    }),
  })
}

describe('RTK Query (createApi + fetchBaseQuery)', () => {
  it('records a real session and replays it with the reducer alone, ok, with zero HTTP requests', async () => {
    const faults: unknown[] = []
    const api = makeApi(server.url)
    const reducer = combineReducers({ [api.reducerPath]: api.reducer, todos: todosSlice.reducer })
    const log = await recordSession(
      (rec) =>
        configureStore({
          reducer,
          middleware: (g) => g().prepend(rec.middleware).concat(api.middleware),
          enhancers: (g) => g().concat(rec.enhancer),
        }),
      async (store) => {
        const list = store.dispatch(api.endpoints.getTodos.initiate())
        await list
        await store.dispatch(api.endpoints.addTodo.initiate('eggs')) // invalidates 'Todo': getTodos refetches
        await settle(50)
        await store.dispatch(api.endpoints.getTodo.initiate(2, { subscribe: false }))
        await store.dispatch(api.endpoints.getTodo.initiate(99, { subscribe: false })) // a 404: rejected
        list.unsubscribe()
        await settle(20)
        expect(store.getState().api.queries['getTodos(undefined)']?.data).toEqual([
          { id: 1, title: 'milk' },
          { id: 2, title: 'eggs' },
        ])
      },
      // RTK Query's reducers are deterministic (timestamps and request ids come in the actions).
      { checkDeterminism: true, onError: (e) => faults.push(e) },
    )
    expect(faults).toEqual([])
    const recorded = server.requests.length
    expect(recorded).toBeGreaterThanOrEqual(5)

    const entries = log.entries.filter((e): e is ActionEntry => isActionEntry(e))
    const kinds = entries.map((e) => e.kind)
    expect(kinds).toContain('api/executeQuery/fulfilled')
    expect(kinds).toContain('api/executeQuery/rejected')
    expect(kinds).toContain('api/executeMutation/fulfilled')
    // Request/Response in meta.baseQueryMeta are left out silently; everything else in meta.arg stays.
    for (const e of entries) {
      expect(e.recordable, e.kind).not.toBe(false)
      const meta = (e.action as { meta?: { baseQueryMeta?: unknown; arg?: unknown } }).meta
      expect(meta?.baseQueryMeta, e.kind).toBeUndefined()
    }
    const fulfilled = entries.find((e) => e.kind === 'api/executeQuery/fulfilled')!
    expect((fulfilled.action as unknown as { meta: { arg: { endpointName: string } } }).meta.arg.endpointName).toBe('getTodos')
    // A thunk's actions share the turn of the dispatch that started it.
    const pending = entries.find((e) => e.kind === 'api/executeQuery/pending')!
    expect(fulfilled.turn).toBe(pending.turn)

    const result = replay(log, { reducer: makeReducerForReplay() })
    expect(formatDivergence(result)).toMatch(/^Replay ok/)
    expect(result).toMatchObject({ ok: true, verified: true })
    expect(result.steps).toBe(entries.length)
    expectReplay(log, { reducer })
    await settle(50)
    expect(server.requests.length).toBe(recorded) // replay sent nothing

    function makeReducerForReplay() {
      // A fresh api, as a regression test in another process would build it.
      const fresh = makeApi(server.url)
      return combineReducers({ [fresh.reducerPath]: fresh.reducer, todos: todosSlice.reducer })
    }
  })

  it('keeps a real middleware conflict: replay stands in for the middleware only when that matches the recording', async () => {
    const sliceApi = makeApi(server.url)
    const otherApi = makeApi(server.url) // same reducerPath, different instance: RTK Query records 'conflict'
    const log = await recordSession(
      (rec) =>
        configureStore({
          reducer: { [sliceApi.reducerPath]: sliceApi.reducer },
          middleware: (g) => g().prepend(rec.middleware).concat(otherApi.middleware),
          enhancers: (g) => g().concat(rec.enhancer),
        }),
      (store) => {
        store.dispatch({ type: 'app/started' })
        expect(store.getState().api.config.middlewareRegistered).toBe('conflict')
      },
    )
    const fresh = makeApi(server.url)
    const result = replay(log, { reducer: combineReducers({ [fresh.reducerPath]: fresh.reducer }) })
    expect(result).toMatchObject({ ok: true, verified: true })
    expect((result.state as { api: { config: { middlewareRegistered: unknown } } }).api.config.middlewareRegistered).toBe('conflict')
  })
})

