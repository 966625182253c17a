import { combineReducers, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { formatDivergence, replay, type ReplayAdapter } from 'redux-flight-recorder/replay'
import { recordText } from '../helpers/recordText'

/**
 * A replay adapter explains divergences at its library's actions (`explain`): what the built-in
 * RTK Query and redux-persist adapters say through the same hook, an app's adapter can say too.
 */

// The app's reducer reads a value its own middleware put in the action's `meta` (left out of the
// log by its action transform), so replay cannot reach the recorded state there.
const clock = (stamped: boolean) =>
  createSlice({
    name: 'clock',
    initialState: { at: 0, ticks: 0 },
    reducers: {
      tick: {
        reducer(s, a: PayloadAction<number, string, { at?: number } | undefined>) {
          s.ticks += a.payload
          if (stamped) s.at = a.meta?.at ?? -1
        },
        prepare: (n: number) => ({ payload: n, meta: { at: 42 } }),
      },
    },
  })

const recorded = clock(true)
const reducer = combineReducers({ clock: recorded.reducer })

/** An app's adapter: names the `meta.at` its middleware sets, where the step reads it. */
const stampAdapter = (calls: string[] = []): ReplayAdapter => ({
  name: 'stamps',
  revive: () => undefined,
  explain({ entry, action, rerun }) {
    calls.push(entry.kind)
    if (rerun === undefined) return undefined
    const other = { ...(action as object), meta: { at: 7 } }
    return rerun(other) === 'different' ? 'The reducer reads `meta.at`, which the stamping middleware sets and the log leaves out.' : undefined
  },
})

async function record(): Promise<string> {
  // The log's actions carry no `meta.at` (as an action transform that drops it would write them).
  const text = await recordText(reducer, (dispatch) => {
    dispatch(recorded.actions.tick(1))
    dispatch(recorded.actions.tick(2))
  })
  return text.replace(/"meta":\{"at":42\}/g, '"meta":{}')
}

describe('ReplayAdapter.explain', () => {
  it("an app's adapter explains a divergence at an action it does not handle, by running the step again", async () => {
    const text = await record()
    expect(text).not.toContain('"at":42}')
    const plain = replay(text, { reducer })
    expect(plain.divergence?.seq).toBe(1)
    expect(plain.divergence?.hint).toBeUndefined()
    const calls: string[] = []
    const result = replay(text, { reducer, adapters: [stampAdapter(calls)] })
    expect(calls).toEqual(['clock/tick'])
    expect(result.divergence?.hint).toBe('The reducer reads `meta.at`, which the stamping middleware sets and the log leaves out.')
    expect(formatDivergence(result)).toContain('stamping middleware')
  })

  it('says nothing where running the step again with its value reaches the same state', async () => {
    // A reducer that does not read `meta.at`, regressed elsewhere (ticks doubled).
    const regressed = createSlice({
      name: 'clock',
      initialState: { at: 0, ticks: 0 },
      reducers: { tick: { reducer: (s, a: PayloadAction<number>) => void (s.ticks += a.payload * 2), prepare: (n: number) => ({ payload: n, meta: {} }) } },
    })
    const plainLog = await recordText(combineReducers({ clock: clock(false).reducer }), (dispatch) => dispatch(clock(false).actions.tick(1)))
    const result = replay(plainLog, { reducer: combineReducers({ clock: regressed.reducer }), adapters: [stampAdapter()] })
    expect(result.divergence?.seq).toBe(1)
    expect(result.divergence?.hint).toBeUndefined()
  })

  it('an adapter whose explain throws leaves the report as it was', async () => {
    const text = await record()
    const throwing: ReplayAdapter = { name: 'broken', revive: () => undefined, explain: () => { throw new Error('explain failed') } }
    const result = replay(text, { reducer, adapters: [throwing, stampAdapter()] })
    expect(result.divergence?.seq).toBe(1)
    expect(result.divergence?.hint).toContain('stamping middleware')
  })

  it('for an action type the adapter handles, its explanation follows the note that it handled it', async () => {
    const text = await record()
    const handling: ReplayAdapter = { ...stampAdapter(), handles: (type) => type === 'clock/tick', explain: ({ rerun }) => `Asked without a rerun: ${rerun === undefined}.` }
    const d = replay(text, { reducer, adapters: [handling] }).divergence!
    expect(d.hint).toBe("The adapter 'stamps' handles this action type; check that it suits the version of the library that recorded the log. Asked without a rerun: true.")
  })
})
