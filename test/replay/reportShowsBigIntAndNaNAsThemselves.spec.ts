import { createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { recordText as record } from '../helpers/recordText'

/** A regression that puts a value JSON cannot write as it is (BigInt, NaN) where a number was. */

const cart = (total: (n: number) => unknown) =>
  createSlice({
    name: 'cart',
    initialState: { total: 0 as unknown, lines: 0 },
    reducers: {
      totalled(s, a: PayloadAction<number>) {
        s.total = total(a.payload)
      },
      lineAdded(s) {
        s.lines += 1
      },
    },
  })

const session = (dispatch: (a: unknown) => void) => {
  dispatch({ type: 'cart/lineAdded' })
  dispatch({ type: 'cart/totalled', payload: 7 })
  dispatch({ type: 'cart/lineAdded' })
}

describe('divergence report: values JSON does not write as they are', () => {
  it('shows a BigInt as a BigInt, not as the number it prints as', async () => {
    const log = await record(cart((n) => n).reducer, session)
    const result = replay(log, { reducer: cart((n) => BigInt(n)).reducer })
    const d = result.divergence!
    expect(d.seq).toBe(2)
    expect(d.step).toEqual([{ path: 'total', recorded: 0, replayed: 7n }])
    const text = formatDivergence(result)
    // "total: 0 → 7" would read as the recorded value: the payload was 7.
    expect(text).not.toMatch(/total: 0 → 7$/m)
    expect(text).toContain('total: 0 → 7n (BigInt')
  })

  it('keeps NaN in the data without marking it shortened', async () => {
    const log = await record(cart((n) => n).reducer, session)
    const result = replay(log, { reducer: cart(() => NaN).reducer })
    const d = result.divergence!
    expect(d.seq).toBe(2)
    expect(d.step).toHaveLength(1)
    expect(d.step![0].path).toBe('total')
    expect(d.step![0].replayed).toBeNaN()
    expect(d.step![0]).not.toHaveProperty('shortened')
    expect(formatDivergence(result)).toContain('total: 0 → NaN (null in JSON)')
  })
})
