import { configureStore } from '@reduxjs/toolkit'
import { createApi, fetchBaseQuery } from '@reduxjs/toolkit/query'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { formatDivergence, isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { json, startServer, type TestServer } from './helpers'

/**
 * Two RTK Query flows whose actions carry what JSON cannot (acceptance, session 26): both replayed
 * diverging, one with a hint the app could not follow.
 * - `api.util.upsertQueryData`: `meta.arg` holds a function under a symbol RTK Query does not
 *   export; its reducer asks whether it is there (an upsert keeps the entry's request).
 * - An infinite query's `refetch()` after a page fetch: `meta.arg.direction` is `undefined`, which
 *   RTK Query's reducer tells from no key (it clears the entry's direction).
 */

let server: TestServer
beforeAll(async () => {
  server = await startServer((req, _body, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/posts/1') return json(res, 200, { id: 1, title: 'from the server' })
    if (url.pathname === '/pages') {
      const page = Number(url.searchParams.get('page'))
      return json(res, 200, { page, items: [`item ${page}`], next: page < 3 ? page + 1 : null })
    }
    json(res, 404, { error: 'not found' })
  })
})
afterAll(() => server.close())

function makeApi() {
  return createApi({
    baseQuery: fetchBaseQuery({ baseUrl: server.url }),
    endpoints: (b) => ({
      getPost: b.query<{ id: number; title: string }, number>({ query: (id) => `/posts/${id}` }),
      pages: b.infiniteQuery<{ page: number; items: string[]; next: number | null }, void, number>({
        infiniteQueryOptions: {
          initialPageParam: 1,
          getNextPageParam: (last) => last.next ?? undefined,
          getPreviousPageParam: (_first, _all, firstParam) => (firstParam > 0 ? firstParam - 1 : undefined),
        },
        query: ({ pageParam }) => `/pages?page=${pageParam}`,
      }),
    }),
  })
}

async function record(run: (store: any, api: ReturnType<typeof makeApi>) => Promise<void>) {
  const api = makeApi()
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink] })
  const store = configureStore({
    reducer: { [api.reducerPath]: api.reducer },
    middleware: (g) => g().prepend(recorder.middleware).concat(api.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  await run(store, api)
  const live = store.getState()
  await recorder.close()
  // A fresh api for replay, as a test would build it: the reducer alone.
  const fresh = makeApi()
  const reducer = (s: any = {}, a: any) => ({ [fresh.reducerPath]: fresh.reducer(s[fresh.reducerPath], a) })
  return { log: sink.text(), live, reducer }
}

describe('RTK Query actions JSON cannot carry, replayed as recorded', () => {
  it('upsertQueryData: the log marks the symbol-keyed function omitted, and replay verifies every step', async () => {
    const { log, live, reducer } = await record(async (store, api) => {
      await store.dispatch(api.endpoints.getPost.initiate(1))
      await store.dispatch(api.util.upsertQueryData('getPost', 1, { id: 1, title: 'upserted' }))
    })
    const upserts = parseRecording(log).entries.filter(isActionEntry).filter((e) => e.omitted?.some((o) => o.path === 'meta.arg.[Symbol(forceQueryFn)]'))
    expect(upserts.map((e) => e.kind)).toEqual(['api/executeQuery/pending', 'api/executeQuery/fulfilled'])
    const result = replay(log, { reducer })
    expect(result.divergence, result.divergence && formatDivergence(result)).toBeUndefined()
    expect([result.ok, result.verified]).toEqual([true, true])
    expect(JSON.stringify(result.state)).toBe(JSON.stringify(live))
    expect((result.state as any).api.queries['getPost(1)'].data.title).toBe('upserted')
  })

  it('an infinite query refetched after a previous-page and a next-page fetch replays verified, its direction cleared as live', async () => {
    for (const direction of ['backward', 'forward'] as const) {
      const { log, live, reducer } = await record(async (store, api) => {
        const sub = store.dispatch(api.endpoints.pages.initiate(undefined, { initialPageParam: 2 }))
        await sub
        await store.dispatch(api.endpoints.pages.initiate(undefined, { direction }))
        expect(store.getState().api.queries['pages(undefined)'].direction).toBe(direction)
        await sub.refetch()
        sub.unsubscribe()
      })
      // (The live entry's direction is cleared: the refetch's `direction: undefined`.)
      expect((live as any).api.queries['pages(undefined)'].direction).toBeUndefined()
      const result = replay(log, { reducer })
      expect(result.divergence, result.divergence && formatDivergence(result)).toBeUndefined()
      expect([direction, result.ok, result.verified]).toEqual([direction, true, true])
      expect((result.state as any).api.queries['pages(undefined)'].direction).toBeUndefined()
      expect(JSON.stringify(result.state)).toBe(JSON.stringify(live))
    }
  })
})
