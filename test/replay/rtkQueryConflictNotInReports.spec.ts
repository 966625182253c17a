import { combineReducers, configureStore, createDynamicMiddleware, createSlice, type Reducer } from '@reduxjs/toolkit'
import { createApi, fakeBaseQuery } from '@reduxjs/toolkit/query'
import { describe, expect, it } from 'vitest'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'

// RTK Query's reducer sets `config.middlewareRegistered` to 'conflict' when the registering
// middleware's id is not its api's own, which on replay (a fresh api, no middleware) it never is.
// Replay stands in for the middleware; a regression elsewhere in the state must not bring the
// artefact into the report (the step's effect, the full-state diff).

const makeApi = () => createApi({ reducerPath: 'api', baseQuery: fakeBaseQuery(), endpoints: (q) => ({ one: q.query<number, void>({ queryFn: () => ({ data: 1 }) }) }) })
const a = createSlice({ name: 'a', initialState: { n: 0 }, reducers: { inc: (s) => void s.n++ } })
/** Counts every action; `by` 2 is the regression. */
const counter = (by: number) => (s = { actions: 0 }) => ({ actions: s.actions + by })

const appReducer = (api: ReturnType<typeof makeApi>, by: number): Reducer => combineReducers({ a: a.reducer, counted: counter(by), [api.reducerPath]: api.reducer })

function expectNoConflict(text: string, paths: string[] | undefined) {
  expect(text).not.toContain('conflict')
  expect(paths).not.toContain('api.config.middlewareRegistered')
}

describe("RTK Query's middleware conflict is no part of a divergence report", () => {
  it('the regression at the step the api registers its middleware (the first)', async () => {
    const api = makeApi()
    const log = await recordSession(
      (rec) => configureStore({ reducer: appReducer(api, 1), middleware: (g) => g().prepend(rec.middleware).concat(api.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
      (store) => {
        store.dispatch(a.actions.inc())
        store.dispatch(a.actions.inc())
      },
    )
    expect(log.entries[0]).toMatchObject({ seq: 1, kind: 'api/config/middlewareRegistered' })
    expect(replay(log, { reducer: appReducer(makeApi(), 1) })).toMatchObject({ ok: true, verified: true })

    const r = replay(log, { reducer: appReducer(makeApi(), 2) })
    const d = r.divergence!
    expect(d).toMatchObject({ reason: 'hash-mismatch', seq: 1, kind: 'api/config/middlewareRegistered', diffAt: '@@end' })
    // The step's effect is what the app's step does (false → true), with the regression beside it.
    expect(d.step).toEqual([
      { path: 'counted.actions', recorded: 1, replayed: 3 },
      { path: 'api.config.middlewareRegistered', recorded: false, replayed: true },
    ])
    expect(d.diff).toEqual([{ path: 'counted.actions', recorded: 4, replayed: 7 }])
    expectNoConflict(formatDivergence(r), d.diff!.map((x) => x.path))
  })

  it('the api registering after the divergence (a middleware added later), replayed on to @@end', async () => {
    const api = makeApi()
    const dynamic = createDynamicMiddleware()
    const log = await recordSession(
      (rec) => configureStore({ reducer: appReducer(api, 1), middleware: (g) => g().prepend(rec.middleware).concat(dynamic.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
      (store) => {
        store.dispatch(a.actions.inc())
        dynamic.addMiddleware(api.middleware)
        store.dispatch(a.actions.inc())
        expect(store.getState().api.config.middlewareRegistered).toBe(true)
      },
    )
    expect(log.entries.map((e) => e.kind)).toEqual(['a/inc', 'api/config/middlewareRegistered', 'a/inc'])
    expect(replay(log, { reducer: appReducer(makeApi(), 1) })).toMatchObject({ ok: true, verified: true })

    const r = replay(log, { reducer: appReducer(makeApi(), 2) })
    const d = r.divergence!
    expect(d).toMatchObject({ reason: 'hash-mismatch', seq: 1, kind: 'a/inc', diffAt: '@@end' })
    expect(d.diff).toEqual([{ path: 'counted.actions', recorded: 4, replayed: 7 }])
    expectNoConflict(formatDivergence(r), d.diff!.map((x) => x.path))
  })
})
