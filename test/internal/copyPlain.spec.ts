import { describe, expect, it } from 'vitest'
import { copyPlain } from '../../src/internal/copyPlain'

describe('copyPlain', () => {
  it('copies arrays and plain objects deeply, shares everything else, keeps sharing and cycles', () => {
    const date = new Date(0)
    class Box {
      v = 1
    }
    const box = new Box()
    const shared = { n: 1 }
    const value: Record<string, unknown> = { a: [1, { b: 2 }, shared], c: shared, date, box, s: 'x', n: null }
    value.self = value
    const copy = copyPlain(value)
    expect(copy).not.toBe(value)
    expect(copy.a).not.toBe(value.a)
    expect((copy.a as unknown[])[1]).toEqual({ b: 2 })
    expect((copy.a as unknown[])[1]).not.toBe((value.a as unknown[])[1])
    expect(copy.c).not.toBe(shared)
    expect((copy.a as unknown[])[2]).toBe(copy.c)
    expect(copy.self).toBe(copy)
    expect(copy.date).toBe(date)
    expect(copy.box).toBe(box)
    expect(copy.s).toBe('x')
    expect(copy.n).toBeNull()
  })

  it('keeps an own `__proto__` key as JSON.parse makes it, and null-prototype objects', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"x":1}') as Record<string, unknown>
    const copy = copyPlain(parsed)
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect(Object.prototype.hasOwnProperty.call(copy, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed))
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { k: [1] })
    const bareCopy = copyPlain(bare)
    expect(Object.getPrototypeOf(bareCopy)).toBeNull()
    expect(bareCopy.k).toEqual([1])
    expect(bareCopy.k).not.toBe(bare.k)
  })

  it('gives each copy its key path, in the order met, and keeps holes', () => {
    const shared = { x: 1 }
    // eslint-disable-next-line no-sparse-arrays
    const value = { a: [shared, , { b: 2 }], c: shared, d: new Date(0) }
    const copies = new Map<object, unknown>()
    const paths: string[] = []
    const copy = copyPlain(value, copies, paths)
    expect(paths).toEqual(['', 'a', 'c', 'a.2'])
    expect([...copies.keys()]).toEqual([value, value.a, shared, value.a[2]])
    expect(1 in copy.a).toBe(false)
    expect(copy.a.length).toBe(3)
  })

  it('copies a value nested deeper than the stack allows recursion', () => {
    let deep: Record<string, unknown> = { end: true }
    for (let i = 0; i < 100_000; i++) deep = { d: deep }
    let copy = copyPlain(deep)
    let depth = 0
    while (copy.d !== undefined) {
      copy = copy.d as Record<string, unknown>
      depth++
    }
    expect(depth).toBe(100_000)
    expect(copy).toEqual({ end: true })
  })
})
