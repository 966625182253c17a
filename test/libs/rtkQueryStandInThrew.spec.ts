import { combineReducers, configureStore, createSlice, type Middleware, type UnknownAction } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { isActionEntry, replay } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { stateWhen, todoBackend, type Todo } from './helpers'

// Session 30: a `createStore` replay whose store runs RTK Query's middleware, at a registration
// entry that threw when recorded and throws again replayed (after the store's own registration
// stood in for the recorded one). The seq replay keeps for the store's registration was left
// unset (-1) by the throw and taken from the next step: the hint at a later divergence named that
// step as where the middleware registered itself.

const backend = todoBackend()
const makeApi = backend.makeApi
type Api = ReturnType<typeof makeApi>

/** An api action the app tracks (RTK Query's bookkeeping of subscriptions aside). */
const tracked = (a: UnknownAction) => a.type.startsWith('api/') && !/\/(subscriptions|internalSubscriptions)\//.test(a.type)
/** The app's bug: every tracked action is read as a request's (the registration has no `meta`). */
const endpointOf = (a: UnknownAction) => (a as unknown as { meta: { arg: { endpointName: string } } }).meta.arg.endpointName

/**
 * The app: `summary` counts the mutations that succeed (`per` each: 2 is the regression). The
 * version that recorded tracks the last endpoint in a reducer (`inReducer`), which throws on RTK
 * Query's registration; the version replayed moved that into a middleware after `api.middleware`,
 * bug and all, so it throws there after the registration reached the reducer.
 */
function app(api: Api, o: { per?: number; inReducer: boolean }) {
  const summary = createSlice({
    name: 'summary',
    initialState: { added: 0 },
    reducers: {},
    extraReducers: (b) => b.addMatcher(api.endpoints.addTodo.matchFulfilled, (s) => void (s.added += o.per ?? 1)),
  })
  const audit = createSlice({
    name: 'audit',
    initialState: { endpoint: '' },
    reducers: {},
    extraReducers: (b) => b.addMatcher(tracked, (s, a) => void (s.endpoint = endpointOf(a))),
  })
  const seen: string[] = []
  const track: Middleware = () => (next) => (action) => {
    const result = next(action)
    if (tracked(action as UnknownAction)) seen.push(endpointOf(action as UnknownAction))
    return result
  }
  const slices = { [api.reducerPath]: api.reducer, summary: summary.reducer }
  return { reducer: combineReducers(o.inReducer ? { ...slices, audit: audit.reducer } : slices), track }
}

/** Hashes the app's own slice: RTK Query's cache is not what the app checks. */
const serializeState = (s: unknown) => ({ summary: (s as { summary: unknown }).summary })

describe("a registration entry that threw, replayed into a store with RTK Query's middleware", () => {
  it('names the registration entry as where the middleware registered itself', async () => {
    backend.todos = [{ id: 1, title: 'milk' }]
    const recorded = makeApi()
    const { reducer } = app(recorded, { inReducer: true })
    const log = await recordSession(
      (rec) => configureStore({ reducer, middleware: (g) => g().prepend(rec.middleware).concat(recorded.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
      async (store) => {
        expect(() => store.dispatch({ type: 'app/started' })).toThrow(TypeError)
        const list = store.dispatch(recorded.endpoints.getTodos.initiate())
        await list
        await store.dispatch(recorded.endpoints.addTodo.initiate('eggs'))
        await stateWhen(store, (s) => (s as { api: { queries: Record<string, { data?: Todo[] }> } }).api.queries['getTodos(undefined)']?.data?.length === 2, 'the refetch')
        list.unsubscribe()
      },
      { serializeState },
    )
    const entries = log.entries.filter(isActionEntry)
    const registration = entries[0]!
    expect(registration).toMatchObject({ kind: 'api/config/middlewareRegistered', threw: { name: 'TypeError' } })
    expect(entries[1]!.kind).not.toBe('api/config/middlewareRegistered')

    const replayed = makeApi()
    const v2 = app(replayed, { per: 2, inReducer: false })
    const r = replay(log, {
      serializeState,
      createStore: (preloadedState) => configureStore({ reducer: v2.reducer, preloadedState: preloadedState as never, middleware: (g) => g().concat(replayed.middleware, v2.track) }),
    })
    expect(r.warnings.join('\n')).toContain(`The reducer threw at seq ${registration.seq} ('api/config/middlewareRegistered'), as it did when recorded`)
    expect(r.divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'api/executeMutation/fulfilled' })
    expect(r.divergence!.hint).toMatch(/^The replay store runs RTK Query's middleware for 'api'/)
    expect(r.divergence!.hint).toContain(`it registered itself at seq ${registration.seq})`)
  })
})
