import { createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { recordText } from '../helpers/recordText'

/**
 * A full state of the log (a checkpoint, `@@end`, a restart after `pause()`) that was edited by
 * hand or damaged, its `hash` left as recorded: replay that goes on from it, or compares the
 * replayed state with it, says the log is wrong there, instead of blaming a later step or listing
 * the edit as a difference of the replay (acceptance, session 26: a line missing before an edited
 * checkpoint blamed the step after it, "either that action erased the difference, or the hash
 * recorded at seq 13 is wrong").
 */

const items = (bug = false) =>
  createSlice({
    name: 'items',
    initialState: { byId: { i0: { name: 'R0', qty: 0 }, i5: { name: 'R5', qty: 0 }, i7: { name: 'R7', qty: 0 } } as Record<string, { name: string; qty: number }> },
    reducers: {
      add(s, a: PayloadAction<string>) {
        // The regression: i7's third add (seq 10) and later count twice.
        s.byId[a.payload].qty += bug && a.payload === 'i7' && s.byId.i7.qty >= 2 ? 2 : 1
      },
    },
  })

const ids = ['i0', 'i5', 'i7']

async function session(checkpointEvery = 6): Promise<string[]> {
  const slice = items()
  const text = await recordText(slice.reducer, (dispatch) => {
    for (let i = 0; i < 14; i++) dispatch(slice.actions.add(ids[i % 3]))
  }, { checkpointEvery })
  return text.trimEnd().split('\n')
}

const at = (lines: string[], kind: string, seq?: number) => lines.findIndex((l) => JSON.parse(l).kind === kind && (seq === undefined || JSON.parse(l).seq === seq))

/** The line with its state's entity `id` renamed, the hash left as it was. */
function editName(line: string, id: string, name: string): string {
  const e = JSON.parse(line)
  e.state.byId[id].name = name
  return JSON.stringify(e)
}

describe('full states edited in the log', () => {
  it('the session as recorded has checkpoints at seq 7 and 14 and replays verified', async () => {
    const lines = await session()
    expect(at(lines, '@@checkpoint', 7)).toBeGreaterThan(0)
    expect(at(lines, '@@checkpoint', 14)).toBeGreaterThan(0)
    const result = replay(lines.join('\n'), { reducer: items().reducer })
    expect([result.ok, result.verified]).toEqual([true, true])
  })

  it('replay that restarts after a gap from an edited checkpoint blames the checkpoint, not a later step', async () => {
    const lines = await session()
    const cp = at(lines, '@@checkpoint', 14)
    lines[cp] = editName(lines[cp], 'i0', 'HAND-EDITED')
    lines.splice(cp - 1, 1) // seq 13's action is missing: replay goes on from the checkpoint
    const result = replay(lines.join('\n'), { reducer: items().reducer })
    const d = result.divergence!
    expect([d.seq, d.kind, d.reason]).toEqual([14, '@@checkpoint', 'state-mismatch'])
    expect(d.diffNote).toMatch(/state of the @@checkpoint at seq 14 does not hash to its own `hash`: the log was edited or damaged there/)
    expect(formatDivergence(d)).toContain('edited or damaged')
    // Unedited, the same gap replays on (not verified: the line is missing).
    const whole = await session()
    whole.splice(at(whole, '@@checkpoint', 14) - 1, 1)
    const clean = replay(whole.join('\n'), { reducer: items().reducer })
    expect([clean.ok, clean.verified, clean.divergence]).toEqual([true, false, undefined])
  })

  it('a log that starts at an edited checkpoint (a trimmed buffer) is reported there', async () => {
    const lines = await session()
    const cp = at(lines, '@@checkpoint', 7)
    lines[cp] = editName(lines[cp], 'i5', 'HAND-EDITED')
    // The header, then the checkpoint before any action: replay starts from it.
    const log = [lines[0], ...lines.slice(cp)].join('\n')
    const d = replay(log, { reducer: items().reducer }).divergence!
    expect([d.seq, d.kind]).toEqual([7, '@@checkpoint'])
    expect(d.diffNote).toMatch(/does not hash to its own `hash`/)
  })

  it('a regression compared with an edited checkpoint says that the differences may come from the edit', async () => {
    const lines = await session()
    const first = replay(lines.join('\n'), { reducer: items(true).reducer }).divergence!
    expect([first.seq, first.diffAtSeq]).toEqual([10, 14])
    expect(first.diffNote).not.toMatch(/own `hash`/)
    const cp = at(lines, '@@checkpoint', 14)
    lines[cp] = editName(lines[cp], 'i5', 'HAND-EDITED')
    const d = replay(lines.join('\n'), { reducer: items(true).reducer }).divergence!
    expect([d.seq, d.diffAtSeq]).toEqual([10, 14])
    expect(d.diffNote).toMatch(/^The state of the @@checkpoint at seq 14 does not hash to its own `hash`: the log was edited or damaged there, and differences with it may come from that\./)
    expect(d.diff!.map((x) => x.path).sort()).toEqual(['byId.i5.name', 'byId.i7.qty'])
  })

  it('an edited @@end compared after a divergence is named too, and an unedited one is not', async () => {
    const lines = await session(0)
    expect(lines.some((l) => l.includes('"@@checkpoint"'))).toBe(false)
    const clean = replay(lines.join('\n'), { reducer: items(true).reducer }).divergence!
    expect([clean.seq, clean.diffAtSeq, clean.diffAt]).toEqual([9, 15, '@@end'])
    expect(clean.diffNote).not.toMatch(/own `hash`/)
    const end = at(lines, '@@end')
    lines[end] = editName(lines[end], 'i0', 'HAND-EDITED')
    const d = replay(lines.join('\n'), { reducer: items(true).reducer }).divergence!
    expect(d.diffNote).toMatch(/state of the @@end at seq 15 does not hash to its own `hash`/)
  })
})
