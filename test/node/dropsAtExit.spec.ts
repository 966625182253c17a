import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { FIXTURES, requireDist, runNode, tempDir } from './helpers'

const CHILD = join(FIXTURES, 'dropsAtExitChild.mjs')

/** What a log is missing (entries before its header's `from_seq`, and gaps in its seqs) and what its `@@dropped` entries report. */
function accounting(file: string) {
  const lines = readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; seq?: number; from_seq?: number; count?: number })
  const [header, ...entries] = lines
  expect(header.kind).toBe('@@session')
  let missing = header.from_seq! - 1
  let prev = header.from_seq! - 1
  for (const e of entries) {
    missing += e.seq! - prev - 1
    prev = e.seq!
  }
  const reported = entries.filter((e) => e.kind === '@@dropped').reduce((n, e) => n + e.count!, 0)
  return { missing, reported, last: prev, lastKind: entries[entries.length - 1].kind }
}

// docs/guarantees.md: a log's `@@dropped` entries add up to the entries missing from it. A sink
// queue that overflowed counts further losses until a write ends, and reports them then; at exit
// no write ends again, and the synchronous flush wrote the log without them (0 @@dropped at all
// when the header itself had been dropped: the log just started at a later from_seq).
describe('a fileSink queue that overflowed, then the process ends without close()', () => {
  beforeAll(requireDist)

  const endings: [string, { code?: number; signal?: string }][] = [
    ['exit', { code: 3 }],
    ['throw', { code: 1 }],
    ['reject', { code: 1 }],
    ['sigterm', { signal: 'SIGTERM' }],
    ['end', { code: 0 }],
    ['close', { code: 0 }],
  ]
  for (const [mode, status] of endings) {
    for (const pre of ['0', '1']) {
      it(`${mode}, ${pre === '1' ? 'after a first write' : 'before any write'}: the @@dropped counts add up to the entries missing`, () => {
        const file = join(tempDir(), 'log.jsonl')
        const exit = runNode(CHILD, [file, mode, '5000'], { env: { PRE: pre } })
        if (status.signal) expect(exit.signal).toBe(status.signal)
        else expect(exit.code).toBe(status.code)
        const { missing, reported, last, lastKind } = accounting(file)
        // The queue overflowed (4096 bytes for 5000 actions), and the log goes on to the end.
        expect(missing).toBeGreaterThan(4000)
        expect(last).toBeGreaterThan(5000)
        expect(reported).toBe(missing)
        // The exit, signal or exception entry stays the last line, after the @@dropped (readers
        // tell a process that exited from one that was killed by it).
        expect(lastKind).toBe(mode === 'close' ? '@@end' : '@@lifecycle')
      })
    }
  }

  for (const mode of ['exit', 'end']) {
    it(`${mode}, with processLifecycle: false (fileSink's own exit writer): the counts add up too`, () => {
      const file = join(tempDir(), 'log.jsonl')
      const exit = runNode(CHILD, [file, mode, '5000'], { env: { LIFECYCLE: '0' } })
      expect(exit.code).toBe(mode === 'exit' ? 3 : 0)
      const { missing, reported } = accounting(file)
      expect(missing).toBeGreaterThan(4000)
      expect(reported).toBe(missing)
    })
  }
})
