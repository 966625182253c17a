import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStore } from 'redux'
import { beforeAll, describe, expect, it } from 'vitest'
import { encodeRecording } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { ROOT, requireDist, runNode, tempDir } from '../node/helpers'

// A real Vitest run in a project of its own, on the built package (as test/testing/updateMode.spec.ts):
// with -u, a log recorded with `hash: false` lost the crash a fixed reducer no longer makes only
// when a hash said the state was as recorded, so a log without hashes kept `threw` and the crash
// coming back replayed "as recorded" (session 29).

let project: string

beforeAll(async () => {
  await requireDist()
  project = tempDir('fr-update-nohash-')
  mkdirSync(join(project, 'node_modules'))
  symlinkSync(ROOT, join(project, 'node_modules/redux-flight-recorder'))
  for (const dep of ['vitest', 'redux']) symlinkSync(join(ROOT, 'node_modules', dep), join(project, 'node_modules', dep))
  writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n')
}, 60_000)

describe('expectReplayFile -u with a recorded crash in a log without hashes', () => {
  /** `boom` throws with CRASH=1; fixed, it leaves the state as it was (the recorded state). */
  const CRASHING = `exports.reducer = (state = { n: 0 }, action) => {
  if (action.type === 'boom' && process.env.CRASH === '1') throw new TypeError('boom at ' + state.n)
  return action.type === 'inc' ? { n: state.n + 1 } : state
}
`
  it('drops the crash a fix no longer makes, and the crash coming back then fails', async () => {
    writeFileSync(join(project, 'crashing.cjs'), CRASHING)
    const reducer = (state = { n: 0 }, action: { type: string }) => {
      if (action.type === 'boom') throw new TypeError('boom at ' + state.n)
      return action.type === 'inc' ? { n: state.n + 1 } : state
    }
    const recording = await recordSession(
      (rec) => createStore(reducer, rec.enhancer),
      (store) => {
        store.dispatch({ type: 'inc' })
        expect(() => store.dispatch({ type: 'boom' })).toThrow('boom at 1')
        store.dispatch({ type: 'inc' })
      },
      { hash: false },
    )
    const text = encodeRecording(recording)
    expect(text).toContain('"hash_alg":"none"')
    expect(text).toContain('"threw":{"name":"TypeError","message":"boom at 1"}')
    const dir = join(project, 'crash')
    mkdirSync(dir)
    const log = join(dir, 'checkout.jsonl')
    writeFileSync(log, text)
    writeFileSync(
      join(dir, 'checkout.test.mjs'),
      `import { it } from 'vitest'\nimport { expectReplayFile } from 'redux-flight-recorder/testing'\nimport { reducer } from '../crashing.cjs'\nit('replays checkout', () => expectReplayFile('crash/checkout.jsonl', { reducer, allowUnverified: true }))\n`,
    )
    const run = (args: string[], env: Record<string, string>) => {
      const r = runNode(join(ROOT, 'node_modules/vitest/vitest.mjs'), ['run', '--root', project, 'crash/', ...args], { cwd: project, env })
      return { code: r.code, out: r.stdout + r.stderr }
    }

    // Fixed: passes, saying the log still expects the crash.
    const fixed = run([], { CRASH: '0' })
    expect(fixed.code, fixed.out).toBe(0)
    expect(fixed.out).toContain("The reducer threw at seq 2 ('boom') when recorded (TypeError: boom at 1); replayed, it no longer throws.")
    expect(readFileSync(log, 'utf8')).toBe(text)

    const update = run(['-u'], { CRASH: '0' })
    expect(update.code, update.out).toBe(0)
    expect(update.out).toContain('[redux-flight-recorder] Updated crash/checkout.jsonl (the test runner updates snapshots): 1 of 3 steps changed, the first at seq 2 (boom).')
    expect(readFileSync(log, 'utf8')).not.toContain('"threw"')

    // The crash coming back now fails.
    const back = run([], { CRASH: '1' })
    expect(back.code, back.out).toBe(1)
    expect(back.out).toContain("Replay diverged at seq 2 (turn t2), action 'boom': the reducer threw.")
  }, 120_000)
})
