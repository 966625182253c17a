import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStore } from 'redux'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, type SinkContext } from 'redux-flight-recorder'
import { CLI, FIXTURES, requireDist, runNode, tempDir } from '../node/helpers'

let dir: string
const STORE = "export const reducer = (state = { n: 0 }, action) => (action.type === 'inc' ? { n: state.n + (action.by ?? 1) } : state)\n"
const verify = (log: string, ...args: string[]) => runNode(CLI, ['verify', log, '--store', 'store.mjs', ...args], { cwd: dir })

/** A log of a buffer of 20 entries after 60 actions (its header's from_seq is later), with a `@@dropped` for `dropped` entries lost before it. */
function bufferLog(name: string, dropped?: number): string {
  let ctx!: SinkContext
  const recorder = createFlightRecorder({ maxEntries: 20, sinks: [{ write: () => {}, attach: (c) => void (ctx = c) }], flushIntervalMs: 60_000 })
  const store = createStore((state: { n: number } = { n: 0 }, action: { type: string }) => (action.type === 'inc' ? { n: state.n + 1 } : state), recorder.enhancer)
  for (let i = 0; i < 60; i++) store.dispatch({ type: 'inc' })
  if (dropped !== undefined) ctx.reportDropped(dropped, 'sink-queue-full')
  for (let i = 0; i < 5; i++) store.dispatch({ type: 'inc' })
  const log = join(dir, name)
  // The sink's log: its header names it (sink 0), as the @@dropped does.
  const [header, ...rest] = recorder.toJSONL().split('\n')
  writeFileSync(log, [header.slice(0, -1) + ',"sink":0}', ...rest].join('\n'))
  return log
}

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-dropped-')
  writeFileSync(join(dir, 'store.mjs'), STORE)
})

// docs/cli.md: --strict fails on a gap (entries missing or dropped), also entries a @@dropped
// reports lost before the log's first line (the header's from_seq past them, no seq gap in it).
describe('verify: a log whose @@dropped entries report entries lost before its first line', () => {
  it('warns that they are missing, is NOT fully verified, and fails --strict', () => {
    const log = bufferLog('dropped.jsonl', 45)
    const r = verify(log)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/NOT fully verified/)
    expect(r.stderr).toMatch(/^warning: The @@dropped entry at seq \d+ reports 45 entries lost that are missing from the log \(it starts at seq \d+\)/m)
    expect(verify(log, '--strict').code).toBe(1)
  })

  it('a log starting at a later from_seq without @@dropped (a rotated file) still passes --strict', () => {
    const r = verify(bufferLog('rotated.jsonl'), '--strict')
    // (A buffer's log has no @@end: the note says so, and does not fail --strict.)
    expect(r.stderr).not.toMatch(/warning/)
    expect(r.stdout).not.toMatch(/NOT fully verified/)
    expect(r.code).toBe(0)
  })

  it('a process that overflowed its fileSink queue and exited: --strict fails, and the exit note does not say everything is in the log', () => {
    const log = join(dir, 'exit.jsonl')
    expect(runNode(join(FIXTURES, 'dropsAtExitChild.mjs'), [log, 'exit', '5000']).code).toBe(3)
    const r = verify(log)
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^note: The log ends without @@end: the process exited \(code 3\) without closing the recorder; the log goes on up to the exit \(seq \d+\), but the entries the warnings name are missing from it\.$/m)
    expect(r.stderr).not.toMatch(/everything it recorded|may be incomplete/)
    // Its first lines went too (the queue keeps the newest checkpoint's lines): the start note
    // names that cause beside the others (it named a rotated file or a sink added later only).
    expect(r.stderr).toMatch(/^note: the log starts at seq \d+, from the state there: the session's first \d+ entries are not in it \(a collector that kept a long session's newest part, a rotated file, a sink added later, or lines its sink dropped: a @@dropped entry then says how many\)\.$/m)
    expect(verify(log, '--strict').code).toBe(1)
  })
})
