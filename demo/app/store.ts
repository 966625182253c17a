import { combineReducers, configureStore, createListenerMiddleware, type Middleware, type StoreEnhancer } from '@reduxjs/toolkit'
import undoable, { ActionCreators as UndoActions, excludeAction } from 'redux-undo'
import { filtersSlice } from './filters'
import { added, makeTodosSlice, markedUrgent, syncWithServer } from './todos'

/** The app's root reducer: todos with an undo stack, and filters. */
export function makeReducer(regressed = false) {
  return combineReducers({
    todos: undoable(makeTodosSlice(regressed).reducer, {
      limit: 20,
      filter: excludeAction([syncWithServer.pending.type, syncWithServer.rejected.type]),
    }),
    filters: filtersSlice.reducer,
  })
}

export const reducer = makeReducer()
export type RootState = ReturnType<typeof reducer>

/** Builds the demo store. `recorder` is what the flight recorder gives: one enhancer, one middleware. */
export function makeStore(options: { apiUrl: string; recorder?: { enhancer: StoreEnhancer; middleware: Middleware } }) {
  const listener = createListenerMiddleware()
  // A listener that reacts to some actions: a todo whose title says "urgent" is flagged at once.
  listener.startListening({
    actionCreator: added,
    effect: (action, api) => {
      if (/urgent|asap/i.test(action.payload.title)) api.dispatch(markedUrgent(action.payload.id))
    },
  })
  const recorder = options.recorder
  return configureStore({
    reducer,
    middleware: (g) => {
      const base = g({ thunk: { extraArgument: { apiUrl: options.apiUrl } } }).concat(listener.middleware)
      return recorder ? base.prepend(recorder.middleware) : base
    },
    enhancers: (g) => (recorder ? g().concat(recorder.enhancer) : g()),
  })
}

export type AppStore = ReturnType<typeof makeStore>
export { UndoActions }
