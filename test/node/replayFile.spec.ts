import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, FlightRecorderError } from 'redux-flight-recorder'
import { fileSink, loadRecording, readRecording, replayFile } from 'redux-flight-recorder/node'
import { added, makeReducer, makeStore, rootReducer, toggled } from '../helpers/todoApp'
import { requireDist, tempDir } from './helpers'

beforeAll(() => requireDist(), 70_000)

async function recordFile(): Promise<string> {
  const path = join(tempDir(), 'session.jsonl')
  const recorder = createFlightRecorder({ sinks: [fileSink(path, { processLifecycle: false })] })
  const store = makeStore(recorder)
  for (let i = 0; i < 6; i++) store.dispatch(added({ id: `a${i}`, title: `todo ${i}`, done: false }))
  store.dispatch(toggled('a2'))
  await recorder.close()
  return path
}

describe('replayFile', () => {
  it('replays a whole file with every step checked, and catches a regressed reducer at the step that changed', async () => {
    const path = await recordFile()
    const result = await replayFile(path, { reducer: rootReducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 7, warnings: [] })
    const broken = await replayFile(path, { reducer: makeReducer({ buggyToggle: true }) })
    expect(broken.ok).toBe(false)
    expect(broken.divergence?.action).toEqual(toggled('a2'))
  })

  it('says a file whose last line was cut short (a crash mid-write) is not verified, as a gap is not', async () => {
    const path = await recordFile()
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean)
    const cut = lines.slice(0, -2).join('\n') + '\n' + lines.at(-2)!.slice(0, 30)
    writeFileSync(path, cut)
    const result = await replayFile(path, { reducer: rootReducer })
    expect(result.ok).toBe(true)
    expect(result.verified).toBe(false)
    expect(result.warnings.join('\n')).toContain('was cut short')
    // The same for the whole-file reader.
    const recording = await loadRecording(path)
    expect(recording.warnings.join('\n')).toContain('was cut short')

    const gapped = lines.filter((_, i) => i !== 3).join('\n') + '\n'
    writeFileSync(path, gapped)
    const gap = await replayFile(path, { reducer: rootReducer })
    expect(gap).toMatchObject({ ok: true, verified: false })
  })

  it('streams the lines as text, the cut one included, and names a missing file', async () => {
    const path = await recordFile()
    const text = readFileSync(path, 'utf8')
    writeFileSync(path, text.slice(0, -20))
    const lines: string[] = []
    for await (const line of readRecording(path)) lines.push(line)
    expect(lines.join('\n')).toBe(text.slice(0, -20))
    await expect(replayFile(join(tempDir(), 'nope.jsonl'), { reducer: rootReducer })).rejects.toThrow(FlightRecorderError)
    await expect(replayFile(join(tempDir(), 'nope.jsonl'), { reducer: rootReducer })).rejects.toThrow(/No log file at/)
  })
})
