import { createStore } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, type SinkContext } from 'redux-flight-recorder'
import { replay } from 'redux-flight-recorder/replay'

const reducer = (state = { n: 0 }, action: { type: string }) => (action.type === 'inc' ? { n: state.n + 1 } : state)

/**
 * A buffer of 20 entries after 60 actions: its log starts at a later `from_seq`, as a rotated
 * file does, or a file whose first lines a sink queue dropped. With `dropped`, a `@@dropped` entry
 * (as a sink reports one) says entries were lost before it.
 */
function log(dropped?: number, maxEntries = 20): string {
  let ctx!: SinkContext
  const recorder = createFlightRecorder({ maxEntries, sinks: [{ write: () => {}, attach: (c) => void (ctx = c) }], flushIntervalMs: 60_000 })
  const store = createStore(reducer, recorder.enhancer)
  for (let i = 0; i < 60; i++) store.dispatch({ type: 'inc' })
  if (dropped !== undefined) ctx.reportDropped(dropped, 'sink-queue-full')
  for (let i = 0; i < 5; i++) store.dispatch({ type: 'inc' })
  // The sink's log: its header names it (sink 0), as the @@dropped does.
  const [header, ...rest] = recorder.toJSONL().split('\n')
  return [header.slice(0, -1) + ',"sink":0}', ...rest].join('\n')
}

// docs/cli.md: `verify --strict` fails on a gap (entries missing or dropped). Entries a sink lost
// before the first line of its log leave no seq gap in it, only the header's later `from_seq` and
// the `@@dropped` entry that reports them.
describe('a @@dropped entry for entries lost before the log starts', () => {
  it('makes the log incomplete: a warning says how many are missing, and it is not verified', () => {
    const text = log(45)
    const from = JSON.parse(text.split('\n')[0]).from_seq as number
    expect(from).toBeGreaterThan(1)
    const result = replay(text, { reducer })
    expect(result.ok).toBe(true)
    expect(result.verified).toBe(false)
    expect(result.warnings).toEqual([expect.stringMatching(new RegExp(`^The @@dropped entry at seq \\d+ reports 45 entries lost that are missing from the log \\(it starts at seq ${from}\\)`))])
  })

  it('a log starting at a later from_seq with no @@dropped (a rotated file) still verifies', () => {
    const text = log()
    expect(JSON.parse(text.split('\n')[0]).from_seq).toBeGreaterThan(1)
    const result = replay(text, { reducer })
    expect(result).toMatchObject({ ok: true, verified: true, warnings: [] })
  })

  it("a log that starts at seq 1 with no gap verifies, though it holds another sink's @@dropped", () => {
    // Every sink's log gets each sink's @@dropped entries: this one lost nothing.
    const text = log(45, 1000)
    expect(JSON.parse(text.split('\n')[0]).from_seq).toBe(1)
    expect(text).toContain('"@@dropped"')
    expect(replay(text, { reducer })).toMatchObject({ ok: true, verified: true, warnings: [] })
  })

  it('a @@dropped whose entries show as a seq gap adds no second warning', () => {
    const lines = log(3).trimEnd().split('\n')
    const at = lines.findIndex((l) => l.includes('"@@dropped"'))
    // The three entries before the @@dropped go, as the sink lost them.
    const text = [...lines.slice(0, at - 3), ...lines.slice(at)].join('\n') + '\n'
    const result = replay(text, { reducer })
    expect(result.verified).toBe(false)
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]).toMatch(/^Entries \d+–\d+ are missing/)
  })
})
