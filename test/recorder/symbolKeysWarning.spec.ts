import { configureStore } from '@reduxjs/toolkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, type FlightRecorderOptions } from 'redux-flight-recorder'

// A property keyed by a symbol in the state is in neither the log nor the hash (JSON leaves it
// out; docs/FORMAT.md, "The JSON projection"). In development the recorder says so once, found in
// a full state it writes (header, checkpoint, @@end). Once per process: the tests that expect the
// warning come last, each in a process of its own would be needed otherwise, so the file has one.

const PRIORITY = Symbol('app/priority')
type Todo = { id: string; title: string; [PRIORITY]?: number }
type State = { todos: Record<string, Todo>; n: number }

function makeTodos(count: number): Record<string, Todo> {
  const out: Record<string, Todo> = {}
  for (let i = 0; i < count; i++) out['t' + i] = { id: 't' + i, title: 'todo ' + i }
  return out
}

const reducer = (s: State = { todos: makeTodos(500), n: 0 }, a: { type: string; id?: string }): State => {
  switch (a.type) {
    case 'prioritise': // a symbol key set by a reducer, deep in a map of entities
      return { ...s, todos: { ...s.todos, [a.id!]: { ...s.todos[a.id!], [PRIORITY]: 1 } } }
    case 'unset': // a symbol key holding undefined: nothing is lost
      return { ...s, todos: { ...s.todos, [a.id!]: { ...s.todos[a.id!], [PRIORITY]: undefined } } }
    case 'inc':
      return { ...s, n: s.n + 1 }
    default:
      return s
  }
}

function record(options: Partial<FlightRecorderOptions> = {}) {
  const recorder = createFlightRecorder({ flushIntervalMs: 60_000, ...options })
  const store = configureStore({ reducer, enhancers: (g) => g().concat(recorder.enhancer) })
  return { recorder, store }
}

const ours = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((c) => String(c[0])).filter((m) => m.startsWith('[redux-flight-recorder]'))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('development warning for symbol keys in the state', () => {
  it('says it once, with the path, when a full state holds one; not for one holding undefined or an ignored path', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    // Accepted: an ignored path, and a symbol key that holds undefined.
    const quiet = record({ lossy: { ignoredPaths: ['todos.t3'] } })
    quiet.store.dispatch({ type: 'prioritise', id: 't3' })
    quiet.store.dispatch({ type: 'unset', id: 't4' })
    await quiet.recorder.close()
    expect(ours(warn)).toEqual([])

    const { recorder, store } = record({ checkpointEvery: 2 })
    store.dispatch({ type: 'inc' })
    store.dispatch({ type: 'prioritise', id: 't42' })
    recorder.toJSONL() // the buffer read: header, and a checkpoint after the second action
    store.dispatch({ type: 'prioritise', id: 't7' })
    store.dispatch({ type: 'inc' })
    await recorder.close()
    expect(ours(warn)).toEqual([
      "[redux-flight-recorder] In the state: state.todos.t42.[Symbol(app/priority)] is a property keyed by a symbol. JSON leaves it out, so it is neither in the log nor in the hash: replay cannot see it, nor a change to it alone. Keep the state plain data with string keys, or list 'todos.t42.[Symbol(app/priority)]' in `lossy.ignoredPaths` to accept it. (Warned once, of the first one found in a full state: header, checkpoint, @@end.)",
    ])
    // The log is as before: no trace of it.
    expect(recorder.toJSONL()).not.toContain('Symbol')
  })
})
// (Left out of production builds: test/package/devOnly.spec.ts.)
