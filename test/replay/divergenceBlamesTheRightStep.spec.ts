import { combineReducers, configureStore, createSlice, type PayloadAction, type Reducer } from '@reduxjs/toolkit'
import { createApi, fetchBaseQuery } from '@reduxjs/toolkit/query'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink, subtreeHashes, type Sink } from 'redux-flight-recorder'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { itemAdapter, loadItems } from '../helpers/items'

/**
 * Real sessions on real RTK stores, replayed on a regressed reducer: the report names the first
 * step whose state differs, its action, and the paths that differ with both values, and nothing
 * else. Each case names where that step sits: the first or last action, far from a checkpoint,
 * after a `@@dropped` gap, after `replaceReducer`, behind redaction, in RTK Query.
 */

type Options = Parameters<typeof createFlightRecorder>[0]
async function record(reducer: Reducer, run: (dispatch: (a: any) => any, store: { replaceReducer(r: Reducer): void }, flush: () => Promise<void>) => unknown, options: Options = {}, middleware: any[] = [], sink: Sink & { text(): string } = memorySink()): Promise<string> {
  const recorder = createFlightRecorder({ sinks: [sink], clock: () => 1_700_000_000_000, ...options })
  const store = configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware).concat(...middleware), enhancers: (g) => g().concat(recorder.enhancer) })
  await run((a) => store.dispatch(a), store as never, () => recorder.flush())
  await recorder.close()
  return sink.text()
}

const counter = (bugAt?: number) =>
  createSlice({
    name: 'counter',
    initialState: { n: 0, user: { name: 'a', token: 't0' } },
    reducers: {
      inc(s, a: PayloadAction<number>) {
        s.n += a.payload === bugAt ? 2 : 1
      },
      login(s, a: PayloadAction<string>) {
        s.user.token = a.payload
        s.user.name = bugAt === -1 ? 'B' : 'b'
      },
    },
  })
const incs = (dispatch: (a: unknown) => void, from: number, to: number) => {
  for (let i = from; i < to; i++) dispatch(counter().actions.inc(i))
}

function expectBlame(log: string, reducer: Reducer, seq: number, kind: string, paths: string[], extra: object = {}) {
  const result = replay(log, { reducer, ...extra })
  const d = result.divergence!
  expect(d).toBeDefined()
  expect([d.seq, d.kind]).toEqual([seq, kind])
  expect(d.step!.map((x) => x.path)).toEqual(paths)
  if (d.diff) expect(d.diff.map((x) => x.path)).toEqual(paths)
  const text = formatDivergence(result)
  expect(text).toContain(`Replay diverged at seq ${seq}`)
  expect(text.length).toBeLessThan(2000)
  return { d, text }
}

describe('replay blames the first step whose state differs', () => {
  it.each([
    ['the first action', 0, 1],
    ['an action far from any checkpoint', 17, 18],
    ['the last action', 29, 30],
  ])('at %s, without checkpoints', async (_, bugAt, seq) => {
    const log = await record(counter().reducer, (d) => incs(d, 0, 30))
    const { d, text } = expectBlame(log, counter(bugAt).reducer, seq, 'counter/inc', ['n'])
    expect(d.step).toEqual([{ path: 'n', recorded: bugAt, replayed: bugAt + 2 }])
    expect(d.diffAtSeq).toBe(31)
    expect(text).toContain(`n: ${bugAt} → ${bugAt + 2}`)
  })

  it('with checkpointEvery, diffs at the next checkpoint after the step', async () => {
    const log = await record(counter().reducer, (d) => incs(d, 0, 30), { checkpointEvery: 5 })
    // Checkpoints at seq 6, 12, 18, 24: the 18th action is seq 21.
    const { d } = expectBlame(log, counter(17).reducer, 21, 'counter/inc', ['n'])
    expect(d.diff).toEqual([{ path: 'n', recorded: 20, replayed: 21 }])
    expect(d.diffAt).toBe('@@checkpoint')
    expect(d.diffAtSeq).toBe(24)
  })

  it('after a @@dropped gap, from the checkpoint that follows it', async () => {
    const inner = memorySink()
    let dropping = false
    const sink: Sink & { text(): string } = {
      write(lines, ctx) {
        if (dropping) ctx.reportDropped(lines.length, 'test: a sink that lost lines')
        else return inner.write(lines, ctx)
      },
      text: () => inner.text(),
    }
    const log = await record(
      counter().reducer,
      async (d, _, flush) => {
        incs(d, 0, 10)
        await flush()
        dropping = true
        incs(d, 10, 15)
        await flush()
        dropping = false
        incs(d, 15, 30)
      },
      { onError: () => {} },
      [],
      sink,
    )
    expect(log).toContain('"kind":"@@dropped"')
    const before = replay(log, { reducer: counter(3).reducer })
    expect(before.divergence!.seq).toBe(4)
    expect(before.divergence!.diffNote).toContain('missing after the divergence')
    const { d } = expectBlame(log, counter(17).reducer, 21, 'counter/inc', ['n'])
    expect(d.step).toEqual([{ path: 'n', recorded: 17, replayed: 19 }])
  })

  it('after replaceReducer, with the new reducer from onReplaceReducer', async () => {
    const withExtra = (bugAt?: number) => combineReducers({ counter: counter(bugAt).reducer, extra: (s: { on: boolean } = { on: true }) => s })
    const log = await record(combineReducers({ counter: counter().reducer }), (d, store) => {
      incs(d, 0, 5)
      store.replaceReducer(withExtra())
      incs(d, 5, 25)
    })
    expectBlame(log, combineReducers({ counter: counter().reducer }), 19, 'counter/inc', ['counter.n'], { onReplaceReducer: () => withExtra(17) })
  })

  it('outside a redacted path, naming the path without the secret', async () => {
    const log = await record(counter().reducer, (d) => {
      d(counter().actions.login('secret-token'))
      incs(d, 0, 3)
    }, { redact: { state: ['user.token'], actions: ['payload'] } })
    expect(log).not.toContain('secret-token')
    const { text } = expectBlame(log, counter(-1).reducer, 1, 'counter/login', ['user.name'])
    expect(text).not.toContain('secret-token')
    expect(text).not.toContain('token')
  })

  it('not at all for a change inside a redacted path (the log cannot see it)', async () => {
    const log = await record(counter().reducer, (d) => d(counter().actions.login('secret-token')), { redact: { state: ['user.token'] } })
    const changed = createSlice({ ...counter(), name: 'counter', initialState: counter().getInitialState(), reducers: { login(s) { s.user.token = 'other'; s.user.name = 'b' }, inc() {} } })
    expect(replay(log, { reducer: changed.reducer }).ok).toBe(true)
  })

  it('at the step where the reducer throws', async () => {
    const log = await record(counter().reducer, (d) => incs(d, 0, 10), { checkpointEvery: 3 })
    const throwing = createSlice({ name: 'counter', initialState: counter().getInitialState(), reducers: { inc(s, a: PayloadAction<number>) { if (a.payload === 7) throw new Error('boom at 7'); s.n += 1 } } })
    const result = replay(log, { reducer: throwing.reducer })
    expect(result.divergence).toMatchObject({ reason: 'reducer-threw', seq: 10, kind: 'counter/inc', action: { type: 'counter/inc', payload: 7 } })
    expect(formatDivergence(result)).toContain('reducer threw: Error: boom at 7')
  })

  it('at a step the regressed reducer leaves unchanged, saying so', async () => {
    const log = await record(counter().reducer, (d) => incs(d, 0, 10), { subtreeHashes: subtreeHashes() })
    const lazy = createSlice({ name: 'counter', initialState: counter().getInitialState(), reducers: { inc(s, a: PayloadAction<number>) { if (a.payload !== 4) s.n += 1 } } })
    const result = replay(log, { reducer: lazy.reducer })
    const d = result.divergence!
    expect([d.seq, d.step]).toEqual([5, []])
    expect(d.stepDiff).toEqual([{ path: 'n', recordedHash: expect.any(String), recordedKnown: true, recorded: 5, replayed: 4, replayedUnchanged: true }])
    const text = formatDivergence(result)
    expect(text).toContain('this step, replayed: changed nothing')
    expect(text).toContain('n: 5 → 4 (left unchanged by the replayed step)')
  })

  it('in 5,000 entities, naming the one entity that changed', async () => {
    const items = (bugId?: string) =>
      createSlice({
        name: 'items',
        initialState: itemAdapter.getInitialState(),
        reducers: {
          loaded: loadItems(),
          bumped(s, a: PayloadAction<string>) {
            s.entities[a.payload].qty += a.payload === bugId ? 2 : 1
          },
        },
      })
    const root = (bugId?: string) => combineReducers({ items: items(bugId).reducer })
    for (const options of [{}, { subtreeHashes: subtreeHashes() }]) {
      const log = await record(root(), (d) => {
        d(items().actions.loaded(5000))
        for (const id of ['e1', 'e4999', 'e3217', 'e2']) d(items().actions.bumped(id))
      }, options)
      const { d } = expectBlame(log, root('e3217'), 4, 'items/bumped', ['items.entities.e3217.qty'])
      expect(d.diff).toEqual([{ path: 'items.entities.e3217.qty', recorded: 3218, replayed: 3219 }])
      if ('subtreeHashes' in options) expect(d.stepDiff).toEqual([expect.objectContaining({ path: 'items.entities.e3217.qty', recorded: 3218, replayed: 3219 })])
    }
  })

  it('in an RTK Query session against a real server, at the fulfilled action', async () => {
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ url: req.url }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const api = createApi({ baseQuery: fetchBaseQuery({ baseUrl: `http://127.0.0.1:${port}` }), endpoints: (b) => ({ thing: b.query<{ url: string }, string>({ query: (id) => `/thing/${id}` }) }) })
      const last = (upper: boolean) =>
        createSlice({
          name: 'last',
          initialState: { url: '' },
          reducers: {},
          extraReducers: (b) => b.addMatcher(api.endpoints.thing.matchFulfilled, (s, a) => {
            s.url = upper ? a.payload.url.toUpperCase() : a.payload.url
          }),
        })
      const root = (upper: boolean) => combineReducers({ [api.reducerPath]: api.reducer, last: last(upper).reducer })
      const log = await record(root(false), async (d) => {
        await d(api.endpoints.thing.initiate('a'))
        await d(api.endpoints.thing.initiate('b'))
      }, { subtreeHashes: subtreeHashes() }, [api.middleware])
      expect(replay(log, { reducer: root(false) }).ok).toBe(true)
      const result = replay(log, { reducer: root(true) })
      const d = result.divergence!
      expect(d.kind).toBe('api/executeQuery/fulfilled')
      expect((d.action as { payload: unknown }).payload).toEqual({ url: '/thing/a' })
      expect(d.stepDiff!.map((x) => x.path)).toEqual(['last.url'])
      expect(d.diff).toEqual([{ path: 'last.url', recorded: '/thing/b', replayed: '/THING/B' }])
    } finally {
      server.close()
    }
  })
})
