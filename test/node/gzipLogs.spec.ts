// A log compressed with gzip (`gzip session.jsonl`, a panel report saved compressed) is read by
// every file reader as it is: readRecording, loadRecording, replayFile, expectReplayFile and the CLI.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, FlightRecorderError } from 'redux-flight-recorder'
import { fileSink, loadRecording, readRecording, replayFile } from 'redux-flight-recorder/node'
import { expectReplayFile } from 'redux-flight-recorder/testing'
import { added, makeReducer, makeStore, rootReducer, toggled } from '../helpers/todoApp'
import { CLI, requireDist, runNode, tempDir } from './helpers'

beforeAll(() => requireDist(), 70_000)

/** A real session through fileSink, and the same file gzipped beside it. */
async function recordBoth(): Promise<{ plain: string; gz: string; text: string }> {
  const dir = tempDir()
  const plain = join(dir, 'session.jsonl')
  const recorder = createFlightRecorder({ sinks: [fileSink(plain, { processLifecycle: false })] })
  const store = makeStore(recorder)
  for (let i = 0; i < 40; i++) store.dispatch(added({ id: `a${i}`, title: `todo ${i} ${'é'.repeat(i % 5)}`, done: false }))
  store.dispatch(toggled('a2'))
  await recorder.close()
  const text = readFileSync(plain, 'utf8')
  const gz = join(dir, 'session.jsonl.gz')
  writeFileSync(gz, gzipSync(text))
  return { plain, gz, text }
}

describe('gzip logs', () => {
  it('replays, streams and loads a gzip file as the plain one, and catches the same regression', async () => {
    const { plain, gz, text } = await recordBoth()
    expect(readFileSync(gz).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]))
    const a = await replayFile(plain, { reducer: rootReducer })
    const b = await replayFile(gz, { reducer: rootReducer })
    expect(b).toMatchObject({ ok: true, verified: true, steps: 41, warnings: [] })
    expect(b.finalHash).toBe(a.finalHash)
    const lines: string[] = []
    for await (const line of readRecording(gz)) lines.push(line)
    expect(lines.join('\n') + '\n').toBe(text)
    expect(await loadRecording(gz)).toEqual(await loadRecording(plain))
    const broken = await replayFile(gz, { reducer: makeReducer({ buggyToggle: true }) })
    expect(broken.ok).toBe(false)
    expect(broken.divergence?.action).toEqual(toggled('a2'))
    await expectReplayFile(gz, { reducer: rootReducer })
  })

  it('reads a gzip file cut short (a crash, an interrupted download) as far as it goes, saying so', async () => {
    const { gz } = await recordBoth()
    const bytes = readFileSync(gz)
    writeFileSync(gz, bytes.subarray(0, Math.floor(bytes.length * 0.6)))
    const result = await replayFile(gz, { reducer: rootReducer })
    expect(result.ok).toBe(true)
    expect(result.verified).toBe(false)
    expect(result.steps).toBeGreaterThan(5)
    expect(result.steps).toBeLessThan(41)
    expect(result.warnings.join('\n')).toContain('was cut short')
    const recording = await loadRecording(gz)
    expect(recording.entries.length).toBeGreaterThan(5)
    expect(recording.warnings.join('\n')).toContain('was cut short')
  })

  it('names a log cut inside its header as cut short there, compressed or not', async () => {
    const { text } = await recordBoth()
    const header = text.split('\n')[0]
    const dir = tempDir()
    const cutPlain = join(dir, 'cut.jsonl')
    const cutGz = join(dir, 'cut.jsonl.gz')
    writeFileSync(cutPlain, header.slice(0, header.length - 10))
    writeFileSync(cutGz, gzipSync(header.slice(0, header.length - 10)))
    for (const file of [cutPlain, cutGz]) {
      await expect(replayFile(file, { reducer: rootReducer })).rejects.toThrow(/cut short inside its @@session header \(an interrupted write or download\)/)
      await expect(loadRecording(file)).rejects.toThrow(/cut short inside its @@session header/)
    }
    // A first line that is not a header keeps the plain wording.
    writeFileSync(cutPlain, '{"not":"a header"')
    await expect(loadRecording(cutPlain)).rejects.toThrow(/it is not JSON \([^)]*\)\.$/)
  })

  it('still names a missing file, and reads a file of one byte or none as not a log', async () => {
    await expect(replayFile(join(tempDir(), 'nope.jsonl.gz'), { reducer: rootReducer })).rejects.toThrow(/No log file at/)
    await expect(replayFile(join(tempDir(), 'nope.jsonl.gz'), { reducer: rootReducer })).rejects.toThrow(FlightRecorderError)
    const empty = join(tempDir(), 'empty.jsonl')
    writeFileSync(empty, '')
    await expect(replayFile(empty, { reducer: rootReducer })).rejects.toThrow(/empty/)
    writeFileSync(empty, Buffer.from([0x1f]))
    await expect(replayFile(empty, { reducer: rootReducer })).rejects.toThrow(FlightRecorderError)
  })

  it('refuses a file too large to load whole (a gzip bomb) without inflating it, loadRecording and the CLI alike', async () => {
    // 40 gzip members of 64 MiB of spaces each: 2.5 GiB of text in a file of a few MB. Read whole,
    // it took 2.5 GB of memory before failing on the string's length.
    const dir = tempDir()
    const bomb = join(dir, 'bomb.jsonl.gz')
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 })
    writeFileSync(bomb, Buffer.concat(new Array<Buffer>(40).fill(member)))
    const script = join(dir, 'load.mjs')
    writeFileSync(
      script,
      `const { loadRecording } = await import(${JSON.stringify(join(process.cwd(), 'dist/node.js'))})
      try { await loadRecording(process.argv[2]); console.log('loaded') } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message, name: e.name })) }
      console.log(process.resourceUsage().maxRSS)`,
    )
    const r = runNode(script, [bomb])
    expect(r.stderr).toBe('')
    const [result, rss] = r.stdout.trim().split('\n')
    const error = JSON.parse(result) as { code: string; message: string; name: string }
    expect(error.name).toBe('FlightRecorderError')
    expect(error.code).toBe('too-large')
    expect(error.message).toBe(`[redux-flight-recorder] Cannot load ${bomb}: it holds more than 512 MiB once decompressed, too much to read whole. Read it line by line with replayFile(path, …) or readRecording(path).`)
    // Inflated to the bound (512 MiB) at most, not to the 2.5 GiB it holds (maxRSS is in KB).
    expect(Number(rss)).toBeLessThan(1.5 * 1024 * 1024)
    const c = runNode(CLI, ['convert', bomb, '--from', 'devtools', '-o', join(dir, 'out.jsonl')])
    expect(c.code).not.toBe(0)
    expect(c.stderr).toBe(`flight-recorder: Cannot read ${bomb}: it holds more than 512 MiB once decompressed, too much to read whole\n`)
    expect(c.stderr).not.toMatch(/ERR_STRING_TOO_LONG|0x1fffffe8|\n\s+at /)
  }, 60_000)

  it('the CLI inspects and verifies a gzip file as the plain one', async () => {
    const { plain, gz } = await recordBoth()
    const store = join(tempDir(), 'store.mjs')
    writeFileSync(store, `export { rootReducer as reducer } from ${JSON.stringify(join(process.cwd(), 'test/helpers/todoApp.ts'))}\n`)
    const ip = runNode(CLI, ['inspect', plain])
    const ig = runNode(CLI, ['inspect', gz])
    expect(ig.code).toBe(0)
    // The same summary but for the first line (the file's name and size).
    expect(ig.stdout.split('\n').slice(1)).toEqual(ip.stdout.split('\n').slice(1))
    expect(ig.stdout).toContain('41 actions')
    const v = runNode(CLI, ['verify', gz, '--store', store, '--no-progress'], { env: { NODE_OPTIONS: '--import tsx' } })
    expect(v.stderr).toBe('')
    expect(v.code).toBe(0)
    expect(v.stdout).toMatch(/^ok .*session\.jsonl\.gz: 41 actions replayed .*41 steps' hashes checked/)
  })
})
