// The reducer of bench/panel-longtasks.mjs, shared by the session it records in Node and the page
// that replays it in Chromium.
export function reducer(state = { ids: [], entities: {}, toggles: 0 }, action) {
  switch (action.type) {
    case 'todos/added':
      return { ...state, ids: [...state.ids, action.payload.id], entities: { ...state.entities, [action.payload.id]: action.payload } }
    case 'todos/toggled': {
      const todo = state.entities[action.payload]
      if (!todo) return state
      return { ...state, toggles: state.toggles + 1, entities: { ...state.entities, [todo.id]: { ...todo, done: !todo.done } } }
    }
    default:
      return state
  }
}
