// One scratch project's sessions for `npm run test:peers` (scripts/test-peers.mjs copies this file
// and entry.mjs into each project and runs it once with NODE_ENV=development and once with
// NODE_ENV=production). Every session runs twice, without the recorder and with it, and compares
// what the app sees; the recorded log must then replay ok with every step's hash verified.
// Prints one JSON line: [{ name, ok, detail }].
import { createRequire } from 'node:module'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createFlightRecorder, createLazyFlightRecorder, devToolsInstrument, reduxPersist, replay } from './entry.mjs'

const require = createRequire(import.meta.url)
// Not `require.resolve`: some packages' `exports` do not expose package.json.
const has = (name) => existsSync(`node_modules/${name}/package.json`)
const version = (name) => JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version
const json = (v) => JSON.parse(JSON.stringify(v ?? null))
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)

/** Resolves when `pred(store.getState())` holds; rejects after `ms` naming what it waited for. */
function until(store, pred, what, ms = 5000) {
  return new Promise((resolve, reject) => {
    if (pred(store.getState())) return resolve()
    const timer = setTimeout(() => {
      unsubscribe()
      reject(new Error(`[redux-flight-recorder] test:peers waited ${ms} ms for ${what}; the state is ${JSON.stringify(store.getState()).slice(0, 300)}.`))
    }, ms)
    const unsubscribe = store.subscribe(() => {
      if (!pred(store.getState())) return
      clearTimeout(timer)
      unsubscribe()
      resolve()
    })
  })
}

/**
 * Console errors and warnings of a run, and errors thrown outside it (a rejected promise no one
 * awaited, a throw in a timer), so a library's complaint shows up as a difference.
 */
async function capturingConsole(fn) {
  const said = []
  const original = { error: console.error, warn: console.warn }
  console.error = (...a) => said.push(`error: ${a.map(String).join(' ')}`)
  console.warn = (...a) => said.push(`warn: ${a.map(String).join(' ')}`)
  const uncaught = (e) => said.push(`uncaught: ${e?.message ?? e}`)
  process.on('uncaughtException', uncaught)
  process.on('unhandledRejection', uncaught)
  try {
    const value = await fn()
    // Let rejections of this run surface before comparing.
    await new Promise((r) => setTimeout(r, 0))
    return { value, said }
  } finally {
    Object.assign(console, original)
    process.off('uncaughtException', uncaught)
    process.off('unhandledRejection', uncaught)
  }
}

const results = []
/**
 * Runs `session(recorder?)` without and with a recorder. It returns `{ seen, reducer, adapters? }`:
 * `seen` is what the app observed (results, states, errors), compared between the two runs.
 * `options` go to `createFlightRecorder` (from 'redux-flight-recorder/lazy' with `lazy: true`: its
 * core arrives after the session has started, which is then queued until it does).
 */
async function twoWays(name, session, { lazy = false, ...options } = {}) {
  try {
    const plain = await capturingConsole(() => session(undefined))
    const faults = []
    const recorder = (lazy ? createLazyFlightRecorder : createFlightRecorder)({ ...options, onError: (e) => faults.push(String(e?.message ?? e)) })
    const recorded = await capturingConsole(() => session(recorder))
    if (lazy) await recorder.ready()
    const problems = []
    // The recorder's own warnings (prefixed) are not the app's; everything else must be the same.
    // Redux Toolkit's development checks also warn when they take longer than 32 ms, which depends on
    // the machine's load, not on the recorder.
    const timing = /took \d+ms, which is more than the warning threshold/
    const appSaid = recorded.said.filter((s) => !s.includes('[redux-flight-recorder]') && !timing.test(s))
    const plainSaid = plain.said.filter((s) => !timing.test(s))
    if (!same(plain.value.seen, recorded.value.seen))
      problems.push(`the app saw ${JSON.stringify(recorded.value.seen).slice(0, 600)} with the recorder but ${JSON.stringify(plain.value.seen).slice(0, 600)} without it`)
    if (!same(plainSaid, appSaid)) problems.push(`the console said ${JSON.stringify(appSaid).slice(0, 400)} with the recorder but ${JSON.stringify(plainSaid).slice(0, 400)} without it`)
    if (faults.length > 0) problems.push(`the recorder reported faults: ${faults.join('; ').slice(0, 400)}`)
    const text = recorder.toJSONL()
    recorder.close()
    const actions = text.split('\n').filter((l) => l && JSON.parse(l).action !== undefined).length
    const r = replay(text, { reducer: recorded.value.reducer, adapters: recorded.value.adapters })
    if (!r.ok || !r.verified) problems.push(`replay ${r.ok ? 'was not verified' : `diverged: ${JSON.stringify(r.divergence ?? r.stopped).slice(0, 400)}`}`)
    if (r.steps + r.skipped !== actions) problems.push(`replay went through ${r.steps + r.skipped} actions but the log holds ${actions}`)
    if (actions < (recorded.value.minActions ?? 3)) problems.push(`only ${actions} actions were recorded`)
    results.push({ name, ok: problems.length === 0, detail: problems.length ? problems.join('; ') : `${actions} actions recorded, replay verified` })
  } catch (e) {
    results.push({ name, ok: false, detail: `threw: ${e?.stack ?? e}`.slice(0, 800) })
  }
}

const counter = (state = { n: 0, log: [] }, action) => {
  if (action.type === 'inc') return { ...state, n: state.n + 1 }
  if (action.type === 'note') return { ...state, log: [...state.log, action.payload] }
  return state
}

// Plain Redux: the README's composition, with a thunk middleware and a middleware that reads
// every argument of `dispatch`; recorded by the root entry, and by 'redux-flight-recorder/lazy'
// (its first recorder here: the session's start is queued until the core arrives).
const plainRedux = async (recorder) => {
  const { applyMiddleware, compose, createStore } = require('redux')
  const seen = { thunkGotApiDispatch: [], extraArgs: [] }
  let apiDispatch
  const thunk = (api) => {
    apiDispatch = api.dispatch
    return (next) =>
      (action, ...rest) =>
        typeof action === 'function' ? action(api.dispatch, api.getState) : next(action, ...rest)
  }
  const probe = () => (next) => (action, ...rest) => {
    if (action.type === 'note') seen.extraArgs.push(rest)
    return next(action)
  }
  const middleware = applyMiddleware(...(recorder ? [recorder.middleware] : []), thunk, probe)
  const store = createStore(counter, recorder ? compose(middleware, recorder.enhancer) : middleware)
  store.dispatch({ type: 'inc' })
  store.dispatch({ type: 'note', payload: 'a' }, 1, 'two')
  const later = await store.dispatch(async (dispatch) => {
    seen.thunkGotApiDispatch.push(dispatch === apiDispatch)
    dispatch({ type: 'inc' })
    await new Promise((r) => setTimeout(r, 0))
    seen.thunkGotApiDispatch.push(dispatch === apiDispatch)
    dispatch({ type: 'note', payload: 'after await' })
    return 'thunk result'
  })
  return { seen: { ...seen, later, state: store.getState() }, reducer: counter }
}
await twoWays(`redux ${version('redux')}: createStore, thunks, dispatch arguments`, plainRedux)
await twoWays(`redux ${version('redux')}: the same, recorded by redux-flight-recorder/lazy`, plainRedux, { lazy: true })

if (has('@reduxjs/toolkit')) {
  const rtk = require('@reduxjs/toolkit')
  const v2 = Number(version('@reduxjs/toolkit').split('.')[0]) >= 2
  /** The README's configureStore: recorder.enhancer innermost, recorder.middleware first. */
  const configure = (recorder, options, extra = []) =>
    rtk.configureStore({
      ...options,
      middleware: (g) => (recorder ? g().prepend(recorder.middleware) : g()).concat(extra),
      ...(recorder
        ? { enhancers: (d) => (v2 ? d().concat(recorder.enhancer) : d.concat(recorder.enhancer)) }
        : {}),
    })

  await twoWays(`@reduxjs/toolkit ${version('@reduxjs/toolkit')}: configureStore, createAsyncThunk, listener middleware`, async (recorder) => {
    const todos = rtk.createSlice({
      name: 'todos',
      initialState: { items: [], status: 'idle', echoes: 0 },
      reducers: {
        added: (s, a) => void s.items.push(a.payload),
        echoed: (s) => void s.echoes++,
      },
      extraReducers: (b) =>
        b
          .addCase(load.pending, (s) => void (s.status = 'loading'))
          .addCase(load.fulfilled, (s, a) => void ((s.status = 'idle'), s.items.push(...a.payload)))
          .addCase(load.rejected, (s, a) => void (s.status = `failed: ${a.error.message}`)),
    })
    const load = rtk.createAsyncThunk('todos/load', async (fail) => {
      await new Promise((r) => setTimeout(r, 0))
      if (fail) throw new Error('no todos')
      return ['loaded']
    })
    const listener = rtk.createListenerMiddleware()
    listener.startListening({
      actionCreator: todos.actions.added,
      effect: async (_action, api) => {
        await api.delay(1)
        api.dispatch(todos.actions.echoed())
      },
    })
    const seen = { thunkGotApiDispatch: [] }
    let apiDispatch
    const probe = (api) => ((apiDispatch = api.dispatch), (next) => (action) => next(action))
    const store = configure(recorder, { reducer: { todos: todos.reducer } }, [listener.middleware, probe])
    store.dispatch(todos.actions.added('milk'))
    const ok = await store.dispatch(load(false))
    const failed = await store.dispatch(load(true))
    await store.dispatch(async (dispatch) => {
      seen.thunkGotApiDispatch.push(dispatch === apiDispatch)
      await Promise.resolve()
      seen.thunkGotApiDispatch.push(dispatch === apiDispatch)
    })
    await until(store, (s) => s.todos.echoes === 1, 'the listener effect to dispatch `echoed`')
    listener.clearListeners()
    seen.results = [ok, failed].map((a) => ({ type: a.type, payload: a.payload, error: a.error?.message }))
    seen.state = store.getState()
    return { seen, reducer: rtk.combineReducers({ todos: todos.reducer }) }
  })

  // RTK Query against a real HTTP server: the issue's two identical queries started together, a
  // query with a tag, a mutation invalidating it, and the refetch.
  const server = createServer((req, res) => {
    const send = (status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    if (req.url.startsWith('/ping')) return send(200, 'pong')
    if (req.url === '/todos' && req.method === 'GET') return send(200, server.todos)
    if (req.url === '/todos' && req.method === 'POST') {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        server.todos.push(JSON.parse(body).title)
        send(201, { ok: true })
      })
      return
    }
    send(404, { error: 'not found' })
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${server.address().port}`
  const query = require('@reduxjs/toolkit/query')
  await twoWays(`@reduxjs/toolkit ${version('@reduxjs/toolkit')}: RTK Query results`, async (recorder) => {
    server.todos = ['milk']
    const api = query.createApi({
      reducerPath: 'api',
      baseQuery: query.fetchBaseQuery({ baseUrl: base }),
      tagTypes: ['Todo'],
      endpoints: (b) => ({
        ping: b.query({ query: (n) => `/ping?n=${n}` }),
        todos: b.query({ query: () => '/todos', providesTags: ['Todo'] }),
        add: b.mutation({ query: (title) => ({ url: '/todos', method: 'POST', body: { title } }), invalidatesTags: ['Todo'] }),
      }),
    })
    const reducer = rtk.combineReducers({ [api.reducerPath]: api.reducer })
    const store = configure(recorder, { reducer }, [api.middleware])
    const outcome = (r) => ({ status: r.status, data: r.data, error: r.error, isError: r.isError })
    const seen = { errors: [] }
    const attempt = async (what, fn) => {
      try {
        return await fn()
      } catch (e) {
        seen.errors.push(`${what}: ${e?.message ?? e}`)
      }
    }
    const subs = []
    const start = (thunk) => {
      const sub = store.dispatch(thunk)
      subs.push(sub)
      return sub
    }
    seen.pings = await attempt('two identical queries', async () => (await Promise.all([start(api.endpoints.ping.initiate(1)), start(api.endpoints.ping.initiate(1))])).map(outcome))
    seen.todos = await attempt('a query', async () => outcome(await start(api.endpoints.todos.initiate())))
    seen.added = await attempt('a mutation', async () => {
      const m = store.dispatch(api.endpoints.add.initiate('eggs'))
      const r = await m
      m.reset?.()
      return { data: r.data, error: r.error }
    })
    await attempt('the refetch after invalidation', () =>
      until(store, (s) => same(s.api.queries['todos(undefined)']?.data, ['milk', 'eggs']) && s.api.queries['todos(undefined)']?.status === 'fulfilled', 'the refetch of `todos` after the mutation'),
    )
    const queries = store.getState().api.queries
    seen.queries = Object.fromEntries(Object.entries(queries).map(([k, q]) => [k, { status: q.status, data: q.data, error: q.error }]))
    for (const sub of subs) sub.unsubscribe?.()
    // Drop RTK Query's cache timers so the next run starts clean.
    store.dispatch(api.util.resetApiState())
    return { seen, reducer }
  })
  server.close()
}

if (has('redux-persist')) {
  await twoWays(`redux-persist ${version('redux-persist')}: persistReducer, persistStore`, async (recorder) => {
    const { combineReducers } = require('redux')
    const rp = require('redux-persist')
    const memoryStorage = (data = new Map()) => ({
      getItem: async (k) => data.get(k) ?? null,
      setItem: async (k, v) => void data.set(k, v),
      removeItem: async (k) => void data.delete(k),
    })
    const root = combineReducers({ counter })
    const persisted = (storage) => rp.persistReducer({ key: 'root', storage }, root)
    const previous = new Map([['persist:root', JSON.stringify({ counter: JSON.stringify({ n: 41, log: [] }), _persist: JSON.stringify({ version: -1, rehydrated: true }) })]])
    const { applyMiddleware, compose, createStore } = require('redux')
    const store = recorder
      ? createStore(persisted(memoryStorage(previous)), compose(applyMiddleware(recorder.middleware), recorder.enhancer))
      : createStore(persisted(memoryStorage(previous)))
    const persistor = rp.persistStore(store)
    await until(persistor, (s) => s.bootstrapped, 'redux-persist to rehydrate')
    store.dispatch({ type: 'inc' })
    await persistor.flush()
    return { seen: { state: store.getState() }, reducer: persisted(memoryStorage()), adapters: [reduxPersist()] }
  })
}

if (has('redux-undo')) {
  await twoWays(`redux-undo ${version('redux-undo')}: undo, redo`, async (recorder) => {
    const { applyMiddleware, compose, createStore } = require('redux')
    const { default: undoable, ActionCreators } = require('redux-undo')
    const reducer = undoable(counter)
    const store = recorder ? createStore(reducer, compose(applyMiddleware(recorder.middleware), recorder.enhancer)) : createStore(reducer)
    for (const a of [{ type: 'inc' }, { type: 'inc' }, ActionCreators.undo(), { type: 'note', payload: 'x' }, ActionCreators.undo(), ActionCreators.redo()]) store.dispatch(a)
    return { seen: { state: store.getState() }, reducer }
  })
}

if (has('@redux-devtools/instrument') && Number(version('redux').split('.')[0]) < 5) {
  // instrument 3 is an ES module importing named exports from 'redux', which Node can load only from
  // Redux 5 (Redux 4 is CommonJS to Node; bundlers read its ES build): not a recorder matter.
  results.push({ name: `@redux-devtools/instrument ${version('@redux-devtools/instrument')}: record, then jump and toggle`, ok: null, detail: `not run: Node cannot import instrument ${version('@redux-devtools/instrument')} with redux ${version('redux')} (tested with Redux 5, and in Chromium by the test suite)` })
} else if (has('@redux-devtools/instrument')) {
  const { ActionCreators, instrument } = await import('@redux-devtools/instrument')
  await twoWays(`@redux-devtools/instrument ${version('@redux-devtools/instrument')}: record, then jump and toggle`, async (recorder) => {
    const { applyMiddleware, compose, createStore } = require('redux')
    // The README's order: DevTools innermost, the recorder around it.
    const store = createStore(counter, recorder ? compose(applyMiddleware(recorder.middleware), recorder.enhancer, instrument()) : instrument())
    const visible = []
    for (const a of [{ type: 'inc' }, { type: 'note', payload: 'x' }, { type: 'inc' }]) store.dispatch(a), visible.push(json(store.getState()))
    store.liftedStore.dispatch(ActionCreators.jumpToState(1))
    visible.push(json(store.getState()))
    store.liftedStore.dispatch(ActionCreators.jumpToState(3))
    store.liftedStore.dispatch(ActionCreators.toggleAction(2))
    visible.push(json(store.getState()))
    store.dispatch({ type: 'inc' })
    visible.push(json(store.getState()))
    return { seen: { visible }, reducer: counter }
  }, { devtools: devToolsInstrument() })
}

if (has('redux-saga')) {
  await twoWays(`redux-saga ${version('redux-saga')}: takeEvery, delay, put`, async (recorder) => {
    const { applyMiddleware, compose, createStore } = require('redux')
    const createSagaMiddleware = require('redux-saga').default
    const { delay, put, takeEvery } = require('redux-saga/effects')
    const sagas = createSagaMiddleware()
    const middleware = applyMiddleware(...(recorder ? [recorder.middleware] : []), sagas)
    const store = createStore(counter, recorder ? compose(middleware, recorder.enhancer) : middleware)
    const task = sagas.run(function* () {
      yield takeEvery('inc', function* () {
        yield delay(1)
        yield put({ type: 'note', payload: 'saw inc' })
      })
    })
    store.dispatch({ type: 'inc' })
    store.dispatch({ type: 'inc' })
    await until(store, (s) => s.log.length === 2, 'the saga to put twice')
    task.cancel()
    return { seen: { state: store.getState() }, reducer: counter }
  })
}

process.stdout.write(JSON.stringify(results) + '\n')
process.exit(0)
