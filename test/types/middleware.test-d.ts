import { combineReducers, configureStore, createAsyncThunk, type ThunkAction, type UnknownAction } from '@reduxjs/toolkit'
import { legacy_createStore } from 'redux'
import { describe, expectTypeOf, it } from 'vitest'
import { createFlightRecorder, FlightRecorderError, ReplayDivergenceError, type Recording } from 'redux-flight-recorder'
import { replayFile } from 'redux-flight-recorder/node'
import { replay, replayStream, shrinkRecording, type ReplayResult, type ReplayStore } from 'redux-flight-recorder/replay'
import { expectReplay, expectReplayFile } from 'redux-flight-recorder/testing'
import { rootReducer } from '../helpers/todoApp'

describe('recorder.middleware', () => {
  it("keeps RTK's AppDispatch accepting thunks when prepended", () => {
    const recorder = createFlightRecorder()
    const store = configureStore({
      reducer: rootReducer,
      middleware: (g) => g().prepend(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    type AppDispatch = typeof store.dispatch
    type RootState = ReturnType<typeof store.getState>
    const fetchN = createAsyncThunk('n/fetch', async (n: number) => n * 2)
    const plainThunk = (): ThunkAction<number, RootState, unknown, UnknownAction> => () => 42
    const dispatch: AppDispatch = store.dispatch
    expectTypeOf(dispatch(plainThunk())).toEqualTypeOf<number>()
    expectTypeOf(dispatch(fetchN(2))).toHaveProperty('unwrap')
    expectTypeOf(store.getState().todos.ids).toEqualTypeOf<string[]>()
  })

  it('types replay results with the state of the reducer or store replayed into', () => {
    type State = ReturnType<typeof rootReducer>
    expectTypeOf(replay).parameter(0).toEqualTypeOf<Recording | string>()
    expectTypeOf(replay('', { reducer: rootReducer })).toEqualTypeOf<ReplayResult<State>>()
    expectTypeOf(replay('', { reducer: rootReducer }).state.todos.ids).toEqualTypeOf<string[]>()
    // docs/api/replay.md: the log's starting state handed to configureStore as it is; the state
    // is the store's.
    expectTypeOf(replay('', { createStore: (state) => configureStore({ reducer: rootReducer, preloadedState: state }) }).state).toEqualTypeOf<State>()
    replay('', { reducer: rootReducer, onStep: (step) => expectTypeOf(step.state).toEqualTypeOf<State>() })
    // A reducer wrapped inline still type-checks (its state is not inferred: any, as before).
    replay('', { reducer: (state, action) => rootReducer(state, action) })
    // docs/guides/bug-report-to-test.md: `fails` reads the replayed state.
    shrinkRecording('', { reducer: rootReducer, fails: (r) => r.state.todos.ids.length > 3 })
    // @ts-expect-error a reducer's state is typed: no such key
    shrinkRecording('', { reducer: rootReducer, fails: (r) => r.state.cart.lines.length > 3 })
    // The replay store's state, whatever builds the store (the recorder in it too), for onStep and
    // every replay that takes `createStore`.
    const recorder = createFlightRecorder()
    const both = combineReducers({ counter: (n: number = 0) => n, app: rootReducer })
    type Both = ReturnType<typeof both>
    const makeStore = (state?: Partial<Both>) =>
      configureStore({ reducer: both, preloadedState: state, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    expectTypeOf(replay('', { createStore: makeStore }).state).toEqualTypeOf<Both>()
    expectTypeOf(replay('', { createStore: (state) => makeStore(state) }).state.app.todos.ids).toEqualTypeOf<string[]>()
    expectTypeOf(replay('', { createStore: (state) => legacy_createStore(rootReducer, state) }).state).toEqualTypeOf<State>()
    replay('', { createStore: makeStore, onStep: (step) => expectTypeOf(step.state).toEqualTypeOf<Both>() })
    expectTypeOf(replayStream([], { createStore: makeStore })).resolves.toHaveProperty('state').toEqualTypeOf<Both>()
    expectTypeOf(replayFile('log.jsonl', { createStore: makeStore })).resolves.toHaveProperty('state').toEqualTypeOf<Both>()
    expectTypeOf(expectReplay('', { createStore: makeStore }).state).toEqualTypeOf<Both>()
    expectTypeOf(expectReplayFile('log.jsonl', { createStore: makeStore })).resolves.toHaveProperty('state').toEqualTypeOf<Both>()
    const mapped = () => configureStore({ reducer: { counter: (n: number = 0) => n }, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    expectTypeOf(replay('', { createStore: mapped }).state).toEqualTypeOf<{ counter: number }>()
    shrinkRecording('', { createStore: makeStore, fails: (r) => r.state.counter > 1 })
    // A store that does not type its state: the state is not known.
    expectTypeOf(replay('', { createStore: () => ({}) as ReplayStore }).state).toBeUnknown()
    // @ts-expect-error the store's state is typed: no such key
    replay('', { createStore: makeStore }).state.cart
    // An error from a replay carries it (docs/guides/testing.md, docs/api/replay.md).
    expectTypeOf<ReplayDivergenceError['result']>().toEqualTypeOf<ReplayResult | undefined>()
    expectTypeOf<FlightRecorderError['result']>().toEqualTypeOf<ReplayResult | undefined>()
  })
})
