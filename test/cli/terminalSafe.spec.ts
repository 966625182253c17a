/**
 * A log is untrusted text: the CLI shows its control characters (ESC, BEL, a carriage return, C1
 * codes) escaped instead of letting them act on the terminal — before the fix `inspect` printed a
 * session id and mark labels raw, and a log could clear the screen and print "all hashes verified"
 * over the real output. Runs the built CLI (dist/cli.js).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { actionAt, makeStore } from '../fixtures/cli/todoStore.mjs'
import { CLI, TODO_STORE, requireDist, runNode, tempDir } from '../node/helpers'
import { terminalSafe } from '../../src/cli/util'

const HOSTILE = 'x\x1b]0;owned\x07\x1b[2J\x1b[31mFAKE\rall verified\u009b2J'
let dir: string

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-ansi-')
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], meta: { app: HOSTILE } })
  const store = makeStore(recorder)
  for (let i = 0; i < 5; i++) store.dispatch(actionAt(i) as never)
  recorder.mark(HOSTILE, { note: HOSTILE })
  await recorder.close()
  writeFileSync(join(dir, 'ansi.jsonl'), sink.text().replace(/"session":"[^"]+"/, `"session":${JSON.stringify(HOSTILE)}`))
}, 60_000)

describe('control characters from a log reach no terminal', () => {
  for (const args of [['inspect', 'ansi.jsonl'], ['inspect', 'ansi.jsonl', '--json'], ['verify', 'ansi.jsonl', '--store', TODO_STORE], ['diff', 'ansi.jsonl', 'ansi.jsonl'], ['convert', 'ansi.jsonl', '--to', 'devtools']]) {
    it(args.join(' '), () => {
      const r = runNode(CLI, args, { cwd: dir })
      expect(r.code, r.stderr).toBeLessThan(2)
      for (const text of [r.stdout, r.stderr]) expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/)
      if (args[0] === 'inspect' && args.length === 2) expect(r.stdout).toContain('x\\u001b]0;owned\\u0007\\u001b[2J\\u001b[31mFAKE\\u000dall verified\\u009b2J')
      // JSON stays JSON, with the same values.
      if (args.includes('--json')) expect(JSON.stringify(JSON.parse(r.stdout))).toContain('x\\u001b]0;owned\\u0007')
    })
  }

  it("keeps the progress bar's own carriage return and erase-line", () => {
    expect(terminalSafe('\r[###...] 3/6', true)).toBe('\r[###...] 3/6')
    expect(terminalSafe('\r\x1b[2K', true)).toBe('\r\x1b[2K')
    expect(terminalSafe('a\rb\x1b[2K', false)).toBe('a\\u000db\\u001b[2K')
    expect(terminalSafe('line\n\tindented\n')).toBe('line\n\tindented\n')
  })
})
