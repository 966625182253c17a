// A divergence holds no own key whose value is `undefined`: its type says optional (`hint?:
// string`), and under `exactOptionalPropertyTypes` `'hint' in d` must mean there is a hint.
import { legacy_createStore, type Reducer } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { replay } from 'redux-flight-recorder/replay'

const reducer: Reducer<{ n: number }> = (s = { n: 0 }, a) => (a.type === 'inc' ? { n: s.n + 1 } : s)

async function session(): Promise<string> {
  const recorder = createFlightRecorder()
  const store = legacy_createStore(reducer, recorder.enhancer)
  for (let i = 0; i < 3; i++) store.dispatch({ type: 'inc' })
  await recorder.close()
  return recorder.toJSONL()
}

const undefinedKeys = (o: object | null | undefined) => Object.entries(o ?? {}).filter(([, v]) => v === undefined).map(([k]) => k)

describe('a divergence without a hint', () => {
  it('has no `hint` key (a reducer regression, a reducer that throws)', async () => {
    const log = await session()
    const regressed = replay(log, { reducer: (s, a) => (a.type === 'inc' ? { n: s!.n + 2 } : reducer(s, a)) as { n: number } })
    expect(regressed.divergence).toMatchObject({ reason: 'hash-mismatch', seq: 1 })
    expect(undefinedKeys(regressed.divergence)).toEqual([])
    expect('hint' in regressed.divergence!).toBe(false)
    const threw = replay(log, {
      reducer: (s, a) => {
        if (a.type === 'inc' && s!.n > 0) throw new Error('boom')
        return reducer(s, a)
      },
    })
    expect(threw.divergence).toMatchObject({ reason: 'reducer-threw', seq: 2 })
    expect(undefinedKeys(threw.divergence)).toEqual([])
  })
})
