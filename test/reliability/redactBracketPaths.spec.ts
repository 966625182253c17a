/**
 * Keys that hold a dot (an email or a host name as an entity id, a URL as a cache key) or are a
 * wildcard's text: a redaction path names them as the log writes paths, a JSON string in brackets
 * (`users.entities["ada@x.com"].password`). Such a path matched nothing before, silently: the
 * secret was in every output. Paths that would match nothing (quotes, escapes, an index in
 * brackets) are refused, naming the option.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { combineReducers, configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { replay } from 'redux-flight-recorder/replay'
import { render, summarise } from '../../src/cli/inspect'

const users = createSlice({
  name: 'users',
  initialState: { entities: {} as Record<string, { name: string; password: string }> },
  reducers: {
    added: (s, a: PayloadAction<{ email: string; name: string; password: string }>) => {
      s.entities[a.payload.email] = { name: a.payload.name, password: a.payload.password }
    },
  },
})
const misc = createSlice({
  name: 'misc',
  initialState: { 'x.y': { secret: 'SECRET-dotkey-1', note: 'visible-1' }, '*': 'SECRET-star-2', other: 'visible-2', byUrl: {} as Record<string, { auth: string; rows: number }> },
  reducers: {
    fetched: (s, a: PayloadAction<{ url: string; auth: string; rows: number }>) => {
      s.byUrl[a.payload.url] = { auth: a.payload.auth, rows: a.payload.rows }
    },
  },
})
const reducer = { users: users.reducer, misc: misc.reducer }

const redact = {
  state: ['users.entities["ada@x.com"].password', 'misc["x.y"].secret', 'misc["*"]', 'misc.byUrl["/api/v1/orders?page=1"].auth'],
  actions: ['payload.password', 'payload.auth', 'payload["auth.header"]'],
}

describe('redaction paths with keys in brackets', () => {
  it('redacts keys holding a dot and a key named "*" (taken literally, not as a wildcard) in every output, and the log replays verified', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fr-redact-brackets-'))
    const mem = memorySink()
    const file = fileSink(join(dir, 'session.jsonl'), { processLifecycle: false })
    const recorder = createFlightRecorder({ redact, sinks: [mem, file], checkpointEvery: 2 })
    const store = configureStore({ reducer, enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch(users.actions.added({ email: 'ada@x.com', name: 'Ada', password: 'SECRET-pw-3' }))
    store.dispatch(misc.actions.fetched({ url: '/api/v1/orders?page=1', auth: 'SECRET-auth-4', rows: 7 }))
    store.dispatch({ type: 'headers/set', payload: { 'auth.header': 'SECRET-header-5', accept: 'visible-3' } })
    const snapshot = JSON.stringify(recorder.snapshot({ finalState: true }))
    await recorder.close()
    for (const text of [mem.text(), readFileSync(join(dir, 'session.jsonl'), 'utf8'), snapshot]) {
      expect(text.match(/SECRET-[\w-]+/g) ?? []).toEqual([])
      for (const shown of ['visible-1', 'visible-2', 'visible-3', 'Ada']) expect(text).toContain(shown)
      expect(text).toContain('[redacted]')
    }
    expect(replay(mem.text(), { reducer: combineReducers(reducer) })).toMatchObject({ ok: true, verified: true })
  })

  it('a log whose header has a path an older version wrote (a key with brackets, bare: `m.k[0]`) replays verified, the key taken literally as then', () => {
    const m = (s: Record<string, unknown> = { 'k[0]': 'SECRET-old-6', n: 0 }, a: { type: string }) => (a.type === 'inc' ? { ...s, n: (s.n as number) + 1 } : s)
    const recorder = createFlightRecorder({ redact: { state: ['m["k[0]"]'] } })
    const store = configureStore({ reducer: { m }, enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch({ type: 'inc' })
    store.dispatch({ type: 'inc' })
    const text = recorder.toJSONL()
    expect(text).not.toContain('SECRET-old-6')
    const old = text.replace('"redact":{"state":["m[\\"k[0]\\"]"]', '"redact":{"state":["m.k[0]"]')
    expect(old).not.toBe(text)
    expect(replay(old, { reducer: combineReducers({ m }) })).toMatchObject({ ok: true, verified: true, steps: 2 })
  })

  it('a log with a bracketed path says format 1.1; a 1.0 log (an older recorder) reads its paths as then: `m["k"]` the key `m["k"]`, not m → k', () => {
    const m = (s: Record<string, unknown> = { k: 'v0', n: 0 }, a: { type: string }) => (a.type === 'inc' ? { ...s, n: (s.n as number) + 1 } : s)
    const bracketed = createFlightRecorder({ redact: { state: ['m["k"]'] } })
    configureStore({ reducer: { m }, enhancers: (g) => g().concat(bracketed.enhancer) }).dispatch({ type: 'inc' })
    expect(JSON.parse(bracketed.toJSONL().split('\n')[0])).toMatchObject({ v: 1.1, redact: { state: ['m["k"]'] } })
    const dotted = createFlightRecorder({ redact: { state: ['m.k'] } })
    configureStore({ reducer: { m }, enhancers: (g) => g().concat(dotted.enhancer) })
    expect(dotted.toJSONL().startsWith('{"kind":"@@session","v":1,')).toBe(true)
    // An older recorder took `m["k"]` for one key of that name, redacting nothing: its log says v 1 and holds "v0".
    const plain = createFlightRecorder()
    const store = configureStore({ reducer: { m }, enhancers: (g) => g().concat(plain.enhancer) })
    store.dispatch({ type: 'inc' })
    store.dispatch({ type: 'inc' })
    const old = plain.toJSONL().replace('"redact":{"state":[],', '"redact":{"state":["m[\\"k\\"]"],')
    expect(old).toContain('"v":1,')
    expect(old).toContain('"k":"v0"')
    expect(replay(old, { reducer: combineReducers({ m }) })).toMatchObject({ ok: true, verified: true, steps: 2 })
  })

  it('inspect shows such a path under its root as the log writes it (`state["a.b"].c`, not `state.["a.b"].c`)', async () => {
    const recorder = createFlightRecorder({ redact: { state: ['["a.b"].c', 'users.entities["ada@x.com"].password'] } })
    configureStore({ reducer: { n: (s: number = 0) => s }, enhancers: (g) => g().concat(recorder.enhancer) })
    const file = join(mkdtempSync(join(tmpdir(), 'fr-inspect-brackets-')), 'log.jsonl')
    writeFileSync(file, recorder.toJSONL())
    const text = render(await summarise(file, 'log.jsonl', statSync(file).size), 10)
    expect(text).toContain('state["a.b"].c, state.users.entities["ada@x.com"].password')
  })

  it.each([
    [`misc['x.y'].secret`],
    [`misc.'x.y'.secret`],
    ['misc.x\\.y.secret'],
    ['list[0].secret'],
    ['misc["x.y"'],
    ['misc["x.y"]secret'],
    ['misc["x.y].secret'],
    ['misc.'],
  ])('refuses %s, which would match nothing, naming the option and the path', (path) => {
    expect(() => createFlightRecorder({ redact: { state: ['auth.token', path] } })).toThrow(/Expected every path in `redact.state` to be a dot-separated key path/)
    expect(() => createFlightRecorder({ redact: { state: ['auth.token', path] } })).toThrow(`Instead, received: '${path}'.`)
  })

  it('accepts the path text the log writes: a bracketed key first, after another, or before a dot', () => {
    for (const path of ['["a.b"].c', 'users.entities["ada@x.com"].password', 'm["x"]["y.z"]', 'm["*"]', 'm["\\u00e9"].k']) {
      expect(() => createFlightRecorder({ redact: { state: [path], actions: [path] } }), path).not.toThrow()
    }
  })
})
