/**
 * Every sink's log gets each sink's `@@dropped` (the entry has a seq like any other), and names the
 * sink that lost the lines; a log's header names its own sink. A rotated file (its log starts past
 * seq 1) beside a sink that fell behind was reported "not verified", its complete entries counted
 * as missing before its first line.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { legacy_createStore as createStore, type Reducer } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, type Sink } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { statSync } from 'node:fs'
import { summarise } from '../../src/cli/inspect'

const reducer: Reducer<{ n: number; pad: string }> = (s = { n: 0, pad: 'x'.repeat(100) }, a) => (a.type === 'inc' ? { ...s, n: s.n + 1 } : s)

async function session(dir: string) {
  // A sink that falls behind the app: its first write does not finish until the session's
  // dispatches are done, so it drops lines past its queue (sinkQueueBytes) and they are reported.
  // The queue is large enough for the file sink to keep up however loaded the machine is (with a
  // 4 KB queue and a write of 200 ms for the slow sink, the file sink dropped lines too under load:
  // its own @@dropped, `sink: 0`).
  const slowLines: string[] = []
  let release: () => void = () => {}
  const held = new Promise<void>((r) => (release = r))
  const slow: Sink = { write: (lines) => (slowLines.push(...lines), held) }
  const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, 'log.jsonl'), { maxFileBytes: 20_000, processLifecycle: false }), slow], sinkQueueBytes: 48 * 1024, flushIntervalMs: 20, onError: () => {} })
  const store = createStore(reducer, recorder.enhancer)
  for (let i = 0; i < 400; i++) {
    store.dispatch({ type: 'inc', payload: 'y'.repeat(50) })
    if (i % 20 === 0) await new Promise((r) => setTimeout(r, 30))
  }
  release()
  await recorder.close()
  return { slow: slowLines.join('\n') + '\n', dropped: recorder.stats().dropped }
}

describe('@@dropped names the sink that lost the lines', () => {
  it("a rotated file's logs beside a sink that dropped lines replay verified; the sink's own log counts its losses", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fr-dropped-sink-'))
    const { slow, dropped } = await session(dir)
    expect(dropped).toBeGreaterThan(0)
    const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'))
    expect(files.length).toBeGreaterThan(2)
    let reports = 0
    let rotated = 0
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8')
      const rec = parseRecording(text)
      expect(rec.header.sink).toBe(0)
      const others = rec.entries.filter((e) => e.kind === '@@dropped')
      for (const d of others) expect(d).toMatchObject({ sink: 1 })
      reports += others.length
      if (rec.header.from_seq > 1) rotated++
      const result = replay(text, { reducer })
      expect(result, f).toMatchObject({ ok: true, verified: true })
      expect(result.warnings.filter((w) => /@@dropped/.test(w)), f).toEqual([])
      // inspect: not "entries are missing from this log"; the other sink's losses listed apart.
      const summary = await summarise(join(dir, f), f, statSync(join(dir, f)).size)
      expect(summary.dropped).toEqual([])
      expect(summary.droppedElsewhere.length).toBe(others.length)
    }
    expect(reports).toBeGreaterThan(0)
    expect(rotated).toBeGreaterThan(0)
    // The slow sink's own log: its header names it, and its losses are missing from it.
    const own = parseRecording(slow)
    expect(own.header.sink).toBe(1)
    const result = replay(slow, { reducer })
    expect(result.ok).toBe(true)
    expect(result.verified).toBe(false)
  })
})
