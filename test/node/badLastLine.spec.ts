// A last line that a newline ends was written whole: when it is not JSON (a byte order mark in
// the middle, a trailing NUL, invalid UTF-8), every file reader says so, with JSON.parse's reason,
// instead of saying the writer stopped mid-line. A last line without its newline is still "cut short".
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadRecording, replayFile } from 'redux-flight-recorder/node'
import { replayStream } from 'redux-flight-recorder/replay'
import { CLI, TODO_STORE, requireDist, runNode, tempDir } from './helpers'

beforeAll(() => requireDist(), 70_000)

const header = JSON.stringify({ kind: '@@session', v: 1, session: 's1', ts: '', hash_alg: 'none', meta: {}, from_seq: 1, state: { todos: [] } })
const entry = (seq: number) => `{"seq":${seq},"ts":"","t":0,"turn":null,"kind":"x","action":{"type":"x"}}`
const reducer = (state: unknown = { todos: [] }) => state

const cases: Record<string, Buffer> = {
  bomMid: Buffer.from('\ufeff' + entry(2)),
  nul: Buffer.from(entry(2) + '\0'),
  invalidUtf8: Buffer.concat([Buffer.from(entry(2).slice(0, -2) + ',"x":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}')]),
}

const notJson = /^Line 3 is not valid JSON \(.+\); it was left out\.$/
const cut = 'Line 3 was cut short (the writer stopped mid-line); it was left out.'

describe('a last line that is not JSON', () => {
  it('is not JSON when a newline ends it, cut short when none does: loadRecording, replayFile, replayStream of the bytes, inspect and verify', async () => {
    const dir = tempDir()
    for (const [name, last] of Object.entries(cases)) {
      for (const ended of [true, false]) {
        const path = join(dir, `${name}${ended ? '' : '-cut'}.jsonl`)
        const bytes = Buffer.concat([Buffer.from(`${header}\n${entry(1)}\n`), last, Buffer.from(ended ? '\n' : '')])
        writeFileSync(path, bytes)
        const check = (warnings: string[], who: string) => {
          expect(warnings, `${who} ${path}`).toHaveLength(1)
          if (ended) expect(warnings[0], `${who} ${path}`).toMatch(notJson)
          else expect(warnings[0], `${who} ${path}`).toBe(cut)
        }
        check((await loadRecording(path)).warnings, 'loadRecording')
        const replayed = await replayFile(path, { reducer })
        check(replayed.warnings, 'replayFile')
        expect(replayed).toMatchObject({ ok: true, steps: 1, verified: false })
        // Byte chunks split anywhere, even one byte at a time.
        const chunks = [...bytes].map((b) => Uint8Array.of(b))
        check((await replayStream(chunks, { reducer })).warnings, 'replayStream')

        const inspect = runNode(CLI, ['inspect', path])
        expect(inspect.code).toBe(0)
        expect(inspect.stdout).toContain(ended ? 'Line 3 is not valid JSON (' : cut)
        const verify = runNode(CLI, ['verify', '--store', TODO_STORE, path])
        expect(verify.stdout + verify.stderr).toContain(ended ? 'Line 3 is not valid JSON (' : cut)
        // Not fully verified: the entry that line held is lost.
        expect(verify.stdout + verify.stderr).toContain('NOT fully verified')
        // The log's last whole line is the one before it (entry 1), as for a line cut short.
        expect(verify.stdout + verify.stderr).toContain('after seq 1 is not in it')
      }
    }
  })
})
