import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { configureStore } from '@reduxjs/toolkit'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink, type FlightRecorderOptions } from 'redux-flight-recorder'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { replayFailure, updateRefusal } from '../../src/testing/expectReplay'
import { CLI, ROOT, requireDist, runNode, vitestProject, type Exit } from '../node/helpers'

// Acceptance run, session 41 (a): an entity adapter sorting on a title that the log redacts (in the
// actions and in the state) replayed the titles as "[redacted]", all equal, so `ids` came out in
// another order: a divergence without any change of the reducer. The report had no hint (the check
// that gives it ran the step again with one other text in every redacted place: all equal again,
// the same order), ended with "if the reducer changed on purpose … run the tests with -u", and
// `expectReplayFile` under -u rewrote the log. Now the report names the action's redacted values
// whenever it had some, the check also tries distinct texts in both orders, and neither the report
// nor -u offers to rewrite the log as if the reducer had changed. Real RTK store (entity adapter
// with a sortComparer), real `vitest run -u` and the real CLI, on the built package.

/** The app: todos sorted by title; `noted` counts (STEP=2 is a change of the reducer on purpose). */
const STORE = `import { combineReducers, createEntityAdapter, createSlice } from '@reduxjs/toolkit'
const adapter = createEntityAdapter({ sortComparer: (a, b) => a.title.localeCompare(b.title) })
export const todos = createSlice({
  name: 'todos',
  initialState: adapter.getInitialState(),
  reducers: {
    added: { reducer: adapter.addOne, prepare: (id, title) => ({ payload: { id, title } }) },
    loaded: adapter.upsertMany,
  },
})
export const notes = createSlice({
  name: 'notes',
  initialState: { count: 0 },
  reducers: { noted: (s, a) => void (s.count += a.payload.n * Number(process.env.STEP ?? 1)) },
})
export const reducer = combineReducers({ todos: todos.reducer, notes: notes.reducer })
`
const REDACT: FlightRecorderOptions['redact'] = { state: ['todos.entities.*.title'], actions: ['payload.title', 'payload.*.title', 'payload.secret'] }
const TEST = (dir: string) => `import { it } from 'vitest'
import { expectReplayFile } from 'redux-flight-recorder/testing'
import { reducer } from '../store.mjs'
it('replays the session', () => expectReplayFile('${dir}/session.jsonl', { reducer }))
`

let project: string
let app: { reducer: any; todos: any; notes: any }

beforeAll(async () => {
  await requireDist()
  project = vitestProject('fr-redacted-sort-')
  writeFileSync(join(project, 'store.mjs'), STORE)
  app = await import(join(project, 'store.mjs'))
}, 60_000)

/** Records `run(store)` with REDACT and returns the log's text. */
async function record(run: (store: any) => void): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], redact: REDACT })
  const store = configureStore({ reducer: app.reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
  run(store)
  await recorder.close()
  return sink.text()
}

/** Sorted by title, the ids are not in the order they were added (whichever place a sort gives equal titles). */
const sortedSession = () =>
  record((store) => {
    store.dispatch(app.todos.actions.added('p', 'pears'))
    store.dispatch(app.todos.actions.added('a', 'apples'))
    store.dispatch(app.todos.actions.added('m', 'mangos'))
    store.dispatch(app.todos.actions.loaded([{ id: 'c', title: 'cherries' }, { id: 'b', title: 'bananas' }]))
  })

/**
 * Only a bulk action, on a state that holds no title yet, as RTK Query's `executeQuery/fulfilled`
 * in the acceptance run: one other text in every redacted place keeps the titles all equal.
 */
const bulkSession = () => record((store) => store.dispatch(app.todos.actions.loaded([{ id: 'c', title: 'cherries' }, { id: 'b', title: 'bananas' }, { id: 'd', title: 'dates' }])))

/** Runs `vitest run` (with `args`) on `<project>/<dir>/` holding `log`: exit, output, and the log afterwards. */
function vitest(dir: string, log: string, args: string[], env: Record<string, string> = {}): { code: number | null; out: string; after: string } {
  mkdirSync(join(project, dir), { recursive: true })
  writeFileSync(join(project, dir, 'session.jsonl'), log)
  writeFileSync(join(project, dir, 'session.test.mjs'), TEST(dir))
  const r: Exit = runNode(join(ROOT, 'node_modules/vitest/vitest.mjs'), ['run', '--root', project, `${dir}/`, ...args], { cwd: project, env })
  return { code: r.code, out: r.stdout + r.stderr, after: readFileSync(join(project, dir, 'session.jsonl'), 'utf8') }
}

describe('a step whose reducer sorts on values of its action that the log redacts', () => {
  it('names the redacted values, says the step depends on them, and advises no update of the log', async () => {
    const log = await sortedSession()
    expect(log).not.toMatch(/pears|apples|mangos|cherries|bananas/)
    const r = replay(log, { reducer: app.reducer })
    expect(r.ok).toBe(false)
    const d = r.divergence!
    expect(d).toMatchObject({ reason: 'hash-mismatch', kind: 'todos/added', redacted: ['payload.title'] })
    expect(d.hint).toContain('Replay dispatched the action\'s values redacted when recording (payload.title) as "[redacted]": run again with other texts there, the reducer reaches another state, so this step depends on them')
    const report = formatDivergence(r)
    expect(report).toContain('  redacted:      payload.title (replay gave the reducer "[redacted]" there, not the app\'s values)')
    expect(report).not.toContain('if the reducer changed on purpose')
    expect(report).not.toContain('with -u')
    expect(report).not.toContain('flight-recorder rehash')
    // As the test helpers say it, and -u refuses.
    expect(updateRefusal(r)?.kind).toBe('redacted-decides')
    expect(updateRefusal(r)?.text).toMatch(/^this step depends on values of its action that the log redacts/)
    expect(replayFailure(r, {}, 'test/sessions/todos.jsonl')!.report).not.toContain('-u')
  })

  it('names them at a bulk action too (`payload.*.title`)', async () => {
    const log = await bulkSession()
    const d = replay(log, { reducer: app.reducer }).divergence!
    expect(d).toMatchObject({ kind: 'todos/loaded', redacted: ['payload.0.title', 'payload.1.title', 'payload.2.title'] })
    expect(d.hint).toContain('so this step depends on them')
    expect(updateRefusal(replay(log, { reducer: app.reducer }))).toBeDefined()
  })

  it('under vitest -u fails with the report, leaves the log as it was, and says why', async () => {
    const log = await bulkSession()
    const { code, out, after } = vitest('sorted', log, ['-u'])
    expect(code, out).toBe(1)
    expect(out).toContain("Replay diverged at seq 1 (turn t1), action 'todos/loaded'")
    expect(out).toContain('redacted:      payload.0.title, payload.1.title, payload.2.title')
    expect(out).toContain('The test runner updates snapshots, but the log was not updated: this step depends on values of its action that the log redacts')
    expect(out).not.toContain('Updated sorted/session.jsonl')
    expect(out).not.toContain('or run the tests with -u')
    expect(after).toBe(log)
  }, 120_000)

  it('flight-recorder verify names them and prints no update advice', async () => {
    const log = await bulkSession()
    mkdirSync(join(project, 'cli'), { recursive: true })
    writeFileSync(join(project, 'cli/session.jsonl'), log)
    const r = runNode(CLI, ['verify', 'cli/session.jsonl', '--store', 'store.mjs', '--no-progress'], { cwd: project })
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stdout).toContain('redacted:      payload.0.title, payload.1.title, payload.2.title (replay gave the reducer "[redacted]" there')
    expect(r.stdout).toContain('so this step depends on them')
    expect(r.stdout).not.toContain('if the reducer changed on purpose')
    expect(r.stdout).not.toContain('--in-place')
  }, 60_000)
})

describe('a changed reducer at a step whose action had values the log redacts, which it does not depend on', () => {
  const session = () =>
    record((store) => {
      store.dispatch(app.notes.actions.noted({ secret: 'tok-1', n: 1 }))
      store.dispatch(app.notes.actions.noted({ secret: 'tok-2', n: 2 }))
    })

  it('names the redacted values; the update advice says replay gave the reducer "[redacted]" and offers no -u', async () => {
    const log = await session()
    const prev = process.env.STEP
    process.env.STEP = '2'
    let r
    try {
      r = replay(log, { reducer: app.reducer })
    } finally {
      if (prev === undefined) delete process.env.STEP
      else process.env.STEP = prev
    }
    expect(r.divergence).toMatchObject({ kind: 'notes/noted', redacted: ['payload.secret'] })
    // Run again with other texts there, the reducer reaches the same state: no hint blames them.
    expect(r.divergence!.hint).toBeUndefined()
    const report = formatDivergence(r)
    expect(report).toContain('  redacted:      payload.secret')
    expect(report).not.toContain('if the reducer changed on purpose')
    expect(report).toContain('replay gave this step\'s reducer "[redacted]" for the action\'s redacted values, so the difference may come from that and not from a change of the reducer, and -u leaves the log as it is')
    expect(updateRefusal(r)?.kind).toBe('redacted-replayed')
    expect(updateRefusal(r)?.text).toMatch(/^replay dispatched "\[redacted\]" for values of the diverging action \(payload\.secret\)/)
    expect(replayFailure(r, {}, 'notes.jsonl')!.report).toContain('flight-recorder rehash notes.jsonl --store <module> --in-place (its states are then what the reducer makes of "[redacted]")')
  })

  it('under vitest -u fails, leaves the log as it was, and names rehash for a change made on purpose', async () => {
    const log = await session()
    const { code, out, after } = vitest('noted', log, ['-u'], { STEP: '2' })
    expect(code, out).toBe(1)
    expect(out).toContain('The test runner updates snapshots, but the log was not updated: replay dispatched "[redacted]" for values of the diverging action (payload.secret)')
    expect(out).toContain('If the reducer did change on purpose at this step (its effect above shows that change), update the log with flight-recorder rehash noted/session.jsonl --store <module> --in-place')
    expect(after).toBe(log)
    // Without the change, the log replays verified (the reducer does not depend on the secret).
    const plain = vitest('noted-plain', log, [])
    expect(plain.code, plain.out).toBe(0)
  }, 120_000)
})
