import { combineReducers, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { recordText } from '../helpers/recordText'

/**
 * A log that redacts state, replayed to a divergence: the report says when the reducer reads a
 * redacted value (replay ran it on the placeholder), and otherwise that a change under a redacted
 * path is not checked and may have begun earlier (acceptance, session 26: both were reported as
 * plain regressions, with the advice to rehash).
 */

const auth = createSlice({
  name: 'auth',
  initialState: { token: 'a-long-secret-token', strong: false },
  reducers: {
    check(s) {
      s.strong = s.token.length >= 12
    },
  },
})

const shop = (regressed: boolean) =>
  createSlice({
    name: 'shop',
    initialState: { price: 0, qty: 1, total: 0 },
    reducers: {
      priced(s, a: PayloadAction<number>) {
        s.price = regressed ? a.payload * 100 : a.payload
      },
      more(s) {
        s.qty += 1
        s.total = s.price * s.qty
      },
    },
  })

describe('divergences in a log that redacts state', () => {
  it('a reducer that reads a redacted value: the hint says replay ran it on the placeholder, which it cannot check', async () => {
    const reducer = combineReducers({ auth: auth.reducer })
    const text = await recordText(reducer, (dispatch) => dispatch(auth.actions.check()), { redact: { state: ['auth.token'] } })
    expect(text).not.toContain('a-long-secret-token')
    const result = replay(text, { reducer })
    const d = result.divergence!
    expect([d.seq, d.kind]).toEqual([1, 'auth/check'])
    expect(d.hint).toBe('The reducer reads state the log redacts (auth.token): replay cannot check those values ("[redacted]" where it started from the log, unchecked since), so this step may differ without any change of its own, or from a change under those paths in an earlier step.')
    expect(formatDivergence(result)).toContain('The reducer reads state the log redacts (auth.token)')
  })

  it('a reducer that reads the clock, in a log that redacts state: the report names the clock, not the redacted state (acceptance, session 39)', async () => {
    // Run again with other placeholders the step reached another state, as it does run again at
    // all: the hint blamed the redacted token.
    let now = 1_000
    const stamped = createSlice({
      name: 'auth',
      initialState: { token: 'a-long-secret-token', at: 0 },
      reducers: {
        touched(s) {
          s.at = (now += 7)
        },
      },
    })
    const reducer = combineReducers({ auth: stamped.reducer })
    const text = await recordText(reducer, (dispatch) => dispatch(stamped.actions.touched()), { redact: { state: ['auth.token'] } })
    const result = replay(text, { reducer })
    const d = result.divergence!
    expect([d.seq, d.kind]).toEqual([1, 'auth/touched'])
    expect(d.nondeterministic?.[0]?.path).toBe('auth.at')
    expect(d.hint).toBeUndefined()
    expect(formatDivergence(result)).not.toContain('The reducer reads state the log redacts')
  })

  it('a change under a redacted path, seen a step later: the hint says it may have begun before', async () => {
    const d = replayShop(await recordShop({ redact: { state: ['shop.price'] } }))
    // seq 1 changed only the redacted price: its hash matches; seq 2's total shows it.
    expect([d.seq, d.kind]).toEqual([2, 'shop/more'])
    expect(d.hint).toMatch(/^The reducer reads state the log redacts \(shop\.price\): .* or from a change under those paths in an earlier step\.$/)
  })

  it('the hint\'s extra reducer run copies only the containers above a redacted value (a large state is not copied whole)', async () => {
    // A catalog beside the redacted token: the reducer notes every catalog object it is given.
    const seen = new Set<object>()
    const catalog = createSlice({
      name: 'catalog',
      initialState: { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) },
      reducers: {},
    })
    const reducer = combineReducers({
      auth: auth.reducer,
      catalog: (s: ReturnType<typeof catalog.reducer> | undefined, a: { type: string }) => {
        const next = catalog.reducer(s, a)
        seen.add(next)
        return next
      },
    })
    const text = await recordText(reducer, (dispatch) => dispatch(auth.actions.check()), { redact: { state: ['auth.token'] } })
    seen.clear()
    const d = replay(text, { reducer }).divergence!
    expect(d.hint).toMatch(/^The reducer reads state the log redacts \(auth\.token\)/)
    // Replay's own run and the hint's run were given the same catalog object (before: a copy of it).
    expect(seen.size).toBe(1)
  })

  it('without state redaction, or where the step does not read redacted state, no such hint', async () => {
    const d = replayShop(await recordShop())
    expect([d.seq, d.hint]).toEqual([1, undefined])
    // Redacted, the qty only: `more` reads it, `priced` (where the regression shows) does not.
    const q = replayShop(await recordShop({ redact: { state: ['shop.qty'] } }))
    expect([q.seq, q.hint]).toEqual([1, undefined])
  })
})

/** A session of the shop: a price set, then one more item (whose total reads the price). */
function recordShop(options: Parameters<typeof recordText>[2] = {}): Promise<string> {
  const recorded = shop(false)
  return recordText(combineReducers({ shop: recorded.reducer }), (dispatch) => {
    dispatch(recorded.actions.priced(3))
    dispatch(recorded.actions.more())
  }, options)
}

/** Its divergence on the regressed reducer (the price ×100). */
const replayShop = (text: string) => replay(text, { reducer: combineReducers({ shop: shop(true).reducer }) }).divergence!
