import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStore } from 'redux'
import { beforeAll, describe, expect, it } from 'vitest'
import { encodeRecording, parseRecording } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { ROOT, requireDist, runNode, tempDir, vitestUpdate, type Exit } from '../node/helpers'

// Real Vitest and Jest runs in a project of their own, on the built package: expectReplayFile
// rewrites the log only when the runner updates snapshots (-u).

/** The app's reducer; STEP=2 is the intended change (each `inc` adds 2). */
const STORE = `const step = Number(process.env.STEP ?? 1)
exports.reducer = (state = { n: 0, log: [] }, action) =>
  action.type === 'inc' ? { n: state.n + step, log: [...state.log, action.type] } : state
`
let project: string
let logText: string

const RUNNERS = {
  vitest: {
    file: 'checkout.test.mjs',
    source: `import { it } from 'vitest'\nimport { expectReplayFile } from 'redux-flight-recorder/testing'\nimport { reducer } from '../store.cjs'\nit('replays checkout', () => expectReplayFile('vitest/checkout.jsonl', { reducer }))\n`,
    run: (args: string[], env: Record<string, string>) => runNode(join(ROOT, 'node_modules/vitest/vitest.mjs'), ['run', '--root', project, 'vitest/', ...args], { cwd: project, env }),
  },
  jest: {
    file: 'checkout.test.cjs',
    source: `const { expectReplayFile } = require('redux-flight-recorder/testing')\nconst { reducer } = require('../store.cjs')\ntest('replays checkout', () => expectReplayFile('jest/checkout.jsonl', { reducer }))\n`,
    run: (args: string[], env: Record<string, string>) => runNode(join(ROOT, 'node_modules/jest/bin/jest.js'), ['--config', 'jest.config.cjs', ...args], { cwd: project, env }),
  },
}

beforeAll(async () => {
  await requireDist()
  project = tempDir('fr-update-')
  mkdirSync(join(project, 'node_modules'))
  symlinkSync(ROOT, join(project, 'node_modules/redux-flight-recorder'))
  for (const dep of ['vitest', 'redux']) symlinkSync(join(ROOT, 'node_modules', dep), join(project, 'node_modules', dep))
  writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n')
  writeFileSync(join(project, 'store.cjs'), STORE)
  writeFileSync(join(project, 'jest.config.cjs'), "module.exports = { roots: ['<rootDir>/jest'], testMatch: ['**/*.test.cjs'], testEnvironment: 'node', transform: {} }\n")
  const reducer = (state = { n: 0, log: [] as string[] }, action: { type: string }) => (action.type === 'inc' ? { n: state.n + 1, log: [...state.log, action.type] } : state)
  const recording = await recordSession(
    (rec) => createStore(reducer, rec.enhancer),
    (store) => {
      for (let i = 0; i < 5; i++) store.dispatch({ type: i === 2 ? 'noop' : 'inc' })
    },
    { checkpointEvery: 2 },
  )
  logText = encodeRecording(recording)
}, 60_000)

describe.each(Object.entries(RUNNERS))('expectReplayFile under %s', (name, runner) => {
  it('rewrites the log only with -u, says so, and the test passes on the changed reducer from then on', () => {
    const log = join(project, name, 'checkout.jsonl')
    mkdirSync(join(project, name))
    writeFileSync(log, logText)
    writeFileSync(join(project, name, runner.file), runner.source)
    const output = (r: Exit) => r.stdout + r.stderr

    const fail = runner.run([], { STEP: '2' })
    expect(fail.code, output(fail)).toBe(1)
    expect(output(fail)).toContain("Replay diverged at seq 1 (turn t1), action 'inc'")
    expect(output(fail)).toContain('or run the tests with -u')
    expect(readFileSync(log, 'utf8')).toBe(logText)

    const update = runner.run(['-u'], { STEP: '2' })
    expect(update.code, output(update)).toBe(0)
    expect(output(update)).toContain(`[redux-flight-recorder] Updated ${name}/checkout.jsonl (the test runner updates snapshots): 5 of 5 steps changed, the first at seq 1 (inc).`)
    const updated = parseRecording(readFileSync(log, 'utf8'), { strict: true })
    const before = parseRecording(logText, { strict: true })
    expect(updated.entries.map((e) => [e.seq, e.kind, e.ts])).toEqual(before.entries.map((e) => [e.seq, e.kind, e.ts]))
    expect(updated.end?.state).toEqual({ n: 8, log: ['inc', 'inc', 'inc', 'inc'] })

    const pass = runner.run([], { STEP: '2' })
    expect(pass.code, output(pass)).toBe(0)
    expect(output(pass)).not.toContain('Updated')
  }, 120_000)
})

/**
 * Runs `vitest -u` on a test in `<project>/<name>/` that replays `text` (written there as the log)
 * with the reducer of `store` and `options`; its exit, its output, and the log file afterwards.
 */
function updateRun(name: string, text: string, store: string, options: string, env: Record<string, string> = {}): { code: number | null; out: string; after: string } {
  const test = `import { it } from 'vitest'\nimport { expectReplayFile } from 'redux-flight-recorder/testing'\nimport { reducer } from '../${store}'\nit('replays checkout', () => expectReplayFile('${name}/checkout.jsonl', { reducer${options} }))\n`
  return vitestUpdate(project, name, ['checkout.jsonl', text], ['checkout.test.mjs', test], env)
}

describe('expectReplayFile under vitest -u with an incomplete log', () => {
  it('fails with the usual report and says why the log was not updated; the file stays as it was', () => {
    // The line of seq 3 lost (a gap): replay accepts it with allowIncomplete, a rewrite cannot.
    const lines = logText.split('\n')
    const cut = lines.filter((l) => !l.includes('"seq":3,')).join('\n')
    expect(cut.length).toBeLessThan(logText.length)
    const { code, out, after } = updateRun('incomplete', cut, 'store.cjs', ', allowIncomplete: true', { STEP: '2' })
    expect(code, out).toBe(1)
    expect(out).toContain("Replay diverged at seq 1 (turn t1), action 'inc'")
    expect(out).toContain('The test runner updates snapshots, but the log was not updated: The log is incomplete, so it cannot be rehashed: after the entries lost, replay restarts from a state the old reducer recorded.')
    expect(after).toBe(cut)
  }, 120_000)

  it('says what is lost for a last line cut short, which nothing follows (acceptance, session 39)', () => {
    // The @@end line half written: the steps before it diverge, and nothing restarts after it.
    const lines = logText.trimEnd().split('\n')
    const cut = [...lines.slice(0, -1), lines.at(-1)!.slice(0, 30)].join('\n')
    const { code, out, after } = updateRun('cut-last', cut, 'store.cjs', ', allowIncomplete: true', { STEP: '2' })
    expect(code, out).toBe(1)
    expect(out).toContain(
      `The test runner updates snapshots, but the log was not updated: The log is incomplete, so it cannot be rehashed: its last line was left out (nothing follows it), and the rewritten log would not show that an entry was lost there. To update the log without that line, delete it first. Line ${lines.length} was cut short (the writer stopped mid-line); it was left out.`,
    )
    expect(out).not.toContain('replay restarts')
    expect(after).toBe(cut)
  }, 120_000)
})

describe('expectReplayFile under vitest -u with another app\'s reducer', () => {
  it('fails with the usual report and says why the log was not updated (acceptance, session 26: every state was replaced); the file stays as it was', () => {
    writeFileSync(join(project, 'todos.cjs'), "const { combineReducers } = require('redux')\nexports.reducer = combineReducers({ todos: (s = []) => s })\n")
    const { code, out, after } = updateRun('foreign', logText, 'todos.cjs', '')
    expect(code, out).toBe(1)
    expect(out).toContain('Replay diverged at seq 0')
    // The report's hint says so, and neither it nor the refusal offers rehash or -u, which both refuse it (acceptance, session 39).
    expect(out).toContain("hint: The reducer keeps none of the log's state (the log has n, log; the reducer makes todos): it looks like another app's")
    expect(out).toContain("The test runner updates snapshots, but the log was not updated: the reducer keeps none of the log's state (the hint above): a rewrite would replace every state in it.")
    expect(out).not.toContain('flight-recorder rehash')
    expect(out).not.toContain('run the tests with -u')
    expect(after).toBe(logText)
  }, 120_000)
})

describe('expectReplayFile with a recorded crash (acceptance, session 28)', () => {
  /** `boom` throws with CRASH=1; fixed, it leaves the state as it was (the recorded state). */
  const CRASHING = `exports.reducer = (state = { n: 0 }, action) => {
  if (action.type === 'boom' && process.env.CRASH === '1') throw new TypeError('boom at ' + state.n)
  return action.type === 'inc' ? { n: state.n + 1 } : state
}
`
  it('says so when it passes; -u drops the crash a fix no longer makes, and the crash coming back then fails', async () => {
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
    )
    const text = encodeRecording(recording)
    expect(text).toContain('"threw":{"name":"TypeError","message":"boom at 1"}')
    const dir = join(project, 'crash')
    mkdirSync(dir)
    const log = join(dir, 'checkout.jsonl')
    writeFileSync(log, text)
    writeFileSync(
      join(dir, 'checkout.test.mjs'),
      `import { it } from 'vitest'\nimport { expectReplayFile } from 'redux-flight-recorder/testing'\nimport { reducer } from '../crashing.cjs'\nit('replays checkout', () => expectReplayFile('crash/checkout.jsonl', { reducer }))\n`,
    )
    const run = (args: string[], env: Record<string, string>) => {
      const r = runNode(join(ROOT, 'node_modules/vitest/vitest.mjs'), ['run', '--root', project, 'crash/', ...args], { cwd: project, env })
      return { code: r.code, out: r.stdout + r.stderr }
    }

    // The reducer still crashes: passes as recorded, and says so.
    const still = run([], { CRASH: '1' })
    expect(still.code, still.out).toBe(0)
    expect(still.out).toContain("The reducer threw at seq 2 ('boom'), as it did when recorded (TypeError: boom at 1)")

    // Fixed (the state stays as recorded): passes, saying the log still expects the crash.
    const fixed = run([], { CRASH: '0' })
    expect(fixed.code, fixed.out).toBe(0)
    expect(fixed.out).toContain('replayed, it no longer throws and reaches the recorded state')
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

describe('expectReplayFile under vitest -u with a divergence whose hint names another cause (acceptance run, session 32)', () => {
  it('fails with the usual report, says why the log was not updated, and suggests no -u; the file stays as it was', async () => {
    // The reducer keeps an action value the log redacts: replay gets the placeholder, and the
    // report's hint says the redacted values explain the difference. A rewrite would put the
    // placeholder into every state of the log.
    writeFileSync(join(project, 'notes.cjs'), "exports.reducer = (state = { last: '' }, action) => (action.type === 'note' ? { last: action.payload.secret } : state)\n")
    const reducer = (state = { last: '' }, action: { type: string; payload?: { secret: string } }) => (action.type === 'note' ? { last: action.payload!.secret } : state)
    const recording = await recordSession(
      (rec) => createStore(reducer, rec.enhancer),
      (store) => {
        store.dispatch({ type: 'note', payload: { secret: 'tok-1' } })
        store.dispatch({ type: 'note', payload: { secret: 'tok-2' } })
      },
      { redact: { actions: ['payload.secret'] } },
    )
    const text = encodeRecording(recording)
    const { code, out, after } = updateRun('hinted', text, 'notes.cjs', '')
    expect(code, out).toBe(1)
    expect(out).toContain("Replay diverged at seq 1 (turn t1), action 'note'")
    // (Session 41: the refusal says the step depends on the redacted values, as the hint shows.)
    expect(out).toContain('The test runner updates snapshots, but the log was not updated: this step depends on values of its action that the log redacts')
    expect(out).not.toContain('or run the tests with -u')
    expect(after).toBe(text)
  }, 120_000)
})
