/**
 * Guarantee "what SIGKILL can lose": a process killed with SIGKILL (no handler runs) loses exactly
 * what it recorded after the last completed `flush()` (the interval flush or an explicit one);
 * everything flushed before is in the file, which loads and replays. Child processes use the built
 * package (dist/; `npm test` builds it first).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isActionEntry, replay } from 'redux-flight-recorder/replay'
import { loadRecording } from 'redux-flight-recorder/node'
import { requireDist, startChild, tempDir } from '../node/helpers'

const CHILD = fileURLToPath(new URL('./fixtures/killChild.mjs', import.meta.url))
const reducer = (state: any = { n: 0, items: [] }, action: any) =>
  action.type === 'add' ? { n: state.n + 1, items: [...state.items, action.payload] } : state

describe('SIGKILL', () => {
  it.each([
    ['with fileSink’s process lifecycle helper', '1'],
    ['without it', '0'],
  ])('loses exactly the actions recorded after the last completed flush (%s)', async (_name, lifecycle) => {
    await requireDist()
    const log = join(tempDir('fr-kill-'), 'killed.jsonl')
    const child = startChild(CHILD, { LOG: log, FLUSHED: '50', UNFLUSHED: '30', LIFECYCLE: lifecycle })
    await child.waitFor(/unflushed 30\n/)
    child.proc.kill('SIGKILL')
    const exit = await child.exited
    expect(exit.signal).toBe('SIGKILL')
    expect(existsSync(log)).toBe(true)
    const rec = await loadRecording(log)
    const actions = rec.entries.filter(isActionEntry)
    // Every flushed action, in order; none of the unflushed ones; no @@end (close() never ran).
    expect(actions.map((e) => (e.action as unknown as { payload: { phase: string; i: number } }).payload)).toEqual(
      Array.from({ length: 50 }, (_, k) => ({ i: k + 1, phase: 'flushed' })),
    )
    expect(rec.end).toBeUndefined()
    expect(rec.warnings).toEqual([])
    const result = replay(rec, { reducer })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 50 })
  }, 60_000)
})
