import { createSlice, type PayloadAction, type Reducer } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { diffStates, formatDivergence, replay } from 'redux-flight-recorder/replay'
import { recordText as record } from '../helpers/recordText'

type Todo = { id: number; text: string; done: boolean }
const todos = (addAtTop: boolean) =>
  createSlice({
    name: 'todos',
    initialState: { items: Array.from({ length: 30 }, (_, i): Todo => ({ id: i + 1, text: `todo ${i + 1}`, done: false })) },
    reducers: {
      added(s, a: PayloadAction<Todo>) {
        if (addAtTop) s.items.unshift(a.payload)
        else s.items.push(a.payload)
      },
      toggled(s, a: PayloadAction<number>) {
        const t = s.items.find((x) => x.id === a.payload)
        if (t) t.done = !t.done
      },
    },
  })

describe('diffStates on arrays', () => {
  it('reports one element inserted at the top as one difference, not every later index', () => {
    const before = Array.from({ length: 200 }, (_, i) => ({ id: i, n: i }))
    const after = [{ id: -1, n: 0 }, ...before.map((x) => ({ ...x }))]
    expect(diffStates({ list: before }, { list: after })).toEqual([{ path: 'list.0', recorded: undefined, replayed: { id: -1, n: 0 }, element: 'inserted' }])
    expect(diffStates({ list: after }, { list: before })).toEqual([{ path: 'list.0', recorded: { id: -1, n: 0 }, replayed: undefined, element: 'removed' }])
  })

  it('aligns elements without ids by a common subsequence and keeps changes in place', () => {
    expect(diffStates(['a', 'b', 'c', 'd'], ['a', 'x', 'b', 'd'])).toEqual([
      { path: '1', recorded: undefined, replayed: 'x', element: 'inserted' },
      { path: '2', recorded: 'c', replayed: undefined, element: 'removed' },
    ])
    expect(diffStates([1, 2, 3], [1, 5, 3])).toEqual([{ path: '1', recorded: 2, replayed: 5 }])
  })

  it('tells a short array of primitives whose elements mostly moved as one difference, whole array to whole array', () => {
    expect(diffStates({ tags: ['work', 'urgent', 'money'] }, { tags: ['money', 'urgent', 'work'] })).toEqual([
      { path: 'tags', recorded: ['work', 'urgent', 'money'], replayed: ['money', 'urgent', 'work'] },
    ])
    expect(diffStates(['a', 'b'], ['c', 'd'])).toEqual([{ path: '', recorded: ['a', 'b'], replayed: ['c', 'd'] }])
    // Longer than 8, or elements that are objects: element by element, as before.
    const long = Array.from({ length: 9 }, (_, i) => i)
    expect(diffStates(long, [...long].reverse()).every((d) => d.path !== '')).toBe(true)
    expect(diffStates([{ id: 1 }, { id: 2 }], [{ id: 2 }, { id: 1 }]).some((d) => d.element !== undefined)).toBe(true)
  })

  it('reports an element moved by id as removed at one index and inserted at another', () => {
    const a = [{ id: 1 }, { id: 2 }, { id: 3 }]
    expect(diffStates(a, [a[2], a[0], a[1]])).toEqual([
      { path: '0', recorded: undefined, replayed: { id: 3 }, element: 'inserted' },
      { path: '2', recorded: { id: 3 }, replayed: undefined, element: 'removed' },
    ])
  })

  it('matches objects with the same id as one element, down to the changed field', () => {
    const a = [{ id: 'x', v: 1 }, { id: 'y', v: 1 }, { id: 'z', v: 1 }]
    const b = [{ id: 'w', v: 0 }, { id: 'x', v: 1 }, { id: 'y', v: 2 }, { id: 'z', v: 1 }]
    expect(diffStates(a, b)).toEqual([
      { path: '0', recorded: undefined, replayed: { id: 'w', v: 0 }, element: 'inserted' },
      { path: '2.v', recorded: 1, replayed: 2 },
    ])
  })

  it('stays bounded on 100,000-element arrays', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => i)
    const shifted = [-1, ...big]
    expect(diffStates(big, shifted)).toEqual([{ path: '0', recorded: undefined, replayed: -1, element: 'inserted' }])
    // Every element different and no ids: index by index, up to the limit.
    expect(diffStates(big, big.map((x) => x + 0.5))).toHaveLength(50)
    const objs = big.map((i) => ({ id: i, n: i }))
    const inMiddle = [...objs.slice(0, 50_000), { id: -1, n: 0 }, ...objs.slice(50_000).map((x) => ({ ...x }))]
    expect(diffStates(objs, inMiddle)).toEqual([{ path: '50000', recorded: undefined, replayed: { id: -1, n: 0 }, element: 'inserted' }])
  })
})

describe('the divergence report', () => {
  it('shows a todo added at the top as one inserted element in the text and the structure', async () => {
    const right = todos(false)
    const log = await record(right.reducer, (dispatch) => {
      dispatch(right.actions.added({ id: 99, text: 'new', done: false }))
      dispatch(right.actions.toggled(5))
    })
    const result = replay(log, { reducer: todos(true).reducer })
    const d = result.divergence!
    expect(d.seq).toBe(1)
    expect(d.diff).toEqual([
      { path: 'items.0', recorded: undefined, replayed: { id: 99, text: 'new', done: false }, element: 'inserted' },
      { path: 'items.30', recorded: { id: 99, text: 'new', done: false }, replayed: undefined, element: 'removed' },
    ])
    const text = formatDivergence(result)
    expect(text).toContain('items.0: inserted {"id":99,"text":"new","done":false}')
    expect(text).toContain('items.30: removed {"id":99,"text":"new","done":false}')
    expect(text).not.toContain('items.7')
  })

  it('carries long strings shortened around where they differ, with their lengths', async () => {
    const doc = (bug: boolean) =>
      createSlice({
        name: 'doc',
        initialState: { body: '', meta: { note: '' as unknown } },
        reducers: {
          typed(s, a: PayloadAction<string>) {
            s.body = bug ? a.payload.slice(0, -1) + '!' : a.payload
            s.meta.note = bug ? { text: a.payload } : a.payload.length
          },
        },
      })
    const big = 'a'.repeat(200_000) + 'Z'
    const slice = doc(false)
    const log = await record(slice.reducer, (dispatch) => dispatch(slice.actions.typed(big)))
    const result = replay(log, { reducer: doc(true).reducer })
    const d = result.divergence!
    const body = d.diff!.find((x) => x.path === 'body')!
    expect(body.shortened).toEqual({ from: 199_950, at: 200_000, recordedLength: 200_001, replayedLength: 200_001 })
    expect(body.recorded).toBe('a'.repeat(50) + 'Z')
    expect(body.replayed).toBe('a'.repeat(50) + '!')
    const note = d.diff!.find((x) => x.path === 'meta.note')!
    expect(note.recorded).toBe(200_001)
    expect(note.replayed).toEqual({ text: 'a'.repeat(200) + '…(199801 more characters)' })
    expect(note.shortened).toEqual({})
    // The step's own effect is shortened the same way.
    expect(JSON.stringify(d.step).length).toBeLessThan(2_000)
    // The action itself still carries the payload; the differences carry a few hundred characters.
    const { action: _action, ...rest } = d
    expect(JSON.stringify(rest).length).toBeLessThan(5_000)
    const text = formatDivergence(result)
    expect(text).toContain('body: "…' + 'a'.repeat(30) + 'Z" → "…' + 'a'.repeat(30) + '!" (strings of 200001 and 200001 characters, first different at character 200000)')
  })

  it('says the reducer is not deterministic at the diverging action, and where the two runs differ', async () => {
    let counter = 0
    const make = (impure: boolean) =>
      createSlice({
        name: 'notes',
        initialState: { items: [] as { id: number; text: string; at: number; key: number }[] },
        reducers: {
          added: {
            reducer(s, a: PayloadAction<{ text: string; at: number }>) {
              s.items.push(impure ? { id: ++counter, text: a.payload.text, at: Date.now(), key: Math.random() } : { id: s.items.length + 1, text: a.payload.text, at: a.payload.at, key: 0.5 })
            },
            prepare: (text: string) => ({ payload: { text, at: 1 } }),
          },
        },
      })
    const pure = make(false)
    const log = await record(pure.reducer, (dispatch) => {
      dispatch(pure.actions.added('one'))
      dispatch(pure.actions.added('two'))
    })
    const result = replay(log, { reducer: make(true).reducer })
    const d = result.divergence!
    expect(d.seq).toBe(1)
    expect(d.nondeterministic!.map((x) => x.path)).toEqual(['items.0.id', 'items.0.at', 'items.0.key'])
    expect(d.nondeterministic![0]).toEqual({ path: 'items.0.id', recorded: 1, replayed: 3 })
    const text = formatDivergence(result)
    expect(text).toContain('the reducer is not deterministic at this action')
    expect(text).toContain('items.0.id: 1 → 3')
    expect(text).toContain('`checkDeterminism: true`')
    // The re-run came after the replay: what replay returns is as without it.
    expect(result.state).toEqual({ items: [expect.objectContaining({ id: 1 }), expect.objectContaining({ id: 2 })] })
    expect(d.diff!.map((x) => x.path)).toEqual(['items.0.at', 'items.0.key', 'items.1.at', 'items.1.key'])
  })

  it('says nothing of determinism for a deterministic reducer that is only wrong, nor when the re-run throws', async () => {
    const good = todos(false)
    const log = await record(good.reducer, (dispatch) => dispatch(good.actions.added({ id: 99, text: 'new', done: false })))
    const d = replay(log, { reducer: todos(true).reducer }).divergence!
    expect(d.nondeterministic).toBeUndefined()
    let calls = 0
    const throwsSecondTime: Reducer = (s = good.getInitialState(), a) => {
      if (a.type === 'todos/added' && ++calls > 1) throw new Error('second run')
      return a.type === 'todos/added' ? { items: [] } : s
    }
    const r = replay(log, { reducer: throwsSecondTime })
    expect(r.divergence!.seq).toBe(1)
    expect(r.divergence!.nondeterministic).toBeUndefined()
    expect(formatDivergence(r)).not.toContain('not deterministic')
  })
})
