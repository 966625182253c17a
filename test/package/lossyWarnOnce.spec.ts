import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// The built package, as an app runs it: the recorder's full-state writer is a chunk of its own
// (dist/state-json.js), with its own copy of the lossy-value code. A lossy value must still be
// warned about once per path and kind, whether the action's step or a full state found it first.
const root = resolve(__dirname, '../..')
const SCRIPT = `
import { legacy_createStore as createStore } from 'redux'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
const recorder = createFlightRecorder({ sinks: [memorySink()] })
const reducer = (s = { n: 0 }, a) => (a.type === 'set' ? { ...s, at: new Date(0) } : a.type === 'inc' ? { ...s, n: s.n + 1 } : s)
const store = createStore(reducer, recorder.enhancer)
store.dispatch({ type: 'set' })
store.dispatch({ type: 'inc' })
await new Promise((r) => setTimeout(r, 50))
recorder.toJSONL()
recorder.snapshot({ finalState: true })
await recorder.close()
`

describe('lossy warnings from the built package', () => {
  it('warns once per path and kind, though the full-state writer is a chunk of its own', () => {
    expect(existsSync(resolve(root, 'dist/state-json.js'))).toBe(true)
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'development' }, timeout: 30_000 })
    expect(run.status, run.stderr).toBe(0)
    const warnings = run.stderr.split('\n').filter((l) => l.includes('state.at was a Date'))
    expect(warnings).toHaveLength(1)
  })
})
