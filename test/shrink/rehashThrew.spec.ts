import { configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { encodeRecording, isActionEntry, parseRecording, rehashRecording, replay, type ReplayStep } from 'redux-flight-recorder/replay'

/**
 * A log updated for a fixed reducer (`rehash`, the tests' `-u`) must not keep the crash it recorded
 * (acceptance, session 28: the entry kept its `threw`, so a reducer that crashed there again replayed
 * "as recorded" and every check passed). Rehashed, a step says what the reducer does now.
 */

const notes = (mode: 'crashes' | 'fixed' | 'crashes-otherwise') =>
  createSlice({
    name: 'notes',
    initialState: { list: [] as string[], selected: null as number | null, title: '' },
    reducers: {
      added(s, a: PayloadAction<string>) {
        s.list.push(a.payload)
      },
      selected(s, a: PayloadAction<number>) {
        s.selected = a.payload
      },
      cleared(s) {
        s.list = []
      },
      renamedSelected(s, a: PayloadAction<string>) {
        if (mode === 'crashes' && s.selected !== null && s.list[s.selected] === undefined) throw new TypeError('no note at ' + s.selected)
        if (mode === 'crashes-otherwise' && s.selected !== null && s.list[s.selected] === undefined) throw new RangeError('selected note is gone')
        if (s.selected !== null && s.list[s.selected] !== undefined) s.list[s.selected] = a.payload
        s.title = a.payload
      },
    },
  })

async function recordCrash(): Promise<string> {
  const slice = notes('crashes')
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink] })
  const store = configureStore({ reducer: slice.reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
  store.dispatch(slice.actions.added('milk'))
  store.dispatch(slice.actions.selected(0))
  store.dispatch(slice.actions.cleared())
  expect(() => store.dispatch(slice.actions.renamedSelected('eggs'))).toThrow('no note at 0')
  store.dispatch(slice.actions.added('bread'))
  await recorder.close()
  return sink.text()
}

const threwOf = (log: string) =>
  parseRecording(log)
    .entries.filter(isActionEntry)
    .filter((e) => e.threw !== undefined)
    .map((e) => ({ kind: e.kind, threw: e.threw }))

describe('rehash of a log with a recorded crash', () => {
  it('drops `threw` where the fixed reducer no longer throws, so the crash coming back diverges', async () => {
    const log = await recordCrash()
    expect(threwOf(log)).toEqual([{ kind: 'notes/renamedSelected', threw: { name: 'TypeError', message: 'no note at 0' } }])

    const updated = rehashRecording(log, { reducer: notes('fixed').reducer })
    const text = encodeRecording(updated)
    expect(threwOf(text)).toEqual([])
    expect(updated.rehash.first?.kind).toBe('notes/renamedSelected')
    expect(replay(text, { reducer: notes('fixed').reducer }).ok).toBe(true)

    // The crash brought back: the updated log no longer expects it.
    const again = replay(text, { reducer: notes('crashes').reducer })
    expect(again.ok).toBe(false)
    expect(again.divergence).toMatchObject({ reason: 'reducer-threw', kind: 'notes/renamedSelected' })
  })

  it('keeps `threw`, with what the reducer throws now, where it still throws', async () => {
    const log = await recordCrash()
    const updated = encodeRecording(rehashRecording(log, { reducer: notes('crashes-otherwise').reducer }))
    expect(threwOf(updated)).toEqual([{ kind: 'notes/renamedSelected', threw: { name: 'RangeError', message: 'selected note is gone' } }])
    const result = replay(updated, { reducer: notes('crashes-otherwise').reducer })
    expect(result.ok).toBe(true)
  })

  it('gives replay steps the error a recorded crash threw again', async () => {
    const log = await recordCrash()
    const steps: ReplayStep[] = []
    expect(replay(log, { reducer: notes('crashes').reducer, onStep: (s) => steps.push(s) }).ok).toBe(true)
    expect(steps.filter((s) => s.threw).map((s) => [s.kind, s.threw])).toEqual([['notes/renamedSelected', { name: 'TypeError', message: 'no note at 0' }]])
    expect(steps.filter((s) => 'threw' in s)).toHaveLength(1)
  })
})

describe('a recorded crash and another one now (review, session 28)', () => {
  it('replay names the new error; rehash counts the entry as changed and writes the new error', async () => {
    const log = await recordCrash()
    const otherwise = notes('crashes-otherwise').reducer
    const result = replay(log, { reducer: otherwise })
    expect(result.ok).toBe(true)
    expect(result.warnings.join('\n')).toContain("as it did when recorded (TypeError: no note at 0; replayed, it threw RangeError: selected note is gone)")
    const updated = rehashRecording(log, { reducer: otherwise })
    expect(updated.rehash.changed).toBe(1)
    expect(updated.rehash.first?.kind).toBe('notes/renamedSelected')
  })
})
