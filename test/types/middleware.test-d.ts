import { configureStore, createAsyncThunk, type ThunkAction, type UnknownAction } from '@reduxjs/toolkit'
import { describe, expectTypeOf, it } from 'vitest'
import { createFlightRecorder, FlightRecorderError, ReplayDivergenceError, type Recording } from 'redux-flight-recorder'
import { replay, shrinkRecording, type ReplayResult } from 'redux-flight-recorder/replay'
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
    // docs/api/replay.md: the log's starting state handed to configureStore as it is (the state
    // is then not inferred: any).
    expectTypeOf(replay('', { createStore: (state) => configureStore({ reducer: rootReducer, preloadedState: state }) }).state).toBeAny()
    replay('', { reducer: rootReducer, onStep: (step) => expectTypeOf(step.state).toEqualTypeOf<State>() })
    // A reducer wrapped inline still type-checks (its state is not inferred: any, as before).
    replay('', { reducer: (state, action) => rootReducer(state, action) })
    // docs/guides/bug-report-to-test.md: `fails` reads the replayed state.
    shrinkRecording('', { reducer: rootReducer, fails: (r) => r.state.todos.ids.length > 3 })
    // @ts-expect-error a reducer's state is typed: no such key
    shrinkRecording('', { reducer: rootReducer, fails: (r) => r.state.cart.lines.length > 3 })
    // An error from a replay carries it (docs/guides/testing.md, docs/api/replay.md).
    expectTypeOf<ReplayDivergenceError['result']>().toEqualTypeOf<ReplayResult | undefined>()
    expectTypeOf<FlightRecorderError['result']>().toEqualTypeOf<ReplayResult | undefined>()
  })
})
