import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { parseRecording } from 'redux-flight-recorder/replay'
import { ROOT, requireDist, runNode, tempDir, vitestProject, type Exit } from '../node/helpers'

// Acceptance run, session 34: a log from a React <StrictMode> development page starts with two
// `new-store` entries (React builds the store twice and keeps the first). Every divergence report
// on it hinted at the new store, and `vitest -u` refused to rewrite the log ("the hint above names a
// cause other than a changed reducer"). Real `vitest run` in a project of its own, on the built package.

/** The app's store; STEP=2 is the intended change (each `added` adds 2), read at each call. */
const STORE = `import { configureStore, createSlice } from '@reduxjs/toolkit'
export const counter = createSlice({ name: 'counter', initialState: { n: 0 }, reducers: { added: (s) => void (s.n += Number(process.env.STEP ?? 1)) } })
export const reducer = { counter: counter.reducer }
export const makeStore = (recorder) => configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
`
const TEST = `import { it } from 'vitest'
import { combineReducers } from '@reduxjs/toolkit'
import { expectReplayFile } from 'redux-flight-recorder/testing'
import { reducer } from '../store.mjs'
it('replays the page', () => expectReplayFile('strict/session.jsonl', { reducer: combineReducers(reducer) }))
`

let project: string
let text: string

beforeAll(async () => {
  await requireDist()
  project = vitestProject('fr-update34-')
  writeFileSync(join(project, 'store.mjs'), STORE)
  const { makeStore, counter } = (await import(join(project, 'store.mjs'))) as { makeStore: any; counter: any }
  // What StrictMode does in development: the initializer runs twice, React keeps the first store.
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink] })
  const kept = makeStore(recorder)
  makeStore(recorder)
  for (let i = 0; i < 3; i++) kept.dispatch(counter.actions.added())
  await recorder.close()
  warn.mockRestore()
  text = sink.text()
  expect(kept.getState().counter.n).toBe(3)
  expect(parseRecording(text).entries.map((e) => e.kind)).toEqual(['@@lifecycle', '@@lifecycle', 'counter/added', 'counter/added', 'counter/added'])
}, 60_000)

describe('expectReplayFile under vitest, a log that starts with two new stores (React StrictMode)', () => {
  it('reports a changed reducer without a new-store hint, and -u rewrites the log', () => {
    const dir = join(project, 'strict')
    mkdirSync(dir)
    const log = join(dir, 'session.jsonl')
    writeFileSync(log, text)
    writeFileSync(join(dir, 'session.test.mjs'), TEST)
    const run = (args: string[]) => runNode(join(ROOT, 'node_modules/vitest/vitest.mjs'), ['run', '--root', project, 'strict/', ...args], { cwd: project, env: { STEP: '2' } })
    const output = (r: Exit) => r.stdout + r.stderr

    const fail = run([])
    expect(fail.code, output(fail)).toBe(1)
    expect(output(fail)).toContain("Replay diverged at seq 3 (turn t1), action 'counter/added'")
    expect(output(fail)).not.toContain('moved to a new store')
    expect(output(fail)).toContain('or run the tests with -u')
    expect(readFileSync(log, 'utf8')).toBe(text)

    const update = run(['-u'])
    expect(update.code, output(update)).toBe(0)
    expect(output(update)).toContain('[redux-flight-recorder] Updated strict/session.jsonl (the test runner updates snapshots): 3 of 3 steps changed, the first at seq 3 (counter/added).')
    const updated = parseRecording(readFileSync(log, 'utf8'), { strict: true })
    expect(updated.entries.map((e) => [e.seq, e.kind])).toEqual(parseRecording(text).entries.map((e) => [e.seq, e.kind]))
    expect(updated.end?.state).toEqual({ counter: { n: 6 } })

    const pass = run([])
    expect(pass.code, output(pass)).toBe(0)
    expect(output(pass)).not.toContain('Updated')
  }, 120_000)
})
