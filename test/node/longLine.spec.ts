// A line longer than `maxLineBytes` (a 2 GiB line, or a small gzip file expanding to one) stops
// every file reader as soon as it passes the limit: the rest of the line is never read into
// memory. The log comes through a named pipe, so the test counts how much of it the reader took.
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { RecordingFormatError } from 'redux-flight-recorder'
import { readRecording, replayFile } from 'redux-flight-recorder/node'
import { CLI, ROOT, TODO_STORE, requireDist, tempDir } from './helpers'

beforeAll(() => requireDist(), 70_000)

const MiB = 1024 * 1024
const header = JSON.stringify({ kind: '@@session', v: 1, session: 's1', ts: '', hash_alg: 'fr64', meta: {}, from_seq: 1, state: { todos: [] } })
const reducer = (state: unknown = { todos: [] }) => state

/**
 * A named pipe at `path` that gives the header and then one line of `total` bytes (and its
 * newline) as fast as its reader takes them. Resolves to how many bytes of the long line the
 * reader took before it closed the pipe (or all of them).
 */
function longLinePipe(path: string, total: number): Promise<number> {
  expect(spawnSync('mkfifo', [path]).status).toBe(0)
  const out = createWriteStream(path)
  out.on('error', () => {})
  return (async () => {
    let written = 0
    const chunk = Buffer.alloc(64 * 1024, 'a')
    try {
      out.write(header + '\n{"seq":1,"ts":"","t":0,"turn":null,"kind":"x","action":{"type":"x","p":"')
      while (written < total) {
        const more = out.write(chunk)
        written += chunk.length
        if (!more) await once(out, 'drain')
      }
      out.end('"}}\n')
      await once(out, 'finish')
    } catch {
      // The reader closed the pipe (EPIPE).
    }
    out.destroy()
    return written
  })()
}

describe('a line over maxLineBytes', () => {
  it('readRecording and replayFile throw line-too-long once the line passes the limit, without reading the rest of it', async () => {
    const dir = tempDir()
    const limit = 256 * 1024
    const total = 64 * MiB

    const lines: string[] = []
    const fed = longLinePipe(join(dir, 'read.jsonl'), total)
    const error = await (async () => {
      for await (const line of readRecording(join(dir, 'read.jsonl'), { maxLineBytes: limit })) lines.push(line)
    })().catch((e: unknown) => e)
    // The lines before it come first.
    expect(lines).toEqual([header])
    expect(error).toBeInstanceOf(RecordingFormatError)
    expect(error).toMatchObject({ code: 'line-too-long', line: 2 })
    // The limit, and what the pipe and the file stream hold on the way: not the 64 MiB line.
    expect(await fed).toBeLessThan(limit + 2 * MiB)

    const fed2 = longLinePipe(join(dir, 'replay.jsonl'), total)
    await expect(replayFile(join(dir, 'replay.jsonl'), { reducer, parse: { maxLineBytes: limit } })).rejects.toMatchObject({ code: 'line-too-long', line: 2 })
    expect(await fed2).toBeLessThan(limit + 2 * MiB)
  })

  it('the CLI (inspect, verify) says so in one line and exits 2 once the line passes 64 MiB, without reading the rest of it', async () => {
    const dir = tempDir()
    for (const command of [['inspect'], ['verify', '--store', TODO_STORE]]) {
      const path = join(dir, `${command[0]}.jsonl`)
      const fed = longLinePipe(path, 256 * MiB)
      const child = spawn(process.execPath, [CLI, ...command, path], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
      const [code] = (await once(child, 'close')) as [number]
      expect(stderr).toMatch(/^flight-recorder: .* is not a usable flight-recorder log: Line 2 of the recording is not valid: it is longer than the limit of 67108864 characters \(`maxLineBytes`\); the rest of it was not read\.\n$/)
      expect(code).toBe(2)
      expect(await fed).toBeLessThan(64 * MiB + 2 * MiB)
    }
  })
})
