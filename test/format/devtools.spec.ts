import { instrument, ActionCreators } from '@redux-devtools/instrument'
import { createStore } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { isActionEntry, replay } from 'redux-flight-recorder/replay'
import { fromDevToolsExport, toDevToolsExport } from 'redux-flight-recorder/devtools'
import { added, makeStore, removed, rootReducer, syncTodos, toggled } from '../helpers/todoApp'

async function session() {
  const recorder = createFlightRecorder()
  const store = makeStore(recorder)
  store.dispatch(added({ id: 'a', title: 'milk', done: false }))
  store.dispatch(added({ id: 'b', title: 'bread', done: false }))
  store.dispatch(toggled('a'))
  await store.dispatch(syncTodos(2))
  store.dispatch(removed('b'))
  await recorder.close()
  return { rec: recorder.snapshot(), final: store.getState() }
}

describe('toDevToolsExport', () => {
  it("gives a file that @redux-devtools/instrument's IMPORT_STATE turns into the same state", async () => {
    const { rec, final } = await session()
    const file = JSON.parse(JSON.stringify(toDevToolsExport(rec)))
    expect(typeof file.payload).toBe('string')
    const store = createStore(rootReducer, instrument() as never) as ReturnType<typeof createStore> & { liftedStore: any }
    store.liftedStore.dispatch(ActionCreators.importState(JSON.parse(file.payload)) as never)
    // the DevTools extension passes preloadedState alongside; instrument starts from it
    store.liftedStore.dispatch({ type: 'IMPORT_STATE', nextLiftedState: JSON.parse(file.payload), preloadedState: JSON.parse(file.preloadedState) })
    expect(store.getState()).toEqual(JSON.parse(JSON.stringify(final)))
    expect(store.liftedStore.getState().stagedActionIds).toHaveLength(rec.entries.filter(isActionEntry).length + 1)
  })
})

describe('fromDevToolsExport', () => {
  it('reads an export file back into a recording that replays', async () => {
    const { rec, final } = await session()
    const back = fromDevToolsExport(JSON.stringify(toDevToolsExport(rec)))
    expect(back.entries.filter(isActionEntry).map((e) => e.action)).toEqual(rec.entries.filter(isActionEntry).map((e) => e.action))
    const result = replay(back, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: false })
    expect(result.state).toEqual(JSON.parse(JSON.stringify(final)))
  })

  it("reads instrument's lifted state and verifies replay against its computed states", () => {
    const store = createStore(rootReducer, instrument() as never) as ReturnType<typeof createStore> & { liftedStore: any }
    store.dispatch(added({ id: 'a', title: 'milk', done: false }))
    store.dispatch(toggled('a'))
    store.dispatch(added({ id: 'b', title: 'x', done: false }))
    const lifted = JSON.parse(JSON.stringify(store.liftedStore.getState()))
    const rec = fromDevToolsExport(lifted)
    expect(rec.entries.map((e) => e.kind)).toEqual(['todos/added', 'todos/toggled', 'todos/added'])
    expect(rec.warnings).toEqual([])
    // The last computed state ends the log, as a recorder's @@end does (checked too).
    expect(rec.end).toMatchObject({ kind: '@@end', seq: 4, count: 3, dropped: 0, state: JSON.parse(JSON.stringify(store.getState())) })
    expect(replay(rec, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true, checked: 4 })
    // a reducer that differs is caught at the right step, and diffed at the end
    const wrong = (s: any, a: any) => (a.type === 'todos/toggled' ? s : rootReducer(s, a))
    const diverged = replay(rec, { reducer: wrong as never })
    expect(diverged.divergence?.seq).toBe(2)
    expect(diverged.divergence?.diffAtSeq).toBe(4)
    expect(diverged.divergence?.diff).toContainEqual(expect.objectContaining({ path: 'todos.entities.a.done' }))
  })

  it('keeps the hashes of a lifted state with actions toggled off: they are left out, and the others verify', () => {
    const store = createStore(rootReducer, instrument() as never) as ReturnType<typeof createStore> & { liftedStore: any }
    store.dispatch(added({ id: 'a', title: 'milk', done: false }))
    store.dispatch(toggled('a'))
    store.dispatch(added({ id: 'b', title: 'x', done: false }))
    store.dispatch(toggled('b'))
    // Toggle off the first toggle (lifted id 2): instrument recomputes the states without it.
    store.liftedStore.dispatch({ type: 'TOGGLE_ACTION', id: 2 })
    const lifted = JSON.parse(JSON.stringify(store.liftedStore.getState()))
    expect(lifted.skippedActionIds).toEqual([2])
    const rec = fromDevToolsExport(lifted)
    expect(rec.header.hash_alg).toBe('fr64')
    expect(rec.entries.map((e) => e.kind)).toEqual(['todos/added', 'todos/added', 'todos/toggled'])
    // Said, not silent: the recording's warnings name what the DevTools showed and the log leaves out.
    expect(rec.warnings).toEqual([expect.stringMatching(/^1 action was toggled off in the DevTools and is left out/)])
    const result = replay(rec, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true, checked: 4 })
    expect(result.state).toEqual(JSON.parse(JSON.stringify(store.getState())))
    const wrong = (s: any, a: any) => (a.type === 'todos/toggled' ? s : rootReducer(s, a))
    expect(replay(rec, { reducer: wrong as never }).divergence?.seq).toBe(3)
  })

  it('rejects input that is not a DevTools export with a clear error', () => {
    expect(() => fromDevToolsExport('{"foo":1}')).toThrow(/Expected a Redux DevTools export/)
    expect(() => fromDevToolsExport('nope')).toThrow(/not JSON/)
  })
})
