// `npm run demo` (demo/run.ts) says what it shows: the actions replayed versus the comparisons made,
// and the regression it replays against, caught at the step that toggles the urgent todo. Runs the
// demo as a user does (against dist/: run `npm run build` first, as `npm test` does).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadRecording } from 'redux-flight-recorder/node'
import { regression } from '../../demo/app/regressed'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const out = mkdtempSync(join(tmpdir(), 'rfr-node-demo-'))
let output = ''

beforeAll(() => {
  expect(existsSync(join(root, 'dist', 'cli.js')), 'the demo runs against dist/: run `npm run build` first').toBe(true)
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'demo/run.ts'], { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, DEMO_OUT: out } })
  output = r.stdout + r.stderr
  expect(r.status, output).toBe(0)
}, 180_000)
afterAll(() => rmSync(out, { recursive: true, force: true }))

describe('npm run demo', () => {
  it('says how many actions it replayed and what else it compared, and the counts add up with the log', async () => {
    const log = await loadRecording(join(out, 'session.jsonl'))
    const actions = log.entries.filter((e) => 'action' in e).length
    const fullStates = log.entries.filter((e) => e.kind === '@@checkpoint').length + (log.end ? 1 : 0)
    expect(output).toContain(`✓ verified: ${actions} actions replayed, each one's state hash matched the recording;`)
    expect(output).toContain(`${actions + fullStates} comparisons in all: the ${actions} action hashes and ${fullStates} full states from the log`)
  })

  it('names the regression, and catches it at the toggle of the urgent todo', () => {
    expect(output).toContain(`4. Replaying the same log against ${regression}: demo/app/regressed.ts`)
    expect(output).toMatch(/Replay diverged at seq \d+ \(turn t\d+\), action 'todos\/toggled'/)
    expect(output).toContain('{"type":"todos/toggled","payload":"todo-2"}')
    expect(output).toMatch(/✓ regression caught at seq \d+/)
  })
})
