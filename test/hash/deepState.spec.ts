import { configureStore } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, stateHash } from 'redux-flight-recorder'

// A state nested deeper than fr64's recursion can go (about 1,000–1,500 levels, depending on the
// stack left): the error says so, and so does the @@error the recorder writes (not a bare
// "Maximum call stack size exceeded").

const nest = (n: number): unknown => {
  let v: unknown = { leaf: 1 }
  for (let i = 0; i < n; i++) v = { c: v }
  return v
}

const NESTED = /^state nested deeper than (\d+) levels$/

describe('fr64 on a state nested too deeply', () => {
  it('stateHash throws a RangeError naming the nesting and the depth it reached', () => {
    let error: unknown
    try {
      stateHash({ tree: nest(20_000) })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(RangeError)
    const depth = Number(NESTED.exec((error as Error).message)?.[1])
    expect(depth).toBeGreaterThan(500)
    expect(depth).toBeLessThan(20_000)
    // The hasher is usable again afterwards, and a RangeError of a getter near the root is the getter's: it is left out.
    expect(stateHash({ tree: nest(100) })).toMatch(/^[0-9a-f]{16}$/)
    const state = {
      get x(): number {
        throw new RangeError('mine')
      },
    }
    // (Left out, as any getter that throws: src/internal/readable.ts.)
    expect(stateHash(state)).toBe(stateHash({}))
  })

  it("the recorder's @@error for such a state says the state is nested too deeply", async () => {
    const errors: unknown[] = []
    const recorder = createFlightRecorder({ flushIntervalMs: 60_000, onError: (e) => void errors.push(e) })
    type S = { n: number; tree: unknown }
    const store = configureStore({
      reducer: (s: S = { n: 0, tree: null }, a: { type: string }): S => (a.type === 'grow' ? { ...s, tree: nest(20_000) } : a.type === 'inc' ? { ...s, n: s.n + 1 } : s),
      middleware: (g) => g({ serializableCheck: false, immutableCheck: false }),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    store.dispatch({ type: 'inc' })
    store.dispatch({ type: 'grow' })
    await recorder.close()
    const lines = recorder.toJSONL().trim().split('\n').map((l) => JSON.parse(l) as { kind: string; seq: number; hash?: unknown; body?: { source: string; message: string; name: string; seq: number } })
    expect(lines.find((l) => l.kind === 'grow')?.hash).toBeNull()
    const hashErrors = lines.filter((l) => l.kind === '@@error' && l.body?.source === 'hash')
    expect(hashErrors.length).toBeGreaterThan(0)
    expect(hashErrors[0].body).toMatchObject({ name: 'RangeError', seq: 2, message: expect.stringMatching(NESTED) })
    expect(String((errors[0] as Error).message)).toMatch(/state nested deeper than \d+ levels/)
  })
})
