import { configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import createSagaMiddleware from 'redux-saga'
import { call, delay, put, takeEvery } from 'redux-saga/effects'
import { describe, expect, it, vi } from 'vitest'
import { type ActionEntry } from 'redux-flight-recorder'
import { formatDivergence, isActionEntry, replay } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { settle, stateWhen } from './helpers'

const search = createSlice({
  name: 'search',
  initialState: { query: '', loading: false, results: [] as string[], error: null as string | null },
  reducers: {
    requested(state, action: PayloadAction<string>) {
      state.query = action.payload
      state.loading = true
      state.error = null
    },
    succeeded(state, action: PayloadAction<string[]>) {
      state.loading = false
      state.results = action.payload
    },
    failed(state, action: PayloadAction<string>) {
      state.loading = false
      state.error = action.payload
    },
  },
})

describe('redux-saga', () => {
  it('records a session whose saga puts after delays, and replays the reducer alone without running the saga', async () => {
    let sagaCalls = 0
    const backend = async (q: string) => {
      sagaCalls++
      await new Promise((r) => setTimeout(r, 2))
      if (q === 'boom') throw new Error('backend down')
      return [`${q}-1`, `${q}-2`]
    }
    function* onRequested(action: PayloadAction<string>): Generator<unknown, void, string[]> {
      try {
        yield delay(1)
        const results = yield call(backend, action.payload)
        yield put(search.actions.succeeded(results))
      } catch (error) {
        yield put(search.actions.failed((error as Error).message))
      }
    }
    function* root() {
      yield takeEvery(search.actions.requested.type, onRequested)
    }
    const saga = createSagaMiddleware()
    const log = await recordSession(
      (rec) =>
        configureStore({
          reducer: { search: search.reducer },
          middleware: (g) => g({ thunk: false }).prepend(rec.middleware).concat(saga),
          enhancers: (g) => g().concat(rec.enhancer),
        }),
      async (store) => {
        saga.run(root)
        store.dispatch(search.actions.requested('cats'))
        await stateWhen(store, (s) => !s.search.loading, "the saga to put `succeeded` for 'cats'")
        store.dispatch(search.actions.requested('boom'))
        await stateWhen(store, (s) => !s.search.loading, "the saga to put `failed` for 'boom'")
        expect(store.getState().search).toMatchObject({ error: 'backend down', results: ['cats-1', 'cats-2'] })
      },
    )
    expect(sagaCalls).toBe(2)
    const entries = log.entries.filter((e): e is ActionEntry => isActionEntry(e))
    expect(entries.map((e) => e.kind)).toEqual(['search/requested', 'search/succeeded', 'search/requested', 'search/failed'])
    // A saga that puts after `delay`/`call` starts a new turn (no portable async context).
    expect(entries[1].turn).not.toBe(entries[0].turn)

    const reducer = (s: { search?: ReturnType<typeof search.reducer> } | undefined, a: { type: string }) => ({ search: search.reducer(s?.search, a as never) })
    const result = replay(log, { reducer: reducer as never })
    expect(formatDivergence(result)).toMatch(/^Replay ok/)
    expect(result).toMatchObject({ ok: true, verified: true, steps: 4 })
    await settle(20)
    expect(sagaCalls).toBe(2) // the saga did not run during replay
  })
  it("records the actions a saga puts as recordable: redux-saga's hidden mark on them is no loss (no warning, replay with onNonRecordable: 'fail' passes)", async () => {
    function* onRequested(action: PayloadAction<string>) {
      yield put(search.actions.succeeded([`${action.payload}-1`]))
    }
    function* root() {
      yield takeEvery(search.actions.requested.type, onRequested)
    }
    const saga = createSagaMiddleware()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    let log
    try {
      log = await recordSession(
        (rec) =>
          configureStore({
            reducer: { search: search.reducer },
            middleware: (g) => g({ thunk: false }).prepend(rec.middleware).concat(saga),
            enhancers: (g) => g().concat(rec.enhancer),
          }),
        (store) => {
          saga.run(root)
          store.dispatch(search.actions.requested('cats'))
          expect(store.getState().search.results).toEqual(['cats-1'])
        },
      )
      expect(warn.mock.calls.filter((c) => String(c[0]).includes('redux-flight-recorder'))).toEqual([])
    } finally {
      warn.mockRestore()
    }
    const entries = log.entries.filter((e): e is ActionEntry => isActionEntry(e))
    expect(entries.map((e) => e.kind)).toEqual(['search/requested', 'search/succeeded'])
    // (What a put dispatches carries the mark: this test would see nothing without it.)
    for (const e of entries) {
      expect(e.recordable).not.toBe(false)
      expect(e.omitted).toBeUndefined()
    }
    const reducer = (s: { search?: ReturnType<typeof search.reducer> } | undefined, a: { type: string }) => ({ search: search.reducer(s?.search, a as never) })
    expect(replay(log, { reducer: reducer as never, onNonRecordable: 'fail' })).toMatchObject({ ok: true, verified: true, steps: 2 })
  })
})
