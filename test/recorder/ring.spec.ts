import { describe, expect, it } from 'vitest'
import { Anchors } from '../../src/recorder/anchors'
import { EntryRing, F_ACTION, TURN_NULL } from '../../src/recorder/ring'
import { Turns } from '../../src/recorder/turns'

// The buffer's parts alone, without a recorder or a store.

describe('EntryRing', () => {
  it('keeps entries by seq across growth and wrap-around, and forgets the oldest on dropFront', () => {
    const ring = new EntryRing(5000, true)
    const refs = Array.from({ length: 3000 }, (_, k) => ({ k }))
    for (let k = 0; k < 1500; k++) ring.push(k, k, refs[k], F_ACTION)
    ring.dropFront(1000)
    // the head has moved: these wrap around the columns, then the ring grows past 2048
    for (let k = 1500; k < 3000; k++) ring.push(k, k, refs[k], F_ACTION)
    expect(ring.firstSeq).toBe(1001)
    expect(ring.nextSeq).toBe(3001)
    expect(ring.size).toBe(2000)
    for (const seq of [1001, 1500, 2048, 3000]) {
      const i = ring.index(seq)
      expect(ring.refs[i]).toBe(refs[seq - 1])
      expect(ring.t[i]).toBe(seq - 1)
      expect(ring.turn[i]).toBe(seq - 1)
      expect(ring.strs![i]).toBeNull()
    }
    expect(ring.index(1000)).toBe(-1)
    expect(ring.index(3001)).toBe(-1)
  })

  it('says when it is full (limit) and overflowing (limit plus slack)', () => {
    const ring = new EntryRing(3, false)
    for (let k = 0; k < 3; k++) ring.push(0, TURN_NULL, null, 0)
    expect(ring.full).toBe(true)
    expect(ring.overflowing).toBe(false)
    for (let k = 0; k < 256; k++) ring.push(0, TURN_NULL, null, 0)
    expect(ring.overflowing).toBe(true)
    expect(() => ring.push(0, TURN_NULL, null, 0)).toThrow(/overflow/)
  })
})

describe('Anchors', () => {
  it('keeps at most 24 anchors, thinning every other one and doubling the spacing up to its maximum', () => {
    const anchors = new Anchors(4)
    anchors.reset(1, 's1')
    for (let seq = 2; seq <= 200; seq++) anchors.note(seq, `s${seq}`)
    const seqs = anchors.list.map((a) => a.seq)
    expect(seqs.length).toBeLessThanOrEqual(25)
    expect(seqs[0]).toBe(1)
    // spacing reached its maximum (4) at the end
    expect(seqs.at(-1)! - seqs.at(-2)!).toBe(4)
    expect(anchors.after(1)!.seq).toBe(seqs[1])
    anchors.dropBefore(seqs[3])
    expect(anchors.list[0]).toEqual({ seq: seqs[3], state: `s${seqs[3]}`, bytes: 0 })
  })

  it('keeps the memory its states hold alive within ~4 MB: fewer anchors for large states, the first always kept', () => {
    const MB = 1024 * 1024
    const anchors = new Anchors(1000)
    anchors.reset(1, 's1', MB)
    const most = { count: 0, bytes: 0 }
    for (let seq = 2; seq <= 200; seq++) {
      anchors.note(seq, `s${seq}`, MB)
      const bytes = anchors.list.reduce((t, a) => t + a.bytes, 0)
      most.count = Math.max(most.count, anchors.list.length)
      most.bytes = Math.max(most.bytes, bytes)
    }
    // 24 anchors of 1 MB states each used to be kept.
    expect(most.count).toBeLessThanOrEqual(4)
    expect(most.bytes).toBeLessThanOrEqual(4 * MB)
    expect(anchors.list[0].seq).toBe(1)
    expect(anchors.list.length).toBeGreaterThanOrEqual(2)
    // Thinned, then spaced wider: the spacing doubled at every thinning.
    const seqs = anchors.list.map((a) => a.seq)
    expect(seqs.at(-1)! - seqs.at(-2)!).toBeGreaterThan(16)
    // Dropping the front forgets their bytes: small anchors are then kept by count again.
    anchors.dropBefore(seqs.at(-1)!)
    for (let seq = 201; seq <= 260; seq++) anchors.note(seq, `s${seq}`, 0)
    expect(anchors.list.length).toBeGreaterThan(1)
  })
})

describe('Turns', () => {
  it('numbers dispatches from outside, shares the turn with nested ones, and gives an entry outside any dispatch its own', () => {
    const turns = new Turns(undefined)
    const seen: number[] = []
    let dispatch: (a: unknown) => unknown = () => undefined
    const chain = turns.middleware({ dispatch: (a: unknown) => dispatch(a), getState: () => undefined } as never)((action: unknown) => {
      seen.push(turns.entryTurn())
      if ((action as { type: string }).type === 'outer') dispatch({ type: 'inner' })
      return action
    })
    dispatch = chain as (a: unknown) => unknown
    dispatch({ type: 'outer' })
    dispatch({ type: 'later' })
    expect(seen).toEqual([1, 1, 2])
    expect(turns.entryTurn()).toBe(3)
    expect(turns.depth).toBe(0)
  })

  it('restores its depth when a dispatch throws', () => {
    const turns = new Turns(undefined)
    const chain = turns.middleware({ dispatch: () => undefined, getState: () => undefined } as never)(() => {
      throw new Error('reducer failed')
    })
    expect(() => chain({ type: 'x' })).toThrow('reducer failed')
    expect(turns.depth).toBe(0)
    // Nothing was recorded in it: it took no number.
    expect(turns.entryTurn()).toBe(1)
  })
})
