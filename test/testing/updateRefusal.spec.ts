import { configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { replay } from 'redux-flight-recorder/replay'
import { rehashAdvice, updateRefusal, type UpdateRefusal } from '../../src/testing/expectReplay'

/**
 * What makes `-u` (expectReplayFile, replaySuite) leave a log as it was: a divergence hint naming
 * another cause than a changed reducer, or (session 35) a recorded crash that replay no longer makes
 * where it dispatched "[redacted]" for values of the action: the app's value may be what the reducer
 * threw on, so a rewrite would drop the crash for the placeholder alone. The real `vitest -u` runs
 * are in updateModeRedactedThrow.spec.ts.
 */

/** `placeholder`: what the reducer makes of a card number that is no number ("[redacted]"). */
const cards = (placeholder: 'stored' | 'ignored', step = 1) =>
  createSlice({
    name: 'cards',
    initialState: { last: '', count: 0, views: 0 },
    reducers: {
      viewed(s) {
        s.views += step
      },
      added(s, a: PayloadAction<{ holder: string; number: string }>) {
        if (a.payload.number.startsWith('0')) throw new RangeError('A card number cannot start with 0')
        if (placeholder === 'ignored' && !/^\d+$/.test(a.payload.number)) return
        s.last = a.payload.number.slice(-4)
        s.count++
      },
    },
  })

/** A crash at seq 1 (`added`), then `viewed`; `redacted`: the action paths the log redacts. */
async function record(redacted: string[]): Promise<string> {
  const { reducer, actions } = cards('ignored')
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], clock: () => 1_700_000_000_000, redact: { actions: redacted } })
  const store = configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
  expect(() => store.dispatch(actions.added({ holder: 'bob', number: '0111111111111111' }))).toThrow(RangeError)
  store.dispatch(actions.viewed())
  await recorder.close()
  return sink.text()
}

const REDACTED_CRASH = 'a step that threw when recorded no longer throws where replay dispatched "[redacted]" for values of its action (see the warnings above), not what the app dispatched: rewriting the log would drop that crash for the placeholder alone.'
const HINTED = 'the hint above names a cause other than a changed reducer.'

describe('updateRefusal', () => {
  it('refuses a log whose recorded crash replay no longer makes with the action redacted, the replay passing', async () => {
    const result = replay(await record(['payload.number']), { reducer: cards('ignored').reducer })
    expect([result.ok, result.verified]).toEqual([true, true])
    expect(result.warnings.some((w) => w.includes('replayed, it no longer throws'))).toBe(true)
    expect(updateRefusal(result)).toEqual({ kind: 'redacted-crash', text: REDACTED_CRASH })
    expect(rehashAdvice(updateRefusal(result)!, 'test/s.jsonl')).toBe(REHASH)
  })

  it('refuses it too when a later step diverges without a hint (a rewrite would drop the crash all the same)', async () => {
    const result = replay(await record(['payload.number']), { reducer: cards('ignored', 2).reducer })
    expect([result.ok, result.divergence?.seq, result.divergence?.hint]).toEqual([false, 2, undefined])
    expect(updateRefusal(result)).toEqual({ kind: 'redacted-crash', text: REDACTED_CRASH })
  })

  it('refuses a divergence with a hint (here: the redacted crash at the diverging step)', async () => {
    const result = replay(await record(['payload.number']), { reducer: cards('stored').reducer })
    expect(result.divergence?.hint).toContain('not the action the app dispatched, which may be why')
    expect(updateRefusal(result)).toEqual({ kind: 'hint', text: HINTED })
  })

  it('lets -u update a crash fixed in the reducer to reach another state, nothing of the action redacted: its hint says to update the log', async () => {
    const { reducer } = cards('ignored')
    const fixed = (state: ReturnType<typeof reducer> | undefined, action: { type: string; payload?: { number?: string } }) =>
      action.type === 'cards/added' && action.payload?.number?.startsWith('0') && state !== undefined ? { ...state, last: 'none' } : reducer(state, action as never)
    const result = replay(await record(['payload.cvc']), { reducer: fixed as never })
    expect(result.divergence?.seq).toBe(1)
    expect(result.divergence?.hint).toContain('replayed, it no longer throws. If that is the fix, update the log')
    expect(updateRefusal(result)).toBeUndefined()
  })

  it('lets -u update a crash fixed in the reducer where nothing of the action is redacted, and a changed reducer', async () => {
    const log = await record(['payload.cvc'])
    const { reducer } = cards('ignored')
    // The fix: a number starting with 0 leaves the state as it was (the recorded state).
    const fixed = (state: ReturnType<typeof reducer> | undefined, action: { type: string; payload?: { number?: string } }) =>
      action.type === 'cards/added' && action.payload?.number?.startsWith('0') && state !== undefined ? state : reducer(state, action as never)
    const passing = replay(log, { reducer: fixed as never })
    expect(passing.ok).toBe(true)
    expect(passing.warnings.some((w) => w.includes('replayed, it no longer throws'))).toBe(true)
    expect(updateRefusal(passing)).toBeUndefined()
    const changed = replay(await record([]), { reducer: cards('ignored', 2).reducer })
    expect([changed.divergence?.seq, changed.divergence?.hint]).toEqual([2, undefined])
    expect(updateRefusal(changed)).toBeUndefined()
  })
})

const REHASH = ' If the reducer did change on purpose, update the log with flight-recorder rehash test/s.jsonl --store <module> --in-place.'

/** Each kind's text as `updateRefusal` writes it (`redacted-replayed` for one redacted path). */
const TEXTS: Record<UpdateRefusal['kind'], string> = {
  'foreign-reducer': "the reducer keeps none of the log's state (the hint above): a rewrite would replace every state in it.",
  'redacted-decides':
    'this step depends on values of its action that the log redacts (replay dispatched "[redacted]" there, and other texts in their place lead to another state: the hint above): a rewrite would write what the reducer makes of "[redacted]" into the log.',
  hint: HINTED,
  'redacted-replayed':
    'replay dispatched "[redacted]" for values of the diverging action (payload.secret), not what the app dispatched: the difference may come from that placeholder and not from a change of the reducer, and a rewrite would write what the reducer makes of it into the log.',
  'redacted-crash': REDACTED_CRASH,
}

describe('rehashAdvice', () => {
  // The advice after "the log was not updated: <refusal>" is chosen by the refusal's kind (it was
  // chosen by the text's start, so a reworded refusal would have changed the advice silently).
  it.each([
    ['foreign-reducer', ''],
    ['redacted-decides', ''],
    ['hint', REHASH],
    ['redacted-crash', REHASH],
    [
      'redacted-replayed',
      ' If the reducer did change on purpose at this step (its effect above shows that change), update the log with flight-recorder rehash test/s.jsonl --store <module> --in-place: its states are then what the reducer makes of "[redacted]".',
    ],
  ] as const)('after a refusal of kind %s, gives the same advice whatever the text says', (kind, advice) => {
    const others = Object.values(TEXTS).filter((t) => t !== TEXTS[kind])
    for (const text of [TEXTS[kind], `reworded: ${TEXTS[kind]}`, ...others]) expect(rehashAdvice({ kind, text }, 'test/s.jsonl')).toBe(advice)
  })
})
