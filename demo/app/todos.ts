import { createAsyncThunk, createEntityAdapter, createSlice, type PayloadAction } from '@reduxjs/toolkit'

export interface Todo {
  id: string
  title: string
  done: boolean
  urgent: boolean
  syncedAt: string | null
}

export const todosAdapter = createEntityAdapter<Todo>()

/** "Sync with server": sends the open todos to the demo API and receives the server's list. */
export const syncWithServer = createAsyncThunk<Todo[], void, { state: { todos: { present: ReturnType<typeof todosAdapter.getInitialState> } }; extra: { apiUrl: string } }>(
  'todos/sync',
  async (_arg, { getState, extra }) => {
    const todos = todosAdapter.getSelectors().selectAll(getState().todos.present)
    const res = await fetch(`${extra.apiUrl}/todos/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(todos),
    })
    if (!res.ok) throw new Error(`server answered ${res.status}`)
    return (await res.json()) as Todo[]
  },
)

export interface TodosExtra {
  syncing: boolean
  lastSync: string | null
  lastError: string | null
}

/** The todos reducer; `regressed` flips the one branch the demo's regression breaks. */
export function makeTodosSlice(regressed = false) {
  return createSlice({
    name: 'todos',
    initialState: todosAdapter.getInitialState<TodosExtra>({ syncing: false, lastSync: null, lastError: null }),
    reducers: {
      added: {
        reducer: todosAdapter.addOne,
        prepare: (id: string, title: string) => ({ payload: { id, title, done: false, urgent: false, syncedAt: null } as Todo }),
      },
      toggled(state, action: PayloadAction<string>) {
        const todo = state.entities[action.payload]
        if (!todo) return
        // The regression: an "optimisation" that forgets urgent todos can be completed too.
        if (regressed && todo.urgent) return
        todo.done = !todo.done
      },
      renamed(state, action: PayloadAction<{ id: string; title: string }>) {
        const todo = state.entities[action.payload.id]
        if (todo) todo.title = action.payload.title
      },
      markedUrgent(state, action: PayloadAction<string>) {
        const todo = state.entities[action.payload]
        if (todo) todo.urgent = true
      },
      removed: todosAdapter.removeOne,
      clearedCompleted(state) {
        todosAdapter.removeMany(
          state,
          Object.values(state.entities)
            .filter((t) => t!.done)
            .map((t) => t!.id),
        )
      },
    },
    extraReducers: (b) => {
      b.addCase(syncWithServer.pending, (s) => {
        s.syncing = true
        s.lastError = null
      })
      b.addCase(syncWithServer.fulfilled, (s, a) => {
        s.syncing = false
        s.lastSync = a.payload[0]?.syncedAt ?? s.lastSync
        todosAdapter.setAll(s, a.payload)
      })
      b.addCase(syncWithServer.rejected, (s, a) => {
        s.syncing = false
        s.lastError = a.error.message ?? 'sync failed'
      })
    },
  })
}

export const todosSlice = makeTodosSlice()
export const { added, toggled, renamed, markedUrgent, removed, clearedCompleted } = todosSlice.actions
