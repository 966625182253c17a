import { configureStore, createAsyncThunk, type ThunkAction, type UnknownAction } from '@reduxjs/toolkit'
import { describe, expectTypeOf, it } from 'vitest'
import { createFlightRecorder, type Recording } from 'redux-flight-recorder'
import { replay, type ReplayResult } from 'redux-flight-recorder/replay'
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

  it('types replay results', () => {
    expectTypeOf(replay).parameter(0).toEqualTypeOf<Recording | string>()
    expectTypeOf(replay('', { reducer: rootReducer })).toEqualTypeOf<ReplayResult>()
  })
})
