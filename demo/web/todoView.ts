// The todo app's plain-DOM view. Everything it does goes through `store.dispatch`, so the flight
// recorder sees what a person does.
import { searched, visibilitySet, type Visibility } from '../app/filters'
import { UndoActions, type AppStore, type RootState } from '../app/store'
import { added, clearedCompleted, removed, renamed, syncWithServer, todosAdapter, toggled, type Todo } from '../app/todos'
import { byId, clockTime, h } from './dom'

const selectTodos = todosAdapter.getSelectors((s: RootState) => s.todos.present)

function visibleTodos(state: RootState): Todo[] {
  const { visibility, search } = state.filters
  const needle = search.trim().toLowerCase()
  return selectTodos
    .selectAll(state)
    .filter((t) => (visibility === 'all' ? true : visibility === 'done' ? t.done : !t.done))
    .filter((t) => needle === '' || t.title.toLowerCase().includes(needle))
}

export function mountTodoApp(store: AppStore): void {
  const list = byId<HTMLUListElement>('todos')
  const empty = byId('empty')
  const input = byId<HTMLInputElement>('new-title')
  const search = byId<HTMLInputElement>('search')
  const undo = byId<HTMLButtonElement>('undo')
  const redo = byId<HTMLButtonElement>('redo')
  const clearDone = byId<HTMLButtonElement>('clear-done')
  const sync = byId<HTMLButtonElement>('sync')
  const syncStatus = byId('sync-status')
  const filterButtons = Array.from(document.querySelectorAll<HTMLButtonElement>('[data-visibility]'))

  // Ids are part of the action, so replay does not depend on how they were made.
  let nextId = 1
  const newId = () => {
    for (const id of store.getState().todos.present.ids) {
      const n = Number(/^todo-(\d+)$/.exec(String(id))?.[1])
      if (n >= nextId) nextId = n + 1
    }
    return `todo-${nextId++}`
  }

  let editing: { id: string; draft: string } | undefined

  byId<HTMLFormElement>('add-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const title = input.value.trim()
    if (title === '') return
    store.dispatch(added(newId(), title))
    input.value = ''
  })
  for (const button of filterButtons) {
    button.addEventListener('click', () => store.dispatch(visibilitySet(button.dataset.visibility as Visibility)))
  }
  search.addEventListener('input', () => store.dispatch(searched(search.value)))
  undo.addEventListener('click', () => store.dispatch(UndoActions.undo()))
  redo.addEventListener('click', () => store.dispatch(UndoActions.redo()))
  clearDone.addEventListener('click', () => store.dispatch(clearedCompleted()))
  sync.addEventListener('click', () => void store.dispatch(syncWithServer()))

  const commitRename = (id: string, title: string) => {
    editing = undefined
    const current = store.getState().todos.present.entities[id]
    if (current && title.trim() !== '' && title.trim() !== current.title) store.dispatch(renamed({ id, title: title.trim() }))
    else render()
  }

  function row(todo: Todo): HTMLLIElement {
    const title =
      editing?.id === todo.id
        ? h('input', {
            class: 'rename-input',
            value: editing.draft,
            'aria-label': `New title for ${todo.title}`,
            onInput: (e: Event) => editing && (editing.draft = (e.target as HTMLInputElement).value),
            onKeydown: (e: KeyboardEvent) => {
              if (e.key === 'Enter') commitRename(todo.id, (e.target as HTMLInputElement).value)
              if (e.key === 'Escape') {
                editing = undefined
                render()
              }
            },
            // A re-render replaces the field; only a real blur (focus moved elsewhere) commits.
            onBlur: (e: Event) => {
              const field = e.target as HTMLInputElement
              if (field.isConnected && editing?.id === todo.id) commitRename(todo.id, field.value)
            },
          })
        : h('span', { class: 'title', title: 'Double-click to rename', onDblclick: () => startRename(todo) }, todo.title)
    return h(
      'li',
      { dataset: { id: todo.id, done: String(todo.done), urgent: String(todo.urgent) } },
      h('input', {
        type: 'checkbox',
        class: 'toggle',
        checked: todo.done,
        'aria-label': `Done: ${todo.title}`,
        onChange: () => store.dispatch(toggled(todo.id)),
      }),
      title,
      todo.urgent && h('span', { class: 'tag' }, 'urgent'),
      todo.syncedAt && h('span', { class: 'synced', title: `synced ${todo.syncedAt}` }, '☁ synced'),
      h('button', { type: 'button', class: 'rename', title: 'Rename', 'aria-label': `Rename ${todo.title}`, onClick: () => startRename(todo) }, '✎'),
      h('button', { type: 'button', class: 'remove', title: 'Remove', 'aria-label': `Remove ${todo.title}`, onClick: () => store.dispatch(removed(todo.id)) }, '✕'),
    )
  }

  function startRename(todo: Todo) {
    editing = { id: todo.id, draft: todo.title }
    render()
    const field = list.querySelector<HTMLInputElement>('.rename-input')
    field?.focus()
    field?.select()
  }

  let shown: RootState | undefined
  function render() {
    const state = store.getState()
    shown = state
    const { todos, filters } = state
    const all = selectTodos.selectTotal(state)
    const visible = visibleTodos(state)
    if (editing && !visible.some((t) => t.id === editing!.id)) editing = undefined
    list.replaceChildren(...visible.map(row))
    if (editing) list.querySelector<HTMLInputElement>('.rename-input')?.focus()
    empty.hidden = visible.length > 0
    empty.textContent = all === 0 ? 'Nothing to do yet: add a todo above.' : 'No todo matches the filter.'
    for (const b of filterButtons) b.setAttribute('aria-pressed', String(b.dataset.visibility === filters.visibility))
    if (document.activeElement !== search) search.value = filters.search
    undo.disabled = todos.past.length === 0
    redo.disabled = todos.future.length === 0
    clearDone.disabled = !selectTodos.selectAll(state).some((t) => t.done)
    sync.disabled = todos.present.syncing
    const { syncing, lastSync, lastError } = todos.present
    syncStatus.dataset.state = syncing ? 'syncing' : lastError ? 'error' : lastSync ? 'synced' : 'never'
    syncStatus.textContent = syncing ? 'Syncing…' : lastError ? `Sync failed: ${lastError}` : lastSync ? `Synced (server time ${clockTime(lastSync)})` : 'Not synced yet'
  }

  store.subscribe(() => {
    if (store.getState() !== shown) render()
  })
  render()
}
