import { combineReducers, configureStore, createSlice, type Reducer, type UnknownAction } from '@reduxjs/toolkit'
import { createApi, fetchBaseQuery, type FetchBaseQueryMeta } from '@reduxjs/toolkit/query'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { json, startServer, type TestServer } from './helpers'

/**
 * RTK Query's `meta.baseQueryMeta` (the request's Request/Response) is left out of the log without
 * a note (docs/FORMAT.md). A reducer that reads it gets `undefined` in replay: with the same code,
 * the step diverges or throws. The report must say that, not advise updating the log.
 */

interface Product {
  id: string
  price: number
}

let server: TestServer

beforeAll(async () => {
  server = await startServer((req, _body, res) => {
    if (req.method === 'GET' && req.url === '/products') return json(res, 200, [{ id: 'p1', price: 3.5 }])
    json(res, 500, { error: 'unexpected' })
  })
})
afterAll(() => server.close())

function makeApi(baseUrl: string) {
  return createApi({
    reducerPath: 'api',
    baseQuery: fetchBaseQuery({ baseUrl }),
    tagTypes: ['Product'],
    endpoints: (b) => ({
      // providesTags receives baseQueryMeta too (RTK Query's own reducer reads it), without depending on it.
      getProducts: b.query<Product[], void>({ query: () => '/products', providesTags: (_r, _e, _arg, meta) => (meta ? ['Product'] : ['Product']) }),
      getProductsWithStatus: b.query<{ products: Product[]; status: number }, void>({
        query: () => '/products',
        transformResponse: (products: Product[], meta) => ({ products, status: meta?.response?.status ?? 0 }),
      }),
    }),
  })
}

type Api = ReturnType<typeof makeApi>
type Catalog = (api: Api) => Reducer<{ lastStatus: unknown; loads: number }, UnknownAction>

async function recordWith(catalog: Catalog) {
  const api = makeApi(server.url)
  const reducer = combineReducers({ [api.reducerPath]: api.reducer, catalog: catalog(api) })
  const log = await recordSession(
    (rec) =>
      configureStore({
        reducer,
        middleware: (g) => g().prepend(rec.middleware).concat(api.middleware),
        enhancers: (g) => g().concat(rec.enhancer),
      }),
    async (store) => {
      await store.dispatch(api.endpoints.getProducts.initiate())
      await store.dispatch(api.endpoints.getProductsWithStatus.initiate())
    },
  )
  return { log, api, reducer }
}

const lenient: Catalog = (api) => (s = { lastStatus: null, loads: 0 }, a) =>
  api.endpoints.getProducts.matchFulfilled(a) ? { lastStatus: (a.meta.baseQueryMeta as FetchBaseQueryMeta | undefined)?.response?.status ?? 'unknown', loads: s.loads + 1 } : s
const strict: Catalog = (api) => (s = { lastStatus: null, loads: 0 }, a) =>
  api.endpoints.getProducts.matchFulfilled(a) ? { lastStatus: (a.meta.baseQueryMeta as FetchBaseQueryMeta).response!.status, loads: s.loads + 1 } : s
const fromPayload = (step: number): Catalog => (api) => (s = { lastStatus: null, loads: 0 }, a) =>
  api.endpoints.getProductsWithStatus.matchFulfilled(a) ? { lastStatus: a.payload.status, loads: s.loads + step } : s

describe("RTK Query's baseQueryMeta, left out of the log", () => {
  it('names it when the unchanged reducer diverges because it reads it, and does not advise updating the log', async () => {
    const { log, reducer } = await recordWith(lenient)
    const result = replay(log, { reducer })
    expect(result.ok).toBe(false)
    const d = result.divergence!
    expect(d.reason).toBe('hash-mismatch')
    expect(d.kind).toBe('api/executeQuery/fulfilled')
    const text = formatDivergence(result)
    expect(text).toContain("hint: The reducer reads RTK Query's `meta.baseQueryMeta` at this action")
    expect(text).toContain('transformResponse')
    expect(text).not.toContain('update the log:')
  })

  it('names it for a createSlice reducer (Immer) that stores what it reads there', async () => {
    const sliced: Catalog = (api) =>
      createSlice({
        name: 'catalog',
        initialState: { lastStatus: null as unknown, loads: 0 },
        reducers: {},
        extraReducers: (b) =>
          b.addMatcher(api.endpoints.getProducts.matchFulfilled, (s, a) => {
            s.lastStatus = (a.meta.baseQueryMeta as FetchBaseQueryMeta | undefined)?.response?.status
            s.loads++
          }),
      }).reducer
    const { log, reducer } = await recordWith(sliced)
    const result = replay(log, { reducer })
    expect(result.divergence!.kind).toBe('api/executeQuery/fulfilled')
    expect(result.divergence!.hint).toContain('`meta.baseQueryMeta`')
    expect(formatDivergence(result)).not.toContain('update the log:')
  })

  it('names it when the unchanged reducer throws because it reads it', async () => {
    const { log, reducer } = await recordWith(strict)
    const result = replay(log, { reducer })
    const d = result.divergence!
    expect(d.reason).toBe('reducer-threw')
    expect(d.kind).toBe('api/executeQuery/fulfilled')
    const text = formatDivergence(result)
    expect(text).toMatch(/reducer threw: +TypeError/)
    expect(text).toContain("hint: The reducer reads RTK Query's `meta.baseQueryMeta` at this action")
  })

  it('says nothing of it for a regression at such an action that does not read it (RTK Query itself passes it to providesTags)', async () => {
    const { log, api } = await recordWith(fromPayload(1))
    // What the hint advises: the status in the payload (transformResponse), which the log holds.
    expect(replay(log, { reducer: combineReducers({ [api.reducerPath]: api.reducer, catalog: fromPayload(1)(api) }) })).toMatchObject({ ok: true, verified: true })
    const result = replay(log, { reducer: combineReducers({ [api.reducerPath]: api.reducer, catalog: fromPayload(2)(api) }) })
    const d = result.divergence!
    expect(d.kind).toBe('api/executeQuery/fulfilled')
    expect(d.hint).toBeUndefined()
    const text = formatDivergence(result)
    expect(text).not.toContain('baseQueryMeta')
    expect(text).toContain('update the log:')
  })
})
