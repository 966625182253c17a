import { combineReducers, configureStore, createSlice } from '@reduxjs/toolkit'
import { createApi, fetchBaseQuery } from '@reduxjs/toolkit/query'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Recording } from 'redux-flight-recorder'
import { encodeRecording, isActionEntry, replay, replayStream } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { json, startServer, type TestServer } from '../libs/helpers'
import { requireDist, ROOT, startChild, tempDir } from '../node/helpers'

// Session 30: a `createStore` replay whose store runs RTK Query's middleware left the middleware's
// timers running after `replay()` returned (the subscriptions' sync, 0.5 s; the removal of an
// unused query, `keepUnusedDataFor`, 60 s): a Node script that replayed did not exit for a minute
// (the CLI ends itself with process.exit). The store is replay's own: its timers are cleared.

let server: TestServer

beforeAll(async () => {
  server = await startServer((req, _body, res) => {
    if (req.method === 'GET' && req.url === '/todos') return json(res, 200, [{ id: 1, title: 'milk' }])
    json(res, 500, { error: 'unexpected' })
  })
})
afterAll(() => server.close())

// The app, as the child script builds it too.
function makeApp(baseUrl: string) {
  const api = createApi({
    reducerPath: 'api',
    baseQuery: fetchBaseQuery({ baseUrl }),
    endpoints: (b) => ({ getTodos: b.query<unknown[], void>({ query: () => '/todos' }) }),
  })
  const clicks = createSlice({ name: 'clicks', initialState: { n: 0 }, reducers: { clicked: (s) => void s.n++ } })
  return { api, clicked: clicks.actions.clicked, reducer: combineReducers({ api: api.reducer, clicks: clicks.reducer }) }
}

const CHILD = `
const { createRequire } = require('node:module')
const { readFileSync } = require('node:fs')
const load = createRequire(process.env.ROOT + '/package.json')
const { combineReducers, configureStore, createSlice } = load('@reduxjs/toolkit')
const { createApi, fetchBaseQuery } = load('@reduxjs/toolkit/query')
const { replay } = load('redux-flight-recorder/replay')
const api = createApi({
  reducerPath: 'api',
  baseQuery: fetchBaseQuery({ baseUrl: process.env.BASE_URL }),
  endpoints: (b) => ({ getTodos: b.query({ query: () => '/todos' }) }),
})
const clicks = createSlice({ name: 'clicks', initialState: { n: 0 }, reducers: { clicked: (s) => void s.n++ } })
const reducer = combineReducers({ api: api.reducer, clicks: clicks.reducer })
const result = replay(readFileSync(process.env.LOG, 'utf8'), {
  createStore: (preloadedState) => configureStore({ reducer, preloadedState, middleware: (g) => g().concat(api.middleware) }),
})
console.log('replayed: ok=' + result.ok + ' verified=' + result.verified + ' steps=' + result.steps)
`

async function record(): Promise<Recording> {
  const { api, clicked, reducer } = makeApp(server.url)
  return recordSession(
    (rec) => configureStore({ reducer, middleware: (g) => g().prepend(rec.middleware).concat(api.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
    async (store) => {
      store.dispatch(clicked())
      // (A loader's fetch: no component subscribes, so the middleware times the entry's removal.)
      await store.dispatch(api.endpoints.getTodos.initiate(undefined, { subscribe: false }))
      store.dispatch(clicked())
    },
  )
}

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

describe("replay into a store of the caller's (createStore) with RTK Query's middleware in it", () => {
  it('leaves none of the timers the store started running once replay() returns (a Node script that replayed exits)', async () => {
    const log = await record()
    expect(log.entries.filter(isActionEntry).map((e) => e.kind)).toContain('api/executeQuery/fulfilled')
    await requireDist()
    const dir = tempDir('fr-replay-timers-')
    const logFile = join(dir, 'session.jsonl')
    const script = join(dir, 'replay.cjs')
    writeFileSync(logFile, encodeRecording(log))
    writeFileSync(script, CHILD)
    const child = startChild(script, { ROOT, LOG: logFile, BASE_URL: server.url })
    await child.waitFor(/replayed: /)
    expect(child.stdout()).toContain(`replayed: ok=true verified=true steps=${log.entries.filter(isActionEntry).length}`)
    // RTK Query's removal timer is 60 s: a child that has not exited long before is held by it.
    let deadline: ReturnType<typeof setTimeout> | undefined
    const exit = await Promise.race([child.exited, new Promise<'still running'>((resolve) => (deadline = setTimeout(() => resolve('still running'), 20_000)))])
    clearTimeout(deadline)
    if (exit === 'still running') child.proc.kill('SIGKILL')
    expect(exit, 'the child that replayed, 20 s after it printed its result').toMatchObject({ code: 0, signal: null })
  })

  it('in this process: replay() and replayStream() return with no more timers than they began with', async () => {
    const log = await record()
    const { api, reducer } = makeApp(server.url)
    const createStore = (preloadedState: unknown) => configureStore({ reducer, preloadedState: preloadedState as never, middleware: (g) => g().concat(api.middleware) })
    const before = timeouts()
    expect(replay(log, { createStore })).toMatchObject({ ok: true, verified: true })
    expect(timeouts()).toBe(before)
    // (The lines of the log, from a source that awaits nothing of the store's.)
    const lines = encodeRecording(log).split('\n').filter((l) => l !== '')
    const streamed = await replayStream(lines, { createStore })
    expect(streamed).toMatchObject({ ok: true, verified: true })
    expect(timeouts()).toBe(before)
  })

  it("leaves onStep's own timers to it", async () => {
    const log = await record()
    const { api, reducer } = makeApp(server.url)
    let fired = false
    const own: ReturnType<typeof setTimeout>[] = []
    const r = replay(log, {
      createStore: (preloadedState) => configureStore({ reducer, preloadedState: preloadedState as never, middleware: (g) => g().concat(api.middleware) }),
      onStep: () => void (own.length === 0 && own.push(setTimeout(() => (fired = true), 0))),
    })
    expect(r.ok).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(fired).toBe(true)
  })
})
