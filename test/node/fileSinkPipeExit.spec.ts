// fileSink to a pipe (no position: every write appends) when the process exits while a large batch
// is part way: the exit flush takes over and must append only what the sink had not yet handed to
// the system, or those bytes appear twice, and nothing may still be in flight, or lines tear.
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseRecording } from 'redux-flight-recorder/replay'
import { FIXTURES, requireDist, ROOT, tempDir } from './helpers'

beforeAll(() => requireDist(), 70_000)

describe('fileSink to a pipe, exit during a write', () => {
  it('writes every line once: the bytes already appended are not appended again', () => {
    const n = 3000
    // Through `| cat`: the child's standard output is then a pipe (a child process's own 'pipe'
    // stdio is a socket, which /dev/stdout cannot be opened on).
    const child = spawnSync('sh', ['-c', '"$0" "$1" | cat', process.execPath, join(FIXTURES, 'pipeExitChild.mjs')], {
      cwd: ROOT,
      env: { ...process.env, N: String(n), NODE_OPTIONS: '' },
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    })
    expect(child.stderr).toContain(`dispatched ${n}`)
    expect(child.status).toBe(0)
    const lines = child.stdout.split('\n')
    expect(lines.pop()).toBe('')
    // The exit came part way through: the first system call wrote part of the batch.
    const first = Number(/first write (\d+)/.exec(child.stderr)?.[1])
    expect(first).toBeGreaterThan(0)
    expect(first).toBeLessThan(Buffer.byteLength(child.stdout) - 1_000_000)
    const seqs = lines.slice(1).map((line) => JSON.parse(line).seq as number)
    expect(new Set(seqs).size).toBe(seqs.length)
    expect(seqs).toEqual(Array.from({ length: n + 1 }, (_, i) => i + 1))
    const log = parseRecording(child.stdout)
    expect(log.entries.filter((e) => 'action' in e)).toHaveLength(n + 1)
    expect(log.warnings).toEqual([])
  })

  it('writes every line whole when the process exits while the reader holds the pipe full', () => {
    const n = 3000
    const mark = join(tempDir(), 'exiting')
    // The reader reads nothing until the child has decided to exit (or 1.5 s have passed): an
    // asynchronous append in flight then was finished among the exit flush's writes.
    const child = spawnSync('sh', ['-c', '"$0" "$1" | "$0" "$2"', process.execPath, join(FIXTURES, 'slowExitChild.mjs'), join(FIXTURES, 'heldBackReader.mjs')], {
      cwd: ROOT,
      env: { ...process.env, N: String(n), MARK: mark, NODE_OPTIONS: '' },
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    })
    expect(child.stderr).toBe('')
    expect(child.status).toBe(0)
    const lines = child.stdout.split('\n')
    expect(lines.pop()).toBe('')
    const seqs = lines.slice(1).map((line, i) => {
      try {
        return JSON.parse(line).seq as number
      } catch {
        return `line ${i + 2} torn: ${line.slice(0, 40)}…${line.slice(-40)}`
      }
    })
    expect(seqs).toEqual(Array.from({ length: n + 1 }, (_, i) => i + 1))
    expect(parseRecording(child.stdout).warnings).toEqual([])
  })

  it('writes the bytes of an append whose system call failed when the process exits right after (none counted as sent)', () => {
    const n = 3000
    const out = join(tempDir(), 'out.log')
    writeFileSync(out, '')
    const child = spawnSync('sh', ['-c', '"$0" "$1" >> "$2"', process.execPath, join(FIXTURES, 'appendFailExitChild.mjs'), out], {
      cwd: ROOT,
      env: { ...process.env, N: String(n), OUT: '/dev/fd/1', NODE_OPTIONS: '' },
      encoding: 'utf8',
    })
    expect(child.status).toBe(0)
    const lines = readFileSync(out, 'utf8').split('\n')
    expect(lines.pop()).toBe('')
    const seqs = lines.slice(1).map((line) => JSON.parse(line).seq as number)
    expect(seqs).toEqual(Array.from({ length: n + 1 }, (_, i) => i + 1))
  })
})
