import { configureStore, createAsyncThunk, createListenerMiddleware, createSlice } from '@reduxjs/toolkit'
import { createApi } from '@reduxjs/toolkit/query'
import { applyMiddleware, createStore, type Middleware, type MiddlewareAPI, type UnknownAction } from 'redux'
import createSagaMiddleware from 'redux-saga'
import { delay, put, takeEvery } from 'redux-saga/effects'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, type ActionEntry, type FlightRecorder, type FlightRecorderOptions } from 'redux-flight-recorder'
import { isActionEntry, replay } from 'redux-flight-recorder/replay'
import { asyncTurns } from 'redux-flight-recorder/node'
import { Turns } from '../../src/recorder/turns'

// One test per rule of docs/turns.md.

const log = createSlice({
  name: 'log',
  initialState: [] as string[],
  reducers: { note: (s, a: { payload: string }) => void s.push(a.payload) },
})
const { note } = log.actions
const tick = () => new Promise((r) => setTimeout(r, 1))

function actionEntries(recorder: FlightRecorder): ActionEntry[] {
  return recorder.snapshot().entries.filter(isActionEntry)
}
/** The turn of each entry, by the note it wrote (or its kind). */
function turnsByNote(recorder: FlightRecorder): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  for (const e of actionEntries(recorder)) out[(e.action as { payload?: unknown }).payload as string ?? e.kind] = e.turn
  return out
}

function makeStore(options: FlightRecorderOptions = {}, extra: Middleware[] = []) {
  const recorder = createFlightRecorder(options)
  const store = configureStore({
    reducer: log.reducer,
    middleware: (g) => g().prepend(recorder.middleware).concat(...(extra as [])),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  return { recorder, store }
}

describe('turns', () => {
  it('gives each dispatch from outside a new turn', () => {
    const { recorder, store } = makeStore()
    store.dispatch(note('a'))
    store.dispatch(note('b'))
    const t = turnsByNote(recorder)
    expect(t.a).toMatch(/^t\d+$/)
    expect(t.b).not.toBe(t.a)
    expect(recorder.stats().turns).toBe(2)
  })

  it('shares the turn with every dispatch made while it runs: middleware, subscribers, the synchronous part of a thunk', () => {
    const followUp: Middleware = (api) => (next) => (action) => {
      const result = next(action)
      if (note.match(action) && action.payload === 'cause') api.dispatch(note('from middleware'))
      return result
    }
    const { recorder, store } = makeStore({}, [followUp])
    const unsubscribe = store.subscribe(() => {
      if (store.getState().at(-1) === 'from middleware') store.dispatch(note('from subscriber'))
    })
    store.dispatch(note('cause'))
    unsubscribe()
    store.dispatch((dispatch) => {
      dispatch(note('thunk 1'))
      dispatch(note('thunk 2'))
    })
    const t = turnsByNote(recorder)
    expect(t['from middleware']).toBe(t.cause)
    expect(t['from subscriber']).toBe(t.cause)
    expect(t['thunk 2']).toBe(t['thunk 1'])
    expect(t['thunk 1']).not.toBe(t.cause)
  })

  it('hands a thunk exactly the dispatch it gets without the recorder, also after await', async () => {
    for (const withRecorder of [false, true]) {
      let apiDispatch: unknown
      const probe: Middleware = (api) => {
        apiDispatch = api.dispatch
        return (next) => (action) => next(action)
      }
      const recorder = createFlightRecorder()
      const store = configureStore({
        reducer: log.reducer,
        middleware: (g) => (withRecorder ? g().prepend(recorder.middleware).concat(probe) : g().concat(probe)),
        enhancers: (g) => (withRecorder ? g().concat(recorder.enhancer) : g()),
      })
      const seen: unknown[] = []
      const thunk = async (dispatch: unknown) => {
        seen.push(dispatch)
        await tick()
        seen.push(dispatch)
      }
      await store.dispatch(thunk as never)
      expect(seen[0]).toBe(apiDispatch)
      expect(seen[1]).toBe(apiDispatch)
    }
  })

  it('passes a function action on untouched, whichever middleware it is meant for', () => {
    const recorder = createFlightRecorder()
    const received: unknown[] = []
    const catcher: Middleware = () => (next) => (action) => {
      if (typeof action === 'function') {
        received.push(action)
        return 'caught'
      }
      return next(action)
    }
    const store = createStore(log.reducer, applyMiddleware(recorder.middleware, catcher))
    const fn = () => 'not a thunk'
    expect(store.dispatch(fn as never)).toBe('caught')
    expect(received).toEqual([fn])
    expect(received[0]).toBe(fn)
  })

  it('passes through all arguments of dispatch calls from within middleware (Redux applyMiddleware behaviour)', () => {
    const recorder = createFlightRecorder()
    const calls: unknown[][] = []
    const spy = (...args: unknown[]) => void calls.push(args)
    const extraArgs = ['test']
    // Calls a function action with the extra arguments it was dispatched with.
    const multiArg: Middleware = () => (next) => (action: unknown, ...rest: unknown[]) => {
      if (Array.isArray(rest[0])) return (action as (...a: unknown[]) => unknown)(...(rest[0] as unknown[]))
      return next(action)
    }
    const redispatch = ({ dispatch }: MiddlewareAPI) => () => (action: unknown) => (dispatch as (a: unknown, x: unknown) => unknown)(action, extraArgs)
    const store = createStore(log.reducer, applyMiddleware(recorder.middleware, multiArg, redispatch as Middleware))
    store.dispatch(spy as never)
    expect(calls).toEqual([extraArgs])
  })

  it('gives createAsyncThunk pending, fulfilled and rejected the turn of the dispatch that started them, also when requests interleave', async () => {
    const slow = createAsyncThunk('slow', async (ms: number) => {
      await new Promise((r) => setTimeout(r, ms))
      return ms
    })
    const failing = createAsyncThunk('failing', async () => {
      await tick()
      throw new Error('down')
    })
    const { recorder, store } = makeStore()
    const a = store.dispatch(slow(20))
    const b = store.dispatch(slow(1))
    const c = store.dispatch(failing())
    await Promise.all([a, b, c])
    const entries = actionEntries(recorder)
    const turnOf = (kind: string, arg?: number) =>
      entries.find((e) => e.kind === kind && (arg === undefined || (e.action as unknown as { meta: { arg: number } }).meta.arg === arg))!.turn
    // b resolves before a: order of completion does not mix turns
    const fulfilledArgs = entries.filter((e) => e.kind === 'slow/fulfilled').map((e) => (e.action as unknown as { meta: { arg: number } }).meta.arg)
    expect(fulfilledArgs).toEqual([1, 20])
    expect(turnOf('slow/fulfilled', 20)).toBe(turnOf('slow/pending', 20))
    expect(turnOf('slow/fulfilled', 1)).toBe(turnOf('slow/pending', 1))
    expect(turnOf('failing/rejected')).toBe(turnOf('failing/pending'))
    expect(new Set([turnOf('slow/pending', 20), turnOf('slow/pending', 1), turnOf('failing/pending')]).size).toBe(3)
  })

  it('forgets request ids it waits for beyond a bound, so the map cannot grow without end', () => {
    const turns = new Turns(undefined)
    // Each action reaching the reducer is recorded in the turn it runs in.
    let last = 0
    const dispatch = turns.middleware({ dispatch: () => undefined, getState: () => undefined } as never)((a: unknown) => ((last = turns.entryTurn()), a))
    for (let i = 0; i < 5000; i++) dispatch({ type: 'x/pending', meta: { requestId: `r${i}`, requestStatus: 'pending' } })
    expect(turns.waiting).toBe(1024)
    const pendingTurn = last
    // the newest are kept: their fulfilled action finds the turn
    dispatch({ type: 'x/fulfilled', meta: { requestId: 'r4999', requestStatus: 'fulfilled' } })
    expect(last).toBe(pendingTurn)
    expect(turns.waiting).toBe(1023)
    // the oldest were forgotten: their fulfilled action starts a new turn
    dispatch({ type: 'x/fulfilled', meta: { requestId: 'r0', requestStatus: 'fulfilled' } })
    expect(last).toBe(pendingTurn + 1)
  })

  it('numbers a turn only when something in it is recorded: a thunk that dispatches nothing leaves no gap', () => {
    const { recorder, store } = makeStore()
    store.dispatch(note('first'))
    store.dispatch(() => undefined) // a thunk with nothing to do (a cached query, a condition that says no)
    store.dispatch(() => undefined)
    store.dispatch(note('second'))
    store.dispatch((dispatch) => {
      dispatch(note('third'))
    })
    const turns = recorder.snapshot().entries.filter(isActionEntry).map((e) => e.turn)
    expect(turns).toEqual(['t1', 't2', 't3'])
    expect(recorder.stats().turns).toBe(3)
  })

  it("leaves no gap for a thunk whose dispatches never reach the reducer (a middleware swallows them, RTK Query's condition rejection)", async () => {
    // A dispatch inside a turn used to number the turn before anything in it was recorded.
    const swallow: Middleware = () => (next) => (action) => ((action as UnknownAction).type === 'swallowed' ? 'eaten' : next(action))
    const { recorder, store } = makeStore({}, [swallow])
    store.dispatch(note('first'))
    store.dispatch((dispatch) => dispatch({ type: 'swallowed' }))
    store.dispatch((dispatch) => {
      dispatch({ type: 'swallowed' })
      dispatch(note('after a swallowed one'))
      dispatch(note('in the same turn'))
    })
    store.dispatch(note('last'))
    const t = turnsByNote(recorder)
    expect([t.first, t['after a swallowed one'], t['in the same turn'], t.last]).toEqual(['t1', 't2', 't2', 't3'])
    expect(recorder.stats().turns).toBe(3)

    // RTK Query: a second initiate() of a query in flight is a thunk whose condition says no; its
    // rejected action does not reach the reducer (RTK Query's middleware keeps it).
    const api = createApi({
      baseQuery: () => new Promise<{ data: number[] }>((r) => setTimeout(() => r({ data: [1, 2] }), 5)),
      endpoints: (b) => ({ items: b.query<number[], void>({ query: () => 'items' }) }),
    })
    const rq = createFlightRecorder()
    const rqStore = configureStore({
      reducer: { log: log.reducer, [api.reducerPath]: api.reducer },
      middleware: (g) => g().concat(api.middleware).prepend(rq.middleware),
      enhancers: (g) => g().concat(rq.enhancer),
    })
    rqStore.dispatch(note('before'))
    const first = rqStore.dispatch(api.endpoints.items.initiate())
    const second = rqStore.dispatch(api.endpoints.items.initiate())
    rqStore.dispatch(note('after'))
    await first
    first.unsubscribe()
    second.unsubscribe()
    const entries = actionEntries(rq)
    const numbers = [...new Set(entries.map((e) => e.turn))].map((turn) => Number(String(turn).slice(1))).sort((a, b) => a - b)
    // Every number from 1 to the last is some entry's turn, and stats() counts those.
    expect(numbers).toEqual(numbers.map((_, i) => i + 1))
    expect(rq.stats().turns).toBe(numbers.length)
    const before = entries.find((e) => (e.action as { payload?: unknown }).payload === 'before')!
    const after = entries.find((e) => (e.action as { payload?: unknown }).payload === 'after')!
    expect([before.turn, after.turn]).toEqual(['t1', 't3'])
    await rq.close()
  })

  it('takes an explicit string meta.turn over every other rule', () => {
    const { recorder, store } = makeStore()
    store.dispatch((dispatch) => {
      dispatch({ ...note('explicit'), meta: { turn: 'checkout-42' } })
      dispatch({ ...note('pending-like'), meta: { turn: 'order-7', requestId: 'r1', requestStatus: 'pending' } })
      dispatch({ ...note('not a string'), meta: { turn: 42 } })
    })
    const t = turnsByNote(recorder)
    expect(t.explicit).toBe('checkout-42')
    expect(t['pending-like']).toBe('order-7')
    expect(t['not a string']).toMatch(/^t\d+$/)
  })

  it('uses up no turn number for an explicit turn from outside; what it causes still shares one numbered turn', () => {
    const followUp: Middleware = (api) => (next) => (action) => {
      const result = next(action)
      if (note.match(action) && action.payload === 'checkout') {
        api.dispatch(note('caused 1'))
        api.dispatch(note('caused 2'))
      }
      return result
    }
    const { recorder, store } = makeStore({}, [followUp])
    store.dispatch(note('before'))
    store.dispatch({ ...note('named'), meta: { turn: 'checkout-42' } })
    store.dispatch(note('after'))
    store.dispatch({ ...note('checkout'), meta: { turn: 'checkout-43' } })
    store.dispatch(note('last'))
    const t = turnsByNote(recorder)
    expect([t.before, t.named, t.after]).toEqual(['t1', 'checkout-42', 't2'])
    expect(t.checkout).toBe('checkout-43')
    expect([t['caused 1'], t['caused 2'], t.last]).toEqual(['t3', 't3', 't4'])
    expect(recorder.stats().turns).toBe(4)
  })
  it('without an async context, starts a new turn for a plain thunk or listener effect dispatching after await', async () => {
    const listener = createListenerMiddleware()
    listener.startListening({
      predicate: (a) => note.match(a) && a.payload === 'go',
      effect: async (_action, api) => {
        api.dispatch(note('effect before await'))
        await tick()
        api.dispatch(note('effect after await'))
      },
    })
    const { recorder, store } = makeStore({}, [listener.middleware])
    await store.dispatch(async (dispatch) => {
      dispatch(note('thunk before await'))
      await tick()
      dispatch(note('thunk after await'))
    })
    store.dispatch(note('go'))
    await expect.poll(() => store.getState()).toContain('effect after await')
    const t = turnsByNote(recorder)
    expect(t['thunk after await']).not.toBe(t['thunk before await'])
    expect(t['effect before await']).toBe(t.go)
    expect(t['effect after await']).not.toBe(t.go)
  })

  it('with asyncTurns(), keeps the turn of plain thunks and listener effects across await, each its own', async () => {
    const listener = createListenerMiddleware()
    listener.startListening({
      predicate: (a) => note.match(a) && a.payload === 'go',
      effect: async (_action, api) => {
        await tick()
        api.dispatch(note('effect after await'))
      },
    })
    const { recorder, store } = makeStore({ turns: asyncTurns() }, [listener.middleware])
    const thunk = (name: string, ms: number) => async (dispatch: (a: UnknownAction) => unknown) => {
      dispatch(note(`${name} before`))
      await new Promise((r) => setTimeout(r, ms))
      dispatch(note(`${name} after`))
    }
    // two thunks in flight at once: the later-started one finishes first
    await Promise.all([store.dispatch(thunk('slow', 15) as never), store.dispatch(thunk('fast', 1) as never)])
    store.dispatch(note('go'))
    await expect.poll(() => store.getState()).toContain('effect after await')
    store.dispatch(note('outside'))
    const t = turnsByNote(recorder)
    expect(t['slow after']).toBe(t['slow before'])
    expect(t['fast after']).toBe(t['fast before'])
    expect(t['fast before']).not.toBe(t['slow before'])
    expect(t['effect after await']).toBe(t.go)
    expect(t.outside).not.toBe(t.go)
    expect(replay(recorder.snapshot(), { reducer: log.reducer })).toMatchObject({ ok: true, verified: true })
  })

  it('with asyncTurns(), keeps the turn of a saga that puts after a delay', async () => {
    const saga = createSagaMiddleware()
    const { recorder, store } = makeStore({ turns: asyncTurns() }, [saga])
    saga.run(function* () {
      yield takeEvery((a: unknown) => note.match(a) && a.payload.startsWith('search '), function* (action: ReturnType<typeof note>) {
        yield delay(5)
        yield put(note(`${action.payload} done`))
      })
    })
    store.dispatch(note('search a'))
    store.dispatch(note('search b'))
    await expect.poll(() => store.getState()).toContain('search a done')
    await expect.poll(() => store.getState()).toContain('search b done')
    const t = turnsByNote(recorder)
    expect(t['search a done']).toBe(t['search a'])
    expect(t['search b done']).toBe(t['search b'])
    expect(t['search b']).not.toBe(t['search a'])
  })
})
