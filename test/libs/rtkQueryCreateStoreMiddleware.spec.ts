import { combineReducers, configureStore, createSlice, type Middleware } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import type { Recording } from 'redux-flight-recorder'
import { formatDivergence, isActionEntry, replay } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { stateWhen, todoBackend, type Todo } from './helpers'

// RTK Query replayed into a store of the app's own (`createStore`) with `api.middleware` in it
// (session 29):
// - the hint that the replay store's middleware acted ("updating the log would not fix it", no
//   advice to rehash) is given only where it did act within the step (dispatched actions of its
//   own); a reducer that changed at an api action is reported as such, with the advice to rehash;
// - the app's middleware (a crash reporter) sees nothing thrown by replay, which ended the recorded
//   registration's dispatch by throwing through it.

const backend = todoBackend()
const makeApi = backend.makeApi
type Api = ReturnType<typeof makeApi>

/** The app's reducer: a slice that counts the todos each result of the query holds (`per` a todo: 2 is the regression). */
function appReducer(api: Api, per = 1) {
  const summary = createSlice({
    name: 'summary',
    initialState: { todos: 0, clicks: 0 },
    reducers: { clicked: (s) => void s.clicks++ },
    extraReducers: (b) => b.addMatcher(api.endpoints.getTodos.matchFulfilled, (s, a) => void (s.todos = a.payload.length * per)),
  })
  return { reducer: combineReducers({ [api.reducerPath]: api.reducer, summary: summary.reducer }), clicked: summary.actions.clicked }
}

/** A crash reporter of the app's: tells `reported` of whatever is thrown through it, and throws it on. */
function crashReporter(reported: unknown[]): Middleware {
  return () => (next) => (action) => {
    try {
      return next(action)
    } catch (error) {
      reported.push(error)
      throw error
    }
  }
}

/** The store module's `createStore`: a fresh api per replay (as in another process), its middleware in the store, crash reporters before and after it. */
function storeFactory(options: { per?: number; reported?: unknown[]; middleware?: boolean } = {}) {
  const api = makeApi()
  const { reducer } = appReducer(api, options.per)
  const reported = options.reported ?? []
  return (preloadedState: unknown) =>
    configureStore({
      reducer,
      preloadedState: preloadedState as never,
      middleware: (g) => (options.middleware === false ? g().prepend(crashReporter(reported)) : g().prepend(crashReporter(reported)).concat(api.middleware, crashReporter(reported))),
    })
}

/** A session: a click, the query, and (with `invalidate`) a mutation whose tags make the query refetch. */
async function record(invalidate: boolean): Promise<Recording> {
  backend.todos = [{ id: 1, title: 'milk' }]
  const api = makeApi()
  const { reducer, clicked } = appReducer(api)
  return recordSession(
    (rec) => configureStore({ reducer, middleware: (g) => g().prepend(rec.middleware).concat(api.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
    async (store) => {
      store.dispatch(clicked())
      const list = store.dispatch(api.endpoints.getTodos.initiate())
      await list
      if (invalidate) {
        await store.dispatch(api.endpoints.addTodo.initiate('eggs'))
        await stateWhen(store, (s) => (s as { api: { queries: Record<string, { data?: Todo[] }> } }).api.queries['getTodos(undefined)']?.data?.length === 2, 'the refetch')
      }
      store.dispatch(clicked())
      list.unsubscribe()
    },
  )
}

describe("RTK Query's middleware in the replay store (`createStore`)", () => {
  it('reports a reducer that changed at a query result as a regression, with the advice to rehash, and not as the middleware acting', async () => {
    const log = await record(false)
    expect(replay(log, { createStore: storeFactory() })).toMatchObject({ ok: true, verified: true })
    const r = replay(log, { createStore: storeFactory({ per: 2 }) })
    expect(r.divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'api/executeQuery/fulfilled', step: expect.arrayContaining([expect.objectContaining({ path: 'summary.todos', replayed: 2 })]) })
    expect(r.divergence!.hint ?? '').not.toContain("RTK Query's middleware")
    const text = formatDivergence(r)
    expect(text).not.toContain("The replay store runs RTK Query's middleware")
    expect(text).toContain('if the reducer changed on purpose, update the log')
    expect(text).toContain('rehash')
  })

  it('still says so where the middleware acts within the step (the refetch that a mutation invalidates), the reducer unchanged', async () => {
    const log = await record(true)
    const kinds = log.entries.filter(isActionEntry).map((e) => e.kind)
    const fulfilled = kinds.indexOf('api/executeMutation/fulfilled')
    // The refetch follows the mutation. (The entry after its pending was another action once, on a
    // loaded machine, session 37: what RTK Query dispatches between is not this test's point.)
    expect(kinds[fulfilled + 1]).toBe('api/executeQuery/pending')
    expect(kinds.slice(fulfilled + 2)).toContain('api/executeQuery/fulfilled')
    const r = replay(log, { createStore: storeFactory() })
    expect(r.divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'api/executeMutation/fulfilled' })
    expect(r.divergence!.hint).toMatch(/^The replay store runs RTK Query's middleware for 'api'/)
    const text = formatDivergence(r)
    expect(text).not.toContain('rehash')
    // The states meet again after the refetch's own entry: the report does not call the log damaged.
    expect(text).not.toContain('damaged')
    expect(text).toContain(`the replay store's middleware ran within seq ${r.divergence!.seq} what the log holds next (see the hint).`)
  })

  it("lets the app's crash reporter see nothing thrown during a clean replay, with the middleware in the store and without", async () => {
    const log = await record(false)
    expect(log.entries.filter(isActionEntry)[0]?.kind).toBe('api/config/middlewareRegistered')
    for (const middleware of [true, false]) {
      const reported: unknown[] = []
      const r = replay(log, { createStore: storeFactory({ reported, middleware }) })
      expect(formatDivergence(r), `api.middleware in the replay store: ${middleware}`).toMatch(/^Replay ok/)
      expect(r).toMatchObject({ ok: true, verified: true })
      expect((r.state as { api: { config: { middlewareRegistered: unknown } } }).api.config.middlewareRegistered).toBe(true)
      expect(reported.map(String)).toEqual([])
    }
  })
})
