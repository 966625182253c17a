import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { configureStore } from '@reduxjs/toolkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeRecording, isActionEntry } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
// @ts-expect-error (a JavaScript fixture without types)
import { makeApp, ui } from '../fixtures/cli/rtkQueryCreateStore.mjs'
import { CLI, FIXTURES, requireDist, runNode, tempDir, type Exit } from '../node/helpers'
import { json, startServer, stateWhen, type TestServer } from '../libs/helpers'

// `flight-recorder verify --store` with a store module that exports `createStore` (a fresh store
// per replay, as the docs suggest for redux-persist), for an app using RTK Query (acceptance,
// session 28): the replay store's api has another id than the recording's, and its reducer said
// 'conflict' at the recorded registration, a false divergence at seq 1 whose report advised to
// rehash (which wrote 'conflict' into the log).

const STORE = join(FIXTURES, 'rtkQueryCreateStore.mjs')
let dir: string
let server: TestServer
let todos: string[] = []

function cli(args: string[], env: Record<string, string> = {}): Exit {
  return runNode(CLI, args, { cwd: dir, env })
}

type State = { api: { subscriptions: object; queries: Record<string, { data?: unknown[] } | undefined>; config: { middlewareRegistered: unknown } } }

/** Records a session of the fixture's app against the server into `name`; `invalidate`: a mutation whose tags make the query refetch. */
async function record(name: string, invalidate: boolean): Promise<void> {
  todos = ['milk']
  const { api, reducer } = makeApp(server.url)
  const log = await recordSession(
    (rec) => configureStore({ reducer, middleware: (g) => g().prepend(rec.middleware).concat(api.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
    async (store) => {
      store.dispatch(ui.actions.clicked())
      const list = store.dispatch(api.endpoints.getTodos.initiate())
      await list
      if (invalidate) {
        await store.dispatch(api.endpoints.addTodo.initiate('eggs'))
        await stateWhen(store, (s) => (s as State).api.queries['getTodos(undefined)']?.data?.length === 2, 'the refetch')
      }
      await stateWhen(store, (s) => Object.keys((s as State).api.subscriptions).length > 0, 'the subscriptions synced into the state')
      store.dispatch(ui.actions.clicked())
      list.unsubscribe()
      expect((store.getState() as State).api.config.middlewareRegistered).toBe(true)
    },
  )
  expect(log.entries.filter(isActionEntry)[0]?.kind).toBe('api/config/middlewareRegistered')
  writeFileSync(join(dir, name), encodeRecording(log))
}

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-rtkq-store-')
  server = await startServer((req, body, res) => {
    if (req.method === 'GET' && req.url === '/todos') return json(res, 200, todos)
    if (req.method === 'POST' && req.url === '/todos') {
      todos.push(JSON.parse(body).title)
      return json(res, 201, { ok: true })
    }
    json(res, 500, { error: 'unexpected' })
  })
}, 60_000)
afterAll(() => server.close())

describe('verify --store with a module exporting createStore, for an app using RTK Query', () => {
  it('passes, with the api middleware in the replay store and without', async () => {
    await record('session.jsonl', false)
    for (const env of [{}, { RTKQ_MIDDLEWARE: '1' }] as Record<string, string>[]) {
      const r = cli(['verify', 'session.jsonl', '--store', STORE], env)
      expect(r.stdout + r.stderr, JSON.stringify(env)).toMatch(/^ok {2}session\.jsonl: 6 actions replayed on .*rtkQueryCreateStore\.mjs, 6 steps' hashes checked/)
      expect(r.code).toBe(0)
    }
  })

  it("fails where the replay store's middleware refetches after a mutation, saying so instead of advising to rehash", async () => {
    await record('invalidating.jsonl', true)
    expect(cli(['verify', 'invalidating.jsonl', '--store', STORE]).code).toBe(0)
    const r = cli(['verify', 'invalidating.jsonl', '--store', STORE], { RTKQ_MIDDLEWARE: '1' })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("action 'api/executeMutation/fulfilled'")
    expect(r.stdout).toContain("hint: The replay store runs RTK Query's middleware for 'api'")
    expect(r.stdout).toContain('build the replay store without `api.middleware`')
    expect(r.stdout).not.toContain('rehash')
    expect(r.stdout).not.toContain('conflict')
  })
})
