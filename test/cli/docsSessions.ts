// The files docs/cli.md's transcripts use, made for real in a work directory: a recorded todo
// session (logs/session.jsonl), two short sessions that differ (logs/before.jsonl,
// logs/after.jsonl), a log with a line cut in the middle (logs/broken.jsonl), the store module
// (store.mjs: the todo app of test/fixtures/cli/todoStore.mjs) and a TypeScript one (store.ts).
// test/cli/docsTranscripts.spec.ts runs every command of the page against them.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { actionAt, makeStore } from '../fixtures/cli/todoStore.mjs'
import { TODO_STORE } from '../node/helpers'

type Action = ReturnType<typeof actionAt>

/** A new macrotask, so each dispatch is its own turn, as clicks in an app are. */
const nextTask = () => new Promise<void>((done) => setImmediate(done))

async function record(count: number, options: { change?: (i: number, a: Action) => Action; during?: (i: number, rec: ReturnType<typeof createFlightRecorder>) => void } = {}): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], meta: { app: 'todo-server@1.0.0' }, checkpointEvery: 25 })
  const store = makeStore(recorder)
  for (let i = 0; i < count; i++) {
    store.dispatch(options.change ? options.change(i, actionAt(i)) : actionAt(i))
    options.during?.(i, recorder)
    await nextTask()
  }
  await recorder.close()
  return sink.text()
}

/** The store module as the page's reader has it; `broken` is the one after "a change that breaks toggling". */
export function writeStore(dir: string, broken = false): void {
  const app = pathToFileURL(TODO_STORE).href
  writeFileSync(
    join(dir, 'store.mjs'),
    broken
      ? `// The todo app with a regression: toggling no longer flips \`done\`.\nimport { makeReducer } from '${app}'\nexport const reducer = makeReducer({ buggyToggle: true })\n`
      : `// The todo app: its root reducer, which replay runs alone.\nimport { makeReducer } from '${app}'\nexport const reducer = makeReducer()\n`,
  )
}

export async function makeDocsSessions(dir: string): Promise<void> {
  mkdirSync(join(dir, 'logs'), { recursive: true })
  writeStore(dir)
  // An app module that exports its root reducer under another name.
  writeFileSync(join(dir, 'todos.js'), `import { makeReducer } from '${pathToFileURL(TODO_STORE).href}'\nexport const rootReducer = makeReducer()\n`)
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  writeFileSync(join(dir, 'store.ts'), "import type { Reducer } from 'redux'\nexport const reducer: Reducer = (state = {}) => state\n")
  const session = await record(66, {
    during: (i, rec) => {
      if (i === 9) rec.mark('halfway', { todos: 5 })
      if (i === 40) rec.lifecycle('visibility', { hidden: true })
    },
  })
  writeFileSync(join(dir, 'logs/session.jsonl'), session)
  writeFileSync(join(dir, 'logs/before.jsonl'), await record(8))
  // The same clicks, but the fourth toggles another todo.
  writeFileSync(join(dir, 'logs/after.jsonl'), await record(8, { change: (i, a) => (i === 3 ? { type: 'todos/toggled', payload: 't1' } : a) }))
  // A log with a value JSON cannot carry: a Date in an action, written as its ISO string.
  const at = new Date('2026-11-21T09:30:00.000Z')
  writeFileSync(join(dir, 'logs/lossy.jsonl'), await record(6, { change: (i, a) => (i === 4 ? ({ ...a, payload: { ...(a.payload as object), at } } as Action) : a) }))
  // A log whose last line was cut short (the process died mid-write).
  const all = session.trimEnd().split('\n')
  writeFileSync(join(dir, 'logs/cut.jsonl'), [...all.slice(0, 20), all[20].slice(0, 30)].join('\n'))
  const lines = session.split('\n')
  lines[11] = lines[11].slice(0, 10)
  writeFileSync(join(dir, 'logs/broken.jsonl'), lines.join('\n'))
}
