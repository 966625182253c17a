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
