import { configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'

/**
 * A step whose reducer threw when recorded and no longer throws when replayed: with values of its
 * action redacted (`redact.actions`), replay dispatched "[redacted]" where the app dispatched the
 * value the reducer threw on, so the very reducer that recorded the log may not throw. The report
 * must say so, not only advise updating the log (which would drop the crash from it).
 */

/** `placeholder`: what the reducer makes of a card number that is no number ("[redacted]"). */
const cards = (placeholder: 'stored' | 'ignored') =>
  createSlice({
    name: 'cards',
    initialState: { last: '', count: 0, views: 0 },
    reducers: {
      viewed(s) {
        s.views++
      },
      added(s, a: PayloadAction<{ holder: string; number: string }>) {
        if (a.payload.number.startsWith('0')) throw new RangeError('A card number cannot start with 0')
        if (placeholder === 'ignored' && !/^\d+$/.test(a.payload.number)) return
        s.last = a.payload.number.slice(-4)
        s.count++
      },
    },
  })

async function record(placeholder: 'stored' | 'ignored', redacted: string[]): Promise<string> {
  const { reducer, actions } = cards(placeholder)
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], clock: () => 1_700_000_000_000, redact: { actions: redacted } })
  const store = configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
  store.dispatch(actions.viewed())
  expect(() => store.dispatch(actions.added({ holder: 'bob', number: '0111111111111111' }))).toThrow(RangeError)
  await recorder.close()
  return sink.text()
}

describe('a step that threw when recorded and no longer throws, its action redacted', () => {
  it('names the redacted values as what may be why, in the divergence and its report (the reducer that recorded the log)', async () => {
    const log = await record('stored', ['payload.number'])
    const result = replay(log, { reducer: cards('stored').reducer })
    const d = result.divergence!
    expect([d.reason, d.seq, d.kind]).toEqual(['hash-mismatch', 2, 'cards/added'])
    expect(d.hint).toMatch(/^When recorded, the reducer threw at this action \(RangeError: A card number cannot start with 0\) and the state stayed as it was; replayed, it no longer throws\./)
    expect(d.hint).toContain('Replay dispatched the action\'s values redacted when recording (payload.number) as "[redacted]", not the action the app dispatched, which may be why. If the reducer was fixed, update the log')
    // (-u does not rewrite such a log: test/testing/updateModeRedactedThrow.spec.ts.)
    expect(d.hint).toContain('update the log (`flight-recorder rehash`; -u leaves it as it is).')
    expect(formatDivergence(result)).toContain(`hint: ${d.hint}`)
    // Into the app's store too.
    const { reducer } = cards('stored')
    const viaStore = replay(log, { createStore: (state) => configureStore({ reducer, preloadedState: state }) }).divergence!
    expect([viaStore.seq, viaStore.hint]).toEqual([2, d.hint])
  })

  it('says so in the warning when the replayed step reaches the recorded state all the same', async () => {
    const log = await record('ignored', ['payload.number'])
    const result = replay(log, { reducer: cards('ignored').reducer })
    expect([result.ok, result.verified]).toEqual([true, true])
    const warning = result.warnings.find((w) => w.includes('replayed, it no longer throws'))
    expect(warning).toMatch(/^The reducer threw at seq 2 \('cards\/added'\) when recorded \(RangeError: A card number cannot start with 0\); replayed, it no longer throws and reaches the recorded state\./)
    expect(warning).toContain('Replay dispatched the action\'s values redacted when recording (payload.number) as "[redacted]", not the action the app dispatched, which may be why. If the reducer was fixed, update the log')
    expect(warning).toContain('update the log (`flight-recorder rehash`) so that')
  })

  it('keeps the advice to update the log alone when no value of the action was redacted', async () => {
    // The log redacts nothing of this action; the reducer was fixed: it no longer throws because it changed.
    const log = await record('stored', ['payload.cvc'])
    const fixed = (state: ReturnType<ReturnType<typeof cards>['reducer']> | undefined, action: { type: string; payload?: { number?: string } }) =>
      cards('stored').reducer(state, action.type === 'cards/added' ? { ...action, payload: { ...action.payload, number: `9${action.payload?.number}` } } : (action as never))
    const d = replay(log, { reducer: fixed as never }).divergence!
    expect([d.reason, d.seq]).toEqual(['hash-mismatch', 2])
    expect(d.hint).toBe("When recorded, the reducer threw at this action (RangeError: A card number cannot start with 0) and the state stayed as it was; replayed, it no longer throws. If that is the fix, update the log (`flight-recorder rehash`, or the tests' -u).")
  })
})
