import { describe, expect, it } from 'vitest'
import { createFlightRecorder, stateHash } from 'redux-flight-recorder'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { added, failingSync, filterSlice, makeReducer, makeStore, removed, renamed, rootReducer, syncTodos, toggled } from '../helpers/todoApp'

type Store = ReturnType<typeof makeStore>
const scripts: Record<string, (store: Store) => Promise<void> | void> = {
  'a few todos': (s) => {
    s.dispatch(added({ id: 'a', title: 'milk', done: false }))
    s.dispatch(toggled('a'))
  },
  'async thunks, success and failure': async (s) => {
    await s.dispatch(syncTodos(4))
    await s.dispatch(failingSync())
    s.dispatch(toggled('s1'))
  },
  'listener follow-ups and removals': (s) => {
    for (let i = 0; i < 20; i++) s.dispatch(added({ id: `n${i}`, title: `n${i}`, done: i % 2 === 0 }))
    for (let i = 0; i < 20; i += 3) s.dispatch(removed(`n${i}`))
    s.dispatch(filterSlice.actions.set('done'))
  },
  'unicode and odd strings': (s) => {
    s.dispatch(added({ id: 'ü', title: 'caf\u00e9 \u{1F600} \ud800 "quoted" \\ \n', done: false }))
    s.dispatch(renamed({ id: 'ü', title: '' }))
  },
}

describe('round trip', () => {
  it.each(Object.keys(scripts))('%s: record → toJSONL → parseRecording → replay is ok with the recorded final hash', async (name) => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    await scripts[name](store)
    await recorder.close()
    const rec = parseRecording(recorder.toJSONL())
    const result = replay(rec, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true })
    expect(result.finalHash).toBe(rec.end!.hash)
    expect(rec.end!.hash).toBe(stateHash(store.getState()))
  })

  it('reports the first differing seq when the reducer changed after recording', () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'milk', done: false }))
    store.dispatch(added({ id: 'b', title: 'bread', done: false }))
    store.dispatch(toggled('b'))
    store.dispatch(removed('a'))
    const result = replay(recorder.toJSONL(), { reducer: makeReducer({ buggyToggle: true }) })
    expect(result.ok).toBe(false)
    expect(result.divergence).toMatchObject({ seq: 3, kind: 'todos/toggled', turn: 't3', action: { type: 'todos/toggled', payload: 'b' } })
    expect(result.divergence!.expectedHash).not.toBe(result.divergence!.actualHash)
  })
})
