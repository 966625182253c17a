import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { configureStore } from '@reduxjs/toolkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeRecording, isActionEntry } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
// @ts-expect-error (a JavaScript fixture without types)
import { makeApp, ui } from '../fixtures/cli/rtkQueryCreateStore.mjs'
import { CLI, FIXTURES, requireDist, tempDir } from '../node/helpers'
import { json, startServer, type TestServer } from '../libs/helpers'

// `flight-recorder verify --store` with a store module whose `createStore` puts RTK Query's
// middleware in the replay store (session 29): a replayed query result nobody subscribes to starts
// the middleware's removal timer (keepUnusedDataFor, 60 s by default), which kept the process alive
// for a minute after its report. The process must end once the report is written: the spawn below
// gives it 25 s (less than the timer), and the test fails on that timeout's signal.

const STORE = join(FIXTURES, 'rtkQueryCreateStore.mjs')
let dir: string
let server: TestServer

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-rtkq-timers-')
  server = await startServer((req, _body, res) => {
    if (req.method === 'GET' && req.url === '/todos') return json(res, 200, ['milk'])
    json(res, 500, { error: 'unexpected' })
  })
}, 60_000)
afterAll(() => server.close())

describe("verify --store with RTK Query's middleware in the replay store", () => {
  it('exits once its report is written, though a removal timer of 60 s is pending', async () => {
    const { api, reducer } = makeApp(server.url)
    const log = await recordSession(
      (rec) => configureStore({ reducer, middleware: (g) => g().prepend(rec.middleware).concat(api.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
      async (store) => {
        // No subscriber: the fulfilled result starts the removal timer (in the replay store too).
        await store.dispatch(api.endpoints.getTodos.initiate(undefined, { subscribe: false }))
        store.dispatch(ui.actions.clicked())
      },
    )
    expect(log.entries.filter(isActionEntry).map((e) => e.kind)).toContain('api/executeQuery/fulfilled')
    writeFileSync(join(dir, 'unsubscribed.jsonl'), encodeRecording(log))
    for (const args of [[], ['--json']]) {
      const r = spawnSync(process.execPath, [CLI, 'verify', 'unsubscribed.jsonl', '--store', STORE, ...args], {
        cwd: dir,
        env: { ...process.env, NODE_OPTIONS: '', RTKQ_MIDDLEWARE: '1' },
        encoding: 'utf8',
        timeout: 25_000,
      })
      expect(r.signal, `verify ${args.join(' ')} was still running after 25 s: ${r.stdout}${r.stderr}`).toBeNull()
      expect(r.status).toBe(0)
      if (args.length) expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, exitCode: 0 })
      else expect(r.stdout).toMatch(/^ok {2}unsubscribed\.jsonl: 4 actions replayed/)
    }
  }, 60_000)
})
