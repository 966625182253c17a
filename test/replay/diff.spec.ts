import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { diffStates } from 'redux-flight-recorder/replay'

describe('diffStates', () => {
  it('lists the leaf-most changed key paths with the recorded and replayed values', () => {
    expect(diffStates({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { b: 2, c: [1, 3] }, d: 'x' })).toEqual([
      { path: 'a.b', recorded: 1, replayed: 2 },
      { path: 'a.c.1', recorded: 2, replayed: 3 },
    ])
  })

  it('reports added and removed keys and array elements as (missing) on one side', () => {
    expect(diffStates({ a: 1, gone: true, list: [1, 2] }, { a: 1, list: [1], added: null })).toEqual([
      { path: 'gone', recorded: true, replayed: undefined },
      { path: 'list.1', recorded: 2, replayed: undefined, element: 'removed' },
      { path: 'added', recorded: undefined, replayed: null },
    ])
  })

  it('tells types apart: {} vs [] vs null, "1" vs 1', () => {
    expect(diffStates({ x: {} }, { x: [] })).toEqual([{ path: 'x', recorded: {}, replayed: [] }])
    expect(diffStates({ x: null }, { x: {} })).toEqual([{ path: 'x', recorded: null, replayed: {} }])
    expect(diffStates(['1'], [1])).toEqual([{ path: '0', recorded: '1', replayed: 1 }])
    expect(diffStates(1, 2)).toEqual([{ path: '<root>', recorded: 1, replayed: 2 }])
  })

  it('brackets keys a dot path would make ambiguous', () => {
    expect(diffStates({ 'a.b': 1, 'with space': 1, '': 1 }, { 'a.b': 2, 'with space': 2, '': 2 }).map((d) => d.path)).toEqual(['["a.b"]', '["with space"]', '[""]'])
    expect(diffStates({ byUrl: { '/api/x': 1 } }, { byUrl: { '/api/x': 2 } })[0].path).toBe('byUrl["/api/x"]')
  })

  it('ignores key order and stops at the limit', () => {
    expect(diffStates({ a: 1, b: 2 }, { b: 2, a: 1 })).toEqual([])
    const big = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]))
    const other = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, -i - 1]))
    expect(diffStates(big, other)).toHaveLength(50)
    expect(diffStates(big, other, 3)).toHaveLength(3)
  })

  it('finds no difference exactly when the JSON values are equal', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const same = JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b))
        expect(diffStates(a, b).length === 0).toBe(same)
        expect(diffStates(a, JSON.parse(JSON.stringify(a)))).toEqual([])
      }),
    )
  })
})

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]))
  return v
}
