import { join } from 'node:path'
import { createStore } from 'redux'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { beforeAll, describe, expect, it } from 'vitest'
import { CLI, requireDist, runNode, tempDir } from '../node/helpers'

// Defects found by a user acceptance run on the packed package (session 28): a bug report whose
// reducer crashed said nothing of the crash in `inspect`.

let dir: string
const cli = (args: string[]) => runNode(CLI, args, { cwd: dir })

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-polish28-')
})

describe('inspect of a log whose reducer threw', () => {
  it('lists the action the reducer threw on, with the error, in text and --json', async () => {
    const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, 'crash.jsonl'), { processLifecycle: false })] })
    const reducer = (state = { todos: [] as string[], selected: null as number | null }, action: { type: string; payload?: unknown }) => {
      switch (action.type) {
        case 'added':
          return { ...state, todos: [...state.todos, String(action.payload)] }
        case 'selected':
          return { ...state, selected: Number(action.payload) }
        case 'cleared':
          return { ...state, todos: [] }
        case 'renamedSelected':
          return { ...state, todos: state.todos.map((t, i) => (i === state.selected ? state.todos[state.selected!].toUpperCase() : t)), title: state.todos[state.selected!].toUpperCase() }
        default:
          return state
      }
    }
    const store = createStore(reducer, recorder.enhancer)
    store.dispatch({ type: 'added', payload: 'milk' })
    store.dispatch({ type: 'selected', payload: 0 })
    store.dispatch({ type: 'cleared' })
    expect(() => store.dispatch({ type: 'renamedSelected' })).toThrow(TypeError)
    store.dispatch({ type: 'added', payload: 'bread' })
    await recorder.close()

    const text = cli(['inspect', 'crash.jsonl'])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/\nthe reducer threw \(the state stayed as it was; replay on a reducer that still throws goes on as recorded\)\n  seq 4  \+[\d.]+ ?m?s  renamedSelected: TypeError: Cannot read properties of undefined \(reading 'toUpperCase'\)\n/)
    const json = JSON.parse(cli(['inspect', 'crash.jsonl', '--json']).stdout)
    expect(json.threw).toEqual([{ seq: 4, t: expect.any(Number), type: 'renamedSelected', name: 'TypeError', message: "Cannot read properties of undefined (reading 'toUpperCase')" }])
  })
})
