// The todo app of the Jest suite, in plain CommonJS so Jest needs no transform. It mirrors
// test/helpers/todoApp.ts; `buggyToggle` is the reducer change the failing case replays against.
const { combineReducers, configureStore, createEntityAdapter, createSlice } = require('@reduxjs/toolkit')

const todosAdapter = createEntityAdapter()

function makeReducer({ buggyToggle = false } = {}) {
  const todos = createSlice({
    name: 'todos',
    initialState: todosAdapter.getInitialState({ lastEdit: null }),
    reducers: {
      added: todosAdapter.addOne,
      toggled(state, action) {
        const todo = state.entities[action.payload]
        if (todo) todo.done = buggyToggle ? todo.done : !todo.done
      },
      renamed(state, action) {
        const todo = state.entities[action.payload.id]
        if (todo) todo.title = action.payload.title
        state.lastEdit = action.payload.id
      },
      removed: todosAdapter.removeOne,
    },
  })
  const filter = createSlice({
    name: 'filter',
    initialState: { show: 'all' },
    reducers: { set: (state, action) => void (state.show = action.payload) },
  })
  return { reducer: combineReducers({ todos: todos.reducer, filter: filter.reducer }), actions: { ...todos.actions, setFilter: filter.actions.set } }
}

function makeStore(rec) {
  return configureStore({
    reducer: makeReducer().reducer,
    middleware: (g) => g().prepend(rec.middleware),
    enhancers: (g) => g().concat(rec.enhancer),
  })
}

module.exports = { makeReducer, makeStore, reducer: makeReducer().reducer, buggyReducer: makeReducer({ buggyToggle: true }).reducer }
