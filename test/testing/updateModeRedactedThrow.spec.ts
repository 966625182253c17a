import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { configureStore } from '@reduxjs/toolkit'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { parseRecording } from 'redux-flight-recorder/replay'
import { ROOT, requireDist, runNode, tempDir, vitestProject, type Exit } from '../node/helpers'

// Session 35: a step whose reducer threw when recorded, with the value it threw on redacted in the
// log (`redact.actions`), replays "[redacted]" instead: the very reducer that recorded the log may
// not throw there. Replay says so in a warning (test/replay/noLongerThrowsRedacted.spec.ts), but
// `vitest -u` rewrote the log all the same, recording that the step does not throw: the crash was
// gone from the log for no change of the reducer. Real `vitest run` in a project of its own, on the
// built package.

/** The app's reducer: a card number starting with 0 throws; one that is no number is ignored. STEP=2 is a change elsewhere (`viewed`). */
const STORE = `import { createSlice } from '@reduxjs/toolkit'
export const cards = createSlice({
  name: 'cards',
  initialState: { last: '', count: 0, views: 0 },
  reducers: {
    viewed: (s) => void (s.views += Number(process.env.STEP ?? 1)),
    added(s, a) {
      if (a.payload.number.startsWith('0')) throw new RangeError('A card number cannot start with 0')
      if (!/^\\d+$/.test(a.payload.number)) return
      s.last = a.payload.number.slice(-4)
      s.count++
    },
  },
})
export const reducer = cards.reducer
`
const TEST = (name: string) => `import { it } from 'vitest'
import { expectReplayFile } from 'redux-flight-recorder/testing'
import { reducer } from '../store.mjs'
it('replays the checkout', () => expectReplayFile('${name}/session.jsonl', { reducer }))
`

let project: string
let text: string

beforeAll(async () => {
  await requireDist()
  project = vitestProject('fr-update35-')
  writeFileSync(join(project, 'store.mjs'), STORE)
  const { reducer, cards } = (await import(join(project, 'store.mjs'))) as { reducer: any; cards: any }
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], redact: { actions: ['payload.number'] } })
  const store = configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
  expect(() => store.dispatch(cards.actions.added({ holder: 'bob', number: '0111111111111111' }))).toThrow(RangeError)
  store.dispatch(cards.actions.viewed())
  await recorder.close()
  text = sink.text()
  expect(text).toContain('"threw":{"name":"RangeError","message":"A card number cannot start with 0"')
  expect(text).toContain('"number":"[redacted]"')
}, 60_000)

/** Runs vitest on `<project>/<name>/` holding TEST and the log; exit, output and the log afterwards. */
function run(name: string, args: string[], env: Record<string, string> = {}): { code: number | null; out: string; after: string } {
  const r: Exit = runNode(join(ROOT, 'node_modules/vitest/vitest.mjs'), ['run', '--root', project, `${name}/`, ...args], { cwd: project, env })
  return { code: r.code, out: r.stdout + r.stderr, after: readFileSync(join(project, name, 'session.jsonl'), 'utf8') }
}

function setUp(name: string): void {
  mkdirSync(join(project, name))
  writeFileSync(join(project, name, 'session.jsonl'), text)
  writeFileSync(join(project, name, 'session.test.mjs'), TEST(name))
}

const NOT_UPDATED = 'The test runner updates snapshots, but the log was not updated: a step that threw when recorded no longer throws where replay dispatched "[redacted]" for values of its action (see the warnings above), not what the app dispatched: rewriting the log would drop that crash for the placeholder alone.'

describe('expectReplayFile under vitest -u, a recorded crash at an action whose values the log redacts', () => {
  it('passes as without -u, leaves the log as it was, and says why on console.warn', () => {
    setUp('passing')
    const plain = run('passing', [])
    expect(plain.code, plain.out).toBe(0)
    expect(plain.out).toContain("The reducer threw at seq 1 ('cards/added') when recorded (RangeError: A card number cannot start with 0); replayed, it no longer throws and reaches the recorded state.")

    const update = run('passing', ['-u'])
    expect(update.code, update.out).toBe(0)
    expect(update.out).toContain('replayed, it no longer throws and reaches the recorded state')
    expect(update.out).toContain(NOT_UPDATED)
    expect(update.out).toContain('If the reducer did change on purpose, update the log with flight-recorder rehash passing/session.jsonl --store <module> --in-place.')
    expect(update.out).not.toContain('Updated passing/session.jsonl')
    expect(update.after).toBe(text)
    expect(parseRecording(update.after).entries.find((e) => e.seq === 1)?.threw).toBeDefined()
  }, 120_000)

  it('fails on a later change of the reducer with the usual report, says why the log was not updated, and leaves it as it was', () => {
    setUp('changed')
    const update = run('changed', ['-u'], { STEP: '2' })
    expect(update.code, update.out).toBe(1)
    expect(update.out).toContain("Replay diverged at seq 2 (turn t2), action 'cards/viewed'")
    expect(update.out).toContain('replayed, it no longer throws and reaches the recorded state')
    expect(update.out).toContain(NOT_UPDATED)
    expect(update.out).not.toContain('or run the tests with -u')
    expect(update.out).not.toContain('Updated changed/session.jsonl')
    expect(update.after).toBe(text)
  }, 120_000)
})
