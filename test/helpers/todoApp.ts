import {
  combineReducers,
  configureStore,
  createAsyncThunk,
  createEntityAdapter,
  createListenerMiddleware,
  createSlice,
  type PayloadAction,
} from '@reduxjs/toolkit'
import type { FlightRecorder } from 'redux-flight-recorder'

export interface Todo {
  id: string
  title: string
  done: boolean
}

export const todosAdapter = createEntityAdapter<Todo>()

export const syncTodos = createAsyncThunk('todos/sync', async (count: number) => {
  await new Promise((r) => setTimeout(r, 5))
  return Array.from({ length: count }, (_, i) => ({ id: `s${i}`, title: `synced ${i}`, done: false }))
})

export const failingSync = createAsyncThunk('todos/failingSync', async () => {
  await new Promise((r) => setTimeout(r, 1))
  throw new Error('server down')
})

export function makeTodosSlice(opts: { buggyToggle?: boolean } = {}) {
  return createSlice({
    name: 'todos',
    initialState: todosAdapter.getInitialState({ syncing: false, lastError: null as string | null }),
    reducers: {
      added: todosAdapter.addOne,
      toggled(state, action: PayloadAction<string>) {
        const todo = state.entities[action.payload]
        // The deliberately regressed branch used by divergence tests.
        if (todo) todo.done = opts.buggyToggle ? todo.done : !todo.done
      },
      removed: todosAdapter.removeOne,
      renamed(state, action: PayloadAction<{ id: string; title: string }>) {
        const todo = state.entities[action.payload.id]
        if (todo) todo.title = action.payload.title
      },
    },
    extraReducers: (b) => {
      b.addCase(syncTodos.pending, (s) => {
        s.syncing = true
      })
      b.addCase(syncTodos.fulfilled, (s, a) => {
        s.syncing = false
        todosAdapter.upsertMany(s, a.payload)
      })
      b.addCase(failingSync.rejected, (s, a) => {
        s.lastError = a.error.message ?? 'error'
      })
    },
  })
}

export const todosSlice = makeTodosSlice()
export const { added, toggled, removed, renamed } = todosSlice.actions

export const filterSlice = createSlice({
  name: 'filter',
  initialState: { show: 'all' as 'all' | 'done' | 'open', audit: 0 },
  reducers: {
    set(state, action: PayloadAction<'all' | 'done' | 'open'>) {
      state.show = action.payload
    },
    audited(state) {
      state.audit++
    },
  },
})

export function makeReducer(opts: { buggyToggle?: boolean } = {}) {
  return combineReducers({ todos: makeTodosSlice(opts).reducer, filter: filterSlice.reducer })
}
export const rootReducer = makeReducer()

/** A real RTK store with thunk, a listener (synchronous follow-up dispatch) and the recorder. */
export function makeStore(recorder: Pick<FlightRecorder, 'enhancer' | 'middleware'>) {
  const listener = createListenerMiddleware()
  listener.startListening({
    actionCreator: todosSlice.actions.removed,
    effect: (_action, api) => {
      api.dispatch(filterSlice.actions.audited())
    },
  })
  return configureStore({
    reducer: rootReducer,
    middleware: (g) => g().prepend(recorder.middleware).concat(listener.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
}
