// `diff` of two sessions of an app that uses RTK Query (acceptance run, session 36): RTK Query
// stamps its thunks' actions with the clock (`meta.startedTimeStamp`, `meta.fulfilledTimeStamp`),
// so two runs of the same session "differed" at the first query's actions, as random
// `meta.requestId`s did before it was ignored by default.
import { join } from 'node:path'
import { configureStore } from '@reduxjs/toolkit'
import { createApi, fakeBaseQuery } from '@reduxjs/toolkit/query'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { beforeAll, describe, expect, it } from 'vitest'
import { CLI, requireDist, runNode, tempDir } from '../node/helpers'
import { todoBackend } from '../libs/helpers'

let dir: string
const cli = (args: string[]) => runNode(CLI, args, { cwd: dir })

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-diff-rtkq-')
})

/** One session: a query fetched, then refetched, through a real RTK Query api. */
async function record(name: string): Promise<void> {
  const api = createApi({
    baseQuery: fakeBaseQuery(),
    endpoints: (build) => ({ todos: build.query<{ id: number }[], void>({ queryFn: async () => ({ data: [{ id: 1 }, { id: 2 }] }) }) }),
  })
  const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, name), { processLifecycle: false })] })
  const store = configureStore({
    reducer: { [api.reducerPath]: api.reducer },
    middleware: (gdm) => gdm().prepend(recorder.middleware).concat(api.middleware),
    enhancers: (gde) => gde().concat(recorder.enhancer),
  })
  const sub = store.dispatch(api.endpoints.todos.initiate())
  await sub
  await sub.refetch()
  sub.unsubscribe()
  await recorder.close()
}

describe('diff of two RTK Query sessions', () => {
  it("leaves RTK Query's clock readings out of action comparisons, as meta.requestId", async () => {
    await record('a.jsonl')
    // The second session's clock readings are later.
    await new Promise((r) => setTimeout(r, 20))
    await record('b.jsonl')
    const r = cli(['diff', 'a.jsonl', 'b.jsonl'])
    expect(r.code).toBe(1)
    // (Action 1 is RTK Query's middleware registration.) The states hold the clock readings
    // (api.queries), so the hashes differ at the first query.
    // Session 41 (acceptance, low): the report said "a different reducer or app version"; it names
    // RTK Query's per-run values, which its reducer keeps in the state.
    expect(r.stdout).toMatch(/The logs agree on the first 1 action\.\nThey differ at action 2: the actions are equal but for RTK Query's per-run values \(meta\.requestId, meta\.startedTimeStamp\), which its reducer keeps in the state of 'api'/)
    expect(r.stdout).not.toContain('a different reducer or app version')
    expect(r.stdout).not.toContain('action differences')

    const strict = cli(['diff', 'a.jsonl', 'b.jsonl', '--no-default-ignore'])
    expect(strict.code).toBe(1)
    expect(strict.stdout).toMatch(/They differ at action 2: the actions differ, and so do the states they led to\.[^]*action differences \(a → b\):\n {4}meta\.startedTimeStamp: \d+ → \d+/)
  })
})

describe('diff of two RTK Query sessions that start with upsertQueryEntries', () => {
  // Session 42: RTK Query's upsertQueryEntries action (`api/queries/cacheEntriesUpserted`) carries
  // a request id and the clock (`meta.timestamp`), kept in the state as its thunks' are: diff said
  // "the actions differ, and so do the states they led to" (meta.timestamp: … → …), or with the same
  // clock reading "a different reducer or app version".
  const backend = todoBackend()

  /** One session over a real HTTP server on 127.0.0.1: entries upserted, then the query fetched. */
  async function recordUpserted(name: string): Promise<void> {
    backend.todos = [{ id: 1, title: 'milk' }]
    const api = backend.makeApi()
    const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, name), { processLifecycle: false })] })
    const store = configureStore({
      reducer: { [api.reducerPath]: api.reducer },
      middleware: (gdm) => gdm().prepend(recorder.middleware).concat(api.middleware),
      enhancers: (gde) => gde().concat(recorder.enhancer),
    })
    store.dispatch(api.util.upsertQueryEntries([{ endpointName: 'getTodos', arg: undefined, value: [{ id: 9, title: 'cached' }] }]))
    const sub = store.dispatch(api.endpoints.getTodos.initiate(undefined, { forceRefetch: true }))
    await sub
    sub.unsubscribe()
    await recorder.close()
  }

  it("names RTK Query's per-run values at its upsert action, which is not compared by its clock reading", async () => {
    await recordUpserted('upserted-a.jsonl')
    // The second session's clock readings are later.
    await new Promise((r) => setTimeout(r, 20))
    await recordUpserted('upserted-b.jsonl')
    expect(backend.server.requests).toEqual(['GET /todos', 'GET /todos'])
    const r = cli(['diff', 'upserted-a.jsonl', 'upserted-b.jsonl'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /The logs agree on the first 1 action\.\nThey differ at action 2: the actions are equal but for RTK Query's per-run values \(meta\.requestId, meta\.timestamp\), which its reducer keeps in the state of 'api' \(each query's and mutation's requestId and time stamps\), so two runs of one session hash otherwise from here on, whatever else differs: that is no difference of the app\.\n {2}a: seq 2 \(turn t1\) \{"type":"api\/queries\/cacheEntriesUpserted"/,
    )
    expect(r.stdout).not.toContain('a different reducer or app version')
    expect(r.stdout).not.toContain('action differences')

    // --no-default-ignore compares the clock reading too.
    const strict = cli(['diff', 'upserted-a.jsonl', 'upserted-b.jsonl', '--no-default-ignore'])
    expect(strict.code).toBe(1)
    expect(strict.stdout).toMatch(/They differ at action 2: the actions differ, and so do the states they led to\.[^]*action differences \(a → b\):\n {4}meta\.requestId: "[^"]+" → "[^"]+"\n {4}meta\.timestamp: \d+ → \d+/)
  })
})
