import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStore } from 'redux'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { beforeAll, describe, expect, it } from 'vitest'
import { CLI, requireDist, runNode, tempDir } from '../node/helpers'

// Defects found by a user acceptance run on the packed package (session 28): a bug report whose
// reducer crashed said nothing of the crash in `inspect`; a "Report a problem" file (a snapshot of a
// running session) was said to come from a recorder that was not closed, where the panel calls it a
// snapshot.

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

describe('a snapshot of a running session ("Report a problem", a download)', () => {
  it('is said to be a snapshot by verify and inspect, not a recorder that was not closed', () => {
    const recorder = createFlightRecorder()
    const counter = (state: { n: number } = { n: 0 }, action: { type: string }) => (action.type === 'inc' ? { n: state.n + 1 } : state)
    const store = createStore(counter, recorder.enhancer)
    for (let i = 0; i < 3; i++) store.dispatch({ type: 'inc' })
    writeFileSync(join(dir, 'report.jsonl'), recorder.toJSONL({ finalState: true }))
    writeFileSync(join(dir, 'counter.mjs'), "export const reducer = (state = { n: 0 }, action) => (action.type === 'inc' ? { n: state.n + 1 } : state)\n")
    const verified = cli(['verify', 'report.jsonl', '--store', 'counter.mjs'])
    expect(verified.code, verified.stderr).toBe(0)
    expect(verified.stdout + verified.stderr).toContain("This log is a snapshot of a running session (it ends with the snapshot's checkpoint, not @@end): it holds what was recorded up to seq 4; the recorder went on recording after it.")
    expect(verified.stdout + verified.stderr).not.toContain('not closed')
    const inspected = cli(['inspect', 'report.jsonl'])
    expect(inspected.stdout).toMatch(/ended\s+without @@end: a snapshot of a running session \(a "Report a problem" file, a download: it ends with the snapshot's checkpoint; the recorder went on recording after it\)/)
    expect(JSON.parse(cli(['inspect', 'report.jsonl', '--json']).stdout)).toMatchObject({ ended: { clean: false, why: 'snapshot' } })
  })

  it("is not what a sink's log ending with the snapshot's checkpoint is: that session stopped there (review, session 28)", async () => {
    // The snapshot's checkpoint goes to the sinks too: a process that dies right after a report leaves this.
    const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, 'sink.jsonl'), { processLifecycle: false })] })
    const counter = (state: { n: number } = { n: 0 }, action: { type: string }) => (action.type === 'inc' ? { n: state.n + 1 } : state)
    const store = createStore(counter, recorder.enhancer)
    for (let i = 0; i < 3; i++) store.dispatch({ type: 'inc' })
    recorder.toJSONL({ finalState: true })
    await recorder.flush()
    try {
      const verified = cli(['verify', 'sink.jsonl', '--store', 'counter.mjs'])
      expect(verified.stdout + verified.stderr).toContain('The log ends without @@end, so it may be incomplete: the recorder was not closed')
      expect(verified.stdout + verified.stderr).not.toContain('snapshot of a running session')
      expect(cli(['inspect', 'sink.jsonl']).stdout).toMatch(/ended\s+without @@end \(the recorder was not closed; last entry: @@checkpoint\)/)
    } finally {
      await recorder.close()
    }
  })
})

describe('diff of two logs whose states differ by an array element', () => {
  it('says the element was removed or inserted, as verify does, not `→ undefined`', async () => {
    const todos = (state: { items: { id: string }[] } = { items: [] }, action: { type: string; payload?: string }) =>
      action.type === 'added' ? { items: [...state.items, { id: String(action.payload) }] } : action.type === 'removed' ? { items: state.items.filter((t) => t.id !== action.payload) } : state
    writeFileSync(join(dir, 'todos.mjs'), `export const reducer = ${todos.toString()}\n`)
    const sessions = [
      ['a.jsonl', [['added', 'x'], ['added', 'y'], ['added', 'z']]],
      ['b.jsonl', [['added', 'x'], ['added', 'y'], ['removed', 'y']]],
    ] as const
    for (const [name, actions] of sessions) {
      const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, name), { processLifecycle: false })] })
      const store = createStore(todos, recorder.enhancer)
      for (const [type, payload] of actions) store.dispatch({ type, payload })
      await recorder.close()
    }
    const out = cli(['diff', 'a.jsonl', 'b.jsonl', '--store', 'todos.mjs'])
    expect(out.stdout).toContain('replayed states after this step (a → b):\n    items.1: removed {"id":"y"}\n    items.2: removed {"id":"z"}\n')
    expect(out.stdout).not.toContain('→ undefined')
  })
})
