import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { combineReducers, configureStore } from '@reduxjs/toolkit'
import { createApi, fetchBaseQuery } from '@reduxjs/toolkit/query'
import { createStore } from 'redux'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink, type ActionEntry } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { expectReplay, recordSession } from 'redux-flight-recorder/testing'
import { updateRefusal } from '../../src/testing/expectReplay'
import { json, settle, startServer, type TestServer } from '../libs/helpers'

// Acceptance run, session 41 (b): an action `{ type: 'query', arg: undefined }` recorded with
// `redact: { actions: ['arg'] }` was logged as `"arg":"[redacted]"`, where JSON leaves the key out.
// A reducer that keeps `arg` only when it is not undefined (RTK Query's pending reducer does so with
// `originalArgs`) then diverged at replay, with no change of its own. An action's value that JSON
// leaves out (undefined, a function, a symbol), or null, now stays as it is under a redacted path;
// state redaction keeps its rule (its hashes are in every log written so far).

type S = { last?: unknown; calls: number }
/** Like RTK Query's pending reducer: keeps the argument only when there is one. */
const reducer = (s: S = { calls: 0 }, a: { type: string; arg?: unknown }): S =>
  a.type === 'query' ? { calls: s.calls + 1, ...(a.arg !== undefined ? { last: a.arg } : {}) } : s

function record(actions: { type: string; arg?: unknown }[], redact: { state?: string[]; actions?: string[] }, options: { maxEntryBytes?: number } = {}) {
  const warnings: unknown[] = []
  const recorder = createFlightRecorder({ redact, onError: (e) => warnings.push(e), ...options })
  const store = createStore(reducer, recorder.enhancer)
  for (const action of actions) store.dispatch(action)
  const text = recorder.toJSONL()
  return { text, actions: parseRecording(text).entries.filter(isActionEntry) as ActionEntry[], warnings, state: store.getState() }
}

describe('redact.actions and values JSON leaves out', () => {
  it('leaves an undefined value out of the line, as JSON does, and the log replays verified', () => {
    // (`last`, where the reducer keeps the argument, is redacted too, as a secret must be.)
    const { text, actions } = record([{ type: 'query', arg: undefined }, { type: 'query', arg: 'secret-id' }], { actions: ['arg'], state: ['last'] })
    expect(actions[0].action).toEqual({ type: 'query' })
    expect(text.split('\n')[1]).toContain('"action":{"type":"query"}')
    // A value is still redacted.
    expect(actions[1].action).toEqual({ type: 'query', arg: '[redacted]' })
    expect(text).not.toContain('secret-id')
    const r = replay(text, { reducer })
    expect(r.divergence).toBeUndefined()
    expect(r).toMatchObject({ ok: true, verified: true, steps: 2 })
    expectReplay(text, { reducer })
  })

  it('keeps null as null: it holds no secret, and a reducer testing `?? x` or `=== null` replays as recorded', () => {
    const nullish = (s = { seen: 'none' }, a: { type: string; arg?: unknown }) => (a.type === 'query' ? { seen: a.arg === null ? 'null' : String(a.arg ?? 'none') } : s)
    const recorder = createFlightRecorder({ redact: { actions: ['arg'] } })
    const store = createStore(nullish, recorder.enhancer)
    store.dispatch({ type: 'query', arg: null })
    const text = recorder.toJSONL()
    expect(text.split('\n')[1]).toContain('"action":{"type":"query","arg":null}')
    expect(replay(text, { reducer: nullish })).toMatchObject({ ok: true, verified: true })
  })

  it('leaves a function or a symbol out and lists it in `omitted`, as without redaction', () => {
    const register = () => undefined
    const { actions } = record(
      [
        { type: 'query', arg: register },
        { type: 'query', arg: Symbol('s') },
      ],
      { actions: ['arg'] },
    )
    const plain = record([{ type: 'query', arg: register }, { type: 'query', arg: Symbol('s') }], {}).actions
    expect(actions.map((e) => [e.action, e.recordable, e.omitted])).toEqual(plain.map((e) => [e.action, e.recordable, e.omitted]))
    expect(actions[0]).toMatchObject({ action: { type: 'query' }, recordable: false, omitted: [{ path: 'arg', kind: 'function' }] })
    expect(actions[1]).toMatchObject({ action: { type: 'query' }, recordable: false, omitted: [{ path: 'arg', kind: 'symbol' }] })
  })

  it('does not count a placeholder for undefined values against `maxEntryBytes` (the line holds none)', () => {
    // 40 redacted keys holding undefined: the line is `{"type":"query","payload":{}}`, far under the
    // limit; counted as "[redacted]" each, the action was found over it and written as its type only.
    const payload = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`field${i}`, undefined]))
    const recorder = createFlightRecorder({ redact: { actions: ['payload.*'] }, maxEntryBytes: 200 })
    const store = createStore((s: { n: number } = { n: 0 }, a: { type: string }) => (a.type === 'query' ? { n: s.n + 1 } : s), recorder.enhancer)
    store.dispatch({ type: 'query', payload })
    const [entry] = parseRecording(recorder.toJSONL()).entries.filter(isActionEntry) as ActionEntry[]
    expect(entry.omitted).toBeUndefined()
    expect(entry.action).toEqual({ type: 'query', payload: {} })
  })

  it('leaves state redaction as it was: a redacted state key holding undefined is still written and hashed as "[redacted]"', () => {
    // (Logs written so far hash it so, and replay applies the header's state paths to the replayed
    // state: another rule would make every such log diverge.)
    const recorder = createFlightRecorder({ redact: { state: ['last'] } })
    const store = createStore((s: S = { calls: 0, last: undefined }, a: { type: string; arg?: unknown }) => (a.type === 'query' ? { calls: s.calls + 1, last: a.arg } : s), recorder.enhancer)
    store.dispatch({ type: 'query', arg: undefined })
    const log = parseRecording(recorder.toJSONL())
    expect(log.header.state).toEqual({ calls: 0, last: '[redacted]' })
  })
})

describe('state redaction of a key holding undefined (unchanged rule)', () => {
  it('a reducer telling undefined from a value there diverges, with a hint that names the redacted state, and -u refuses', () => {
    // The header writes `last: undefined` as "[redacted]" (the state rule, which every log's hashes
    // rest on): replay starts with a text where the app had none. The hint's check now also tries
    // `undefined` in place of the placeholder (it tried another text only: no hint, and the report
    // offered -u).
    const counts = (s: S = { calls: 0, last: undefined }, a: { type: string }): S => (a.type === 'query' ? { calls: s.calls + (s.last === undefined ? 1 : 10), last: s.last } : s)
    const recorder = createFlightRecorder({ redact: { state: ['last'] } })
    createStore(counts, recorder.enhancer).dispatch({ type: 'query' })
    const r = replay(recorder.toJSONL(), { reducer: counts })
    expect(r.divergence?.hint).toMatch(/^The reducer reads state the log redacts \(last\)/)
    expect(updateRefusal(r)).toEqual({ kind: 'hint', text: 'the hint above names a cause other than a changed reducer.' })
  })
})

describe('a log written before this rule', () => {
  // test/fixtures/v1/redacted-undefined.jsonl: written by the recorder before session 41 (the
  // action's undefined and null written as "[redacted]"), never regenerated.
  const fixture = readFileSync(fileURLToPath(new URL('../fixtures/v1/redacted-undefined.jsonl', import.meta.url)), 'utf8')
  const keeps = (s: S = { calls: 0, last: undefined }, a: { type: string; arg?: unknown }): S => (a.type === 'query' ? { calls: s.calls + 1, last: a.arg } : s)

  it('replays verified, and the same session recorded now has the same state hashes', () => {
    expect(fixture.split('\n')[1]).toContain('"action":{"type":"query","arg":"[redacted]"}')
    const old = replay(fixture, { reducer: keeps })
    expect(old).toMatchObject({ ok: true, verified: true, steps: 3 })
    expectReplay(fixture, { reducer: keeps })
    const recorder = createFlightRecorder({ redact: { state: ['last'], actions: ['arg'] } })
    const store = createStore(keeps, recorder.enhancer)
    for (const arg of [undefined, 'secret-id', null]) store.dispatch({ type: 'query', arg })
    const now = parseRecording(recorder.toJSONL())
    expect((now.entries.filter(isActionEntry) as ActionEntry[]).map((e) => e.action)).toEqual([{ type: 'query' }, { type: 'query', arg: '[redacted]' }, { type: 'query', arg: null }])
    const hashes = (text: string) => parseRecording(text).entries.filter(isActionEntry).map((e) => (e as ActionEntry).hash)
    expect(hashes(recorder.toJSONL())).toEqual(hashes(fixture))
    expect(now.header.hash).toBe(parseRecording(fixture).header.hash)
  })
})

describe('redact.actions on RTK Query arguments (a real store, RTK Query and an HTTP server on 127.0.0.1)', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer((req, _body, res) => {
      if (req.method === 'GET' && req.url === '/todos') return json(res, 200, [{ id: 1, title: 'milk' }])
      if (req.method === 'GET' && req.url === '/todos/1') return json(res, 200, { id: 1, title: 'milk' })
      json(res, 500, { error: 'unexpected' })
    })
  })
  afterAll(() => server.close())

  it("`meta.arg.originalArgs` redacted: a query without an argument replays verified, one with an argument has it redacted", async () => {
    const api = createApi({
      reducerPath: 'api',
      baseQuery: fetchBaseQuery({ baseUrl: server.url }),
      endpoints: (b) => ({
        getTodos: b.query<{ id: number; title: string }[], void>({ query: () => '/todos' }),
        getTodo: b.query<{ id: number; title: string }, number>({ query: (id) => `/todos/${id}` }),
      }),
    })
    const reducer = combineReducers({ [api.reducerPath]: api.reducer })
    const sink = memorySink()
    const log = await recordSession(
      (rec) => configureStore({ reducer, middleware: (g) => g().prepend(rec.middleware).concat(api.middleware), enhancers: (g) => g().concat(rec.enhancer) }),
      async (store) => {
        await store.dispatch(api.endpoints.getTodos.initiate())
        await store.dispatch(api.endpoints.getTodo.initiate(1))
        await settle(20)
      },
      { redact: { actions: ['meta.arg.originalArgs'], state: ['api.queries.*.originalArgs'] }, sinks: [sink] },
    )
    const pending = log.entries.filter(isActionEntry).filter((e) => e.kind === 'api/executeQuery/pending') as ActionEntry[]
    expect(pending).toHaveLength(2)
    const arg = (e: ActionEntry) => (e.action as unknown as { meta: { arg: Record<string, unknown> } }).meta.arg
    expect('originalArgs' in arg(pending[0])).toBe(false)
    expect(arg(pending[1]).originalArgs).toBe('[redacted]')
    const r = replay(log, { reducer })
    expect(r.divergence).toBeUndefined()
    expect(r).toMatchObject({ ok: true, verified: true })
  })
})
