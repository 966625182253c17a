import { searched, visibilitySet } from './filters'
import { UndoActions, type AppStore } from './store'
import { added, clearedCompleted, removed, renamed, syncWithServer, toggled } from './todos'

/** A scripted user session: what a person clicking through the app would dispatch. */
export async function playSession(store: AppStore, pause: () => Promise<void> = async () => {}) {
  const titles = ['Buy milk', 'Call the plumber ASAP', 'Write the quarterly report', 'Book flights', 'Fix the urgent login bug', 'Water the plants']
  titles.forEach((title, i) => store.dispatch(added(`todo-${i + 1}`, title)))
  await pause()
  store.dispatch(toggled('todo-1'))
  store.dispatch(toggled('todo-4'))
  store.dispatch(renamed({ id: 'todo-3', title: 'Write the Q4 report' }))
  await store.dispatch(syncWithServer())
  store.dispatch(visibilitySet('open'))
  store.dispatch(searched('report'))
  store.dispatch(searched(''))
  store.dispatch(toggled('todo-2')) // an urgent one: the regressed reducer gets this wrong
  store.dispatch(removed('todo-6'))
  store.dispatch(UndoActions.undo()) // oops, bring it back
  await pause()
  store.dispatch(added('todo-7', 'Renew passport'))
  store.dispatch(toggled('todo-3'))
  store.dispatch(clearedCompleted())
  store.dispatch(visibilitySet('all'))
  await store.dispatch(syncWithServer())
  store.dispatch(toggled('todo-5'))
}
