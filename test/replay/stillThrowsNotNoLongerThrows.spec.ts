import { configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { replay } from 'redux-flight-recorder/replay'

/**
 * A step that threw when recorded throws again on replay, but the state differs there: the state
 * before it already differed, at steps the log holds no hash for. The report said "replayed, it no
 * longer throws" (a wrong cause, seen by session 33's helper-125); it now says it throws again and
 * where the difference can have come from.
 */
const slice = (scale: number) =>
  createSlice({
    name: 'meter',
    initialState: { total: 0 },
    reducers: {
      read(s, a: PayloadAction<number>) {
        s.total += a.payload * scale
      },
      broke(s) {
        if (s.total > 0) throw new RangeError('meter overflow')
      },
    },
  })

async function record(): Promise<string> {
  const m = slice(1)
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink] })
  const store = configureStore({ reducer: m.reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
  store.dispatch(m.actions.read(2))
  store.dispatch(m.actions.read(3))
  expect(() => store.dispatch(m.actions.broke())).toThrow(RangeError)
  await recorder.close()
  return sink.text()
}

/** The log without the hashes of the two `meter/read` steps (and without the @@end's full state). */
function withoutReadHashes(log: string): string {
  return log
    .split('\n')
    .filter((line) => line !== '' && !line.includes('"kind":"@@end"'))
    .map((line) => {
      const e = JSON.parse(line)
      if (e.kind === 'meter/read') delete e.hash
      return JSON.stringify(e)
    })
    .join('\n')
}

describe('a step that threw when recorded and throws again, at another state', () => {
  it('is not reported as "no longer throws"', async () => {
    const log = withoutReadHashes(await record())
    // Replayed on a reducer that reads twice as much: unchecked at the reads, it throws again at `broke`.
    const result = replay(log, { reducer: slice(2).reducer })
    expect(result.ok).toBe(false)
    const d = result.divergence!
    expect(d.seq).toBe(3)
    expect(d.reason).toBe('hash-mismatch')
    expect(d.hint ?? '').not.toContain('no longer throws')
    expect(d.hint).toContain('When recorded, the reducer threw at this action (RangeError: meter overflow), and replayed it throws again')
    expect(d.hint).toContain('seq 1–2')
  })

  it('still says "no longer throws" when it does not throw any more', async () => {
    const log = withoutReadHashes(await record())
    const fixed = createSlice({ name: 'meter', initialState: { total: 0 }, reducers: { read: (s, a: PayloadAction<number>) => void (s.total += a.payload), broke: (s) => void (s.total = -1) } })
    const d = replay(log, { reducer: fixed.reducer }).divergence!
    expect(d.seq).toBe(3)
    expect(d.hint).toContain('replayed, it no longer throws')
  })
})
