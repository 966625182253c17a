import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { configureStore } from '@reduxjs/toolkit'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { CLI, requireDist, runNode, tempDir } from '../node/helpers'

// A state nested deeper than fr64 can walk (about 1,000–1,500 levels): the recorder writes
// `hash: null` and an @@error saying "state nested deeper than N levels"; verify names that cause
// instead of "some steps had no hash to check (a gap in the log, or skipped actions)" or a bare
// "the log is incomplete".

let dir: string
const STORE = `const nest = (n) => { let v = { leaf: 1 }; for (let i = 0; i < n; i++) v = { c: v }; return v }
export const reducer = (s = { n: 0, tree: null }, a) => a.type === 'grow' ? { ...s, tree: nest(a.depth) } : a.type === 'cut' ? { ...s, tree: null } : a.type === 'inc' ? { ...s, n: s.n + 1 } : s
`
type S = { n: number; tree: unknown }
type A = { type: string; depth?: number }
const nest = (n: number): unknown => {
  let v: unknown = { leaf: 1 }
  for (let i = 0; i < n; i++) v = { c: v }
  return v
}

/** A session of a real store whose state is nested `depth` deep after 'grow' (and no longer after 'cut'). */
async function record(name: string, types: string[], depth: number): Promise<string> {
  const recorder = createFlightRecorder({ flushIntervalMs: 60_000, onError: () => {} })
  const store = configureStore({
    reducer: (s: S = { n: 0, tree: null }, a: A): S => (a.type === 'grow' ? { ...s, tree: nest(a.depth!) } : a.type === 'cut' ? { ...s, tree: null } : a.type === 'inc' ? { ...s, n: s.n + 1 } : s),
    middleware: (g) => g({ serializableCheck: false, immutableCheck: false }),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  for (const type of types) store.dispatch(type === 'grow' ? { type, depth } : { type })
  await recorder.close()
  const log = join(dir, name)
  writeFileSync(log, recorder.toJSONL())
  return log
}

const verify = (log: string, ...args: string[]) => runNode(CLI, ['verify', log, '--store', 'store.mjs', ...args], { cwd: dir })

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-deep-')
  writeFileSync(join(dir, 'store.mjs'), STORE)
})

describe('verify: a log whose states were nested too deeply to hash', () => {
  it('says the recorder could not hash the state at that seq, and why', async () => {
    const log = await record('deep.jsonl', ['inc', 'grow', 'inc', 'cut', 'inc'], 20_000)
    const r = verify(log)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/NOT fully verified/)
    expect(r.stderr).toMatch(/^warning: not fully verified: the recorder could not hash the state at seq 2 \(its @@error: state nested deeper than \d+ levels\), so the steps without a hash were not checked\.$/m)
    const json = JSON.parse(verify(log, '--json').stdout) as { notFullyVerified: string }
    expect(json.notFullyVerified).toMatch(/the recorder could not hash the state at seq 2 \(its @@error: state nested deeper than \d+ levels/)
  })

  it('a log made incomplete by it (its @@end state could not be written either) names it too', async () => {
    const log = await record('deep-end.jsonl', ['inc', 'grow', 'inc'], 20_000)
    const r = verify(log)
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^warning: not fully verified: the log is incomplete \(see the warning above\), so the steps lost there were not checked\. And the recorder could not hash the state at seq 2 \(its @@error: state nested deeper than \d+ levels\)\.$/m)
  })
})
