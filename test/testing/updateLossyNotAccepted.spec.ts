import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { configureStore } from '@reduxjs/toolkit'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { requireDist, vitestProject, vitestUpdate } from '../node/helpers'

// Acceptance run, session 39 (helper-156, L3): real `vitest run -u` on a log holding a Date as its
// ISO string, after a reducer change that does not read it. -u rewrote the log, and the rewritten
// log, lossy and run without `allowLossy`, was then refused: a failing test and a changed file. Now
// the log is written only when the updated log passes as it is.

let project: string
let text: string

const V1 = `export const reducer = (s = { at: null, n: 0 }, a) => a.type === 'date' ? { ...s, at: a.payload.at } : a.type === 'count' ? { ...s, n: s.n + 1 } : s\n`
// The change on purpose: a count goes up by two.
const V2 = `export const reducer = (s = { at: null, n: 0 }, a) => a.type === 'date' ? { ...s, at: a.payload.at } : a.type === 'count' ? { ...s, n: s.n + 2 } : s\n`

beforeAll(async () => {
  await requireDist()
  project = vitestProject('fr-update39-')
  writeFileSync(join(project, 'v1.mjs'), V1)
  writeFileSync(join(project, 'v2.mjs'), V2)
  const { reducer } = (await import(join(project, 'v1.mjs'))) as { reducer: any }
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], lossy: { warn: false } })
  const store = configureStore({ reducer, middleware: (g) => g({ serializableCheck: false }).prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
  store.dispatch({ type: 'date', payload: { at: new Date(Date.UTC(2020, 1, 2)) } })
  store.dispatch({ type: 'count' })
  store.dispatch({ type: 'count' })
  await recorder.close()
  text = sink.text()
  expect(text).toContain('"n":2')
}, 60_000)

function updateRun(name: string, options: string): { code: number | null; out: string; after: string } {
  const test = `import { it } from 'vitest'\nimport { expectReplayFile } from 'redux-flight-recorder/testing'\nimport { reducer } from '../v2.mjs'\nit('replays', () => expectReplayFile('${name}/session.jsonl', { reducer${options} }))\n`
  return vitestUpdate(project, name, ['session.jsonl', text], ['session.test.mjs', test])
}

describe('expectReplayFile under vitest -u, a lossy log after a change that does not read the lossy value', () => {
  it('without allowLossy: leaves the log as it was, and says why (the updated log would not be accepted as it is)', () => {
    const { code, out, after } = updateRun('strict', '')
    expect(code, out).toBe(1)
    expect(out).toContain('The test runner updates snapshots, but the log was not updated: updated, it would replay but not be accepted as it is')
    expect(out).toContain('allowLossy')
    expect(out).not.toContain('Updated ')
    expect(after).toBe(text)
  }, 120_000)

  it('with allowLossy: rewrites the log with the new states, and passes', () => {
    const { code, out, after } = updateRun('allowed', ', allowLossy: true')
    expect(code, out).toBe(0)
    expect(out).toContain('Updated ')
    expect(after).not.toBe(text)
    expect(after).toContain('"n":4')
  }, 120_000)
})
