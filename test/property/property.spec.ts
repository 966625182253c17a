import fc from 'fast-check'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Action } from 'redux'
import { ReplayDivergenceError, type Recording } from 'redux-flight-recorder'
import { encodeRecording, replay, type ReplayStep } from 'redux-flight-recorder/replay'
import { expectReplay, recordSession } from 'redux-flight-recorder/testing'
import { actionsFrom, checkInvariants, InvariantViolationError } from 'redux-flight-recorder/fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeReducer, makeStore, warehouseDay, type InventoryState } from './inventory'

const buggy = makeReducer()
const fixed = makeReducer({ fixed: true })
const reservedNeverNegative = (s: InventoryState) => s.stock.reserved >= 0

let session: Recording
let dir: string

beforeAll(async () => {
  session = await recordSession((rec) => makeStore(rec), warehouseDay)
  dir = mkdtempSync(join(tmpdir(), 'rfr-property-'))
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const types = (actions: Action[]) => actions.map((a) => a.type)

describe('actionsFrom', () => {
  it('draws recorded actions, payloads as recorded, and keeps each thunk lifecycle in order', async () => {
    const arb = actionsFrom(session, { maxLength: 20 })
    const recorded = new Set(session.entries.filter((e) => 'action' in e).map((e) => JSON.stringify((e as { action: unknown }).action)))
    const seen = new Set<string>()
    fc.assert(
      fc.property(arb, (actions) => {
        const opened = new Set<string>()
        for (const a of actions) {
          seen.add(String(a.type))
          const meta = (a as { meta?: { requestId?: string; requestStatus?: string } }).meta
          const base = { ...a, meta: meta && { ...meta, requestId: meta.requestId?.replace(/~\d+$/, '') } }
          // Every action is a recorded one (a repeated thunk call only gets a fresh request id).
          expect(recorded.has(JSON.stringify(meta ? base : a))).toBe(true)
          if (meta?.requestStatus === 'pending') opened.add(meta.requestId!)
          else if (meta?.requestStatus) {
            expect(opened.has(meta.requestId!)).toBe(true)
            opened.delete(meta.requestId!)
          }
        }
        // Every thunk that started also settled, within the sequence.
        expect([...opened]).toEqual([])
      }),
      { numRuns: 200, seed: 7 },
    )
    expect([...seen].sort()).toEqual(
      ['orders/cancelled', 'orders/placed', 'stock/failingSync/pending', 'stock/failingSync/rejected', 'stock/released', 'stock/reserved', 'stock/returned', 'stock/sync/fulfilled', 'stock/sync/pending', 'ui/navigated'].sort(),
    )
  })

  it('lets a thunk settle after other actions, not only right after its pending action', async () => {
    const arb = actionsFrom(session, { types: ['stock/sync', 'ui/navigated'], maxDelay: 3, minLength: 6, maxLength: 6 })
    const interleaved = fc.sample(arb, { numRuns: 200, seed: 3 }).some((actions) => {
      const i = actions.findIndex((a) => a.type === 'stock/sync/pending')
      return i >= 0 && actions[i + 1]?.type === 'ui/navigated'
    })
    expect(interleaved).toBe(true)
    const allowed = new Set(['stock/sync/pending', 'stock/sync/fulfilled', 'ui/navigated'])
    for (const actions of fc.sample(arb, { numRuns: 50, seed: 4 })) for (const t of types(actions)) expect(allowed.has(String(t))).toBe(true)
    // With no delay allowed, the settle action always follows its pending one.
    const adjacent = actionsFrom(session, { types: ['stock/sync', 'ui/navigated'], maxDelay: 0, minLength: 6, maxLength: 6 })
    for (const actions of fc.sample(adjacent, { numRuns: 100, seed: 3 })) {
      actions.forEach((a, i) => {
        if (a.type === 'stock/sync/pending') expect(actions[i + 1].type).toBe('stock/sync/fulfilled')
      })
    }
  })

  it('rejects options it cannot honour', async () => {
    expect(() => actionsFrom(session, { types: ['no/such'] })).toThrow(expect.objectContaining({ code: 'no-actions' }))
    expect(() => actionsFrom(session, { minLength: 5, maxLength: 2 })).toThrow(/minLength/)
    expect(() => actionsFrom([], {})).toThrow(/at least one recording/)
  })
})

describe('checkInvariants', () => {
  it('resolves when every invariant holds (the fixed reducer)', async () => {
    const report = await checkInvariants(fixed, { reservedNeverNegative }, { from: session, numRuns: 150, seed: 42 })
    expect(report.numRuns).toBe(150)
  })

  it('finds a counter that goes negative only after one action order, shrinks it, and writes a log that replays with the same violation', async () => {
    // The recording itself never breaks the invariant: the bad order is not in it.
    const recorded: ReplayStep[] = []
    expect(replay(session, { reducer: buggy, onStep: (s) => recorded.push(s) }).ok).toBe(true)
    expect(recorded.every((s) => reservedNeverNegative(s.state as InventoryState))).toBe(true)

    const file = join(dir, 'counterexample.jsonl')
    const error = await checkInvariants(buggy, { reservedNeverNegative }, { from: session, numRuns: 300, seed: 42, counterexampleFile: file }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(InvariantViolationError)
    const v = error as InvariantViolationError
    expect(v.code).toBe('invariant-violated')
    expect(v.violation).toMatchObject({ invariant: 'reservedNeverNegative', kind: 'stock/returned' })
    // fast-check shrank a longer failing sequence to the two actions that matter.
    expect(v.numShrinks).toBeGreaterThan(0)
    expect(v.originalLength).toBeGreaterThan(v.actions.length)
    expect(types(v.actions)).toEqual(['orders/cancelled', 'stock/returned'])
    expect(v.message).toContain('Invariant `reservedNeverNegative` does not hold after action 2 (stock/returned)')
    expect(v.message).toContain(v.jsonl)

    // The written counterexample is the log in the error, and the library reads it.
    const text = readFileSync(file, 'utf8')
    expect(text).toBe(v.jsonl)
    expect(text).toBe(encodeRecording(v.recording))
    expect(text.split('\n')[0]).toContain('"kind":"@@session"')

    // Replayed on the reducer that was checked, it reaches the recorded states (expectReplay passes) and
    // the invariant fails at the same step.
    const steps: ReplayStep[] = []
    const result = expectReplay(text, { reducer: buggy, onStep: (s) => steps.push(s) })
    expect(result.verified).toBe(true)
    const bad = steps.find((s) => !reservedNeverNegative(s.state as InventoryState))!
    expect(bad.seq).toBe(v.violation.index + 1)
    expect(bad.kind).toBe('stock/returned')
    expect((bad.state as InventoryState).stock.reserved).toBe(-1)

    // As a regression test: an invariant in onStep fails on the buggy reducer; on the fixed one
    // the log diverges from the recorded (buggy) state at that step.
    const check = ({ state }: ReplayStep) => {
      if (!reservedNeverNegative(state as InventoryState)) throw new Error('reserved went negative')
    }
    expect(() => replay(text, { reducer: buggy, onStep: check })).toThrow('reserved went negative')
    expect(() => replay(text, { reducer: fixed, onStep: check })).not.toThrow()
    let thrown: unknown
    try {
      expectReplay(text, { reducer: fixed })
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(ReplayDivergenceError)
    expect((thrown as ReplayDivergenceError).seq).toBe(bad.seq)
  })

  it('reports a reducer that throws as a counterexample', async () => {
    const throwing = (state: InventoryState | undefined, action: Action): InventoryState => {
      const next = buggy(state, action)
      if (next.stock.available > 9) throw new RangeError('more stock than shelves')
      return next
    }
    const error = await checkInvariants(throwing, { reservedNeverNegative: () => true }, { from: session, numRuns: 300, seed: 1 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvariantViolationError)
    const v = error as InvariantViolationError
    expect(v.violation.invariant).toBe('(reducer threw)')
    expect(v.violation.message).toContain('RangeError: more stock than shelves')
    const result = replay(v.jsonl, { reducer: throwing })
    expect(result.divergence).toMatchObject({ reason: 'reducer-threw', kind: v.violation.kind })
    // Once fixed, the counterexample becomes a test the way the message says (its last step has no hash).
    expect(v.message).toContain('its last step has no hash (the reducer threw there')
    expect(() => expectReplay(v.jsonl, { reducer: buggy })).toThrow(/not every step was hash-checked/)
    expect(() => expectReplay(v.jsonl, { reducer: buggy, allowUnverified: true })).not.toThrow()
  })

  it('refuses invariants that fail on the starting state, and bad arguments', async () => {
    const atStart = await checkInvariants(buggy, { never: () => false }, { from: session }).catch((e: unknown) => e)
    // As documented: an InvariantViolationError whose violation is at index -1, kind null.
    expect(atStart).toBeInstanceOf(InvariantViolationError)
    expect((atStart as Error).message).toMatch(/^\[redux-flight-recorder\] Invariant `never` does not hold for the starting state, before any action/)
    const v = atStart as InvariantViolationError
    expect(v.violation).toEqual({ invariant: 'never', index: -1, kind: null, action: null })
    expect(v.actions).toEqual([])
    // Its log is the starting state alone, and it replays.
    expect(v.recording.header.state).toEqual(session.header.state)
    expect(replay(v.jsonl, { reducer: buggy })).toMatchObject({ ok: true, steps: 0 })
    await expect(checkInvariants(buggy, {}, { from: session })).rejects.toThrow(/invariants/)
    await expect(checkInvariants(buggy, reservedNeverNegative, {} as never)).rejects.toThrow(/`from`/)
  })

  it('lists the actions of a counterexample whose log is too long to show (a large starting state)', async () => {
    // (Acceptance, session 39: from a 5,000-entity state the message said "1101550 characters: see
    // error.jsonl" and showed nothing of the two actions fast-check shrank to.)
    const only = fc.constant([{ type: 'orders/cancelled' }, { type: 'stock/returned' }] as Action[])
    const start = session.header.state as InventoryState
    const big = { ...start, ui: { ...start.ui, notes: 'n'.repeat(20_000) } } as InventoryState
    const error = await checkInvariants(buggy, [reservedNeverNegative], { from: session, initialState: big, actions: only, numRuns: 1 }).catch((e: unknown) => e)
    const v = error as InvariantViolationError
    expect(v.jsonl.length).toBeGreaterThan(20_000)
    expect(v.message).not.toContain(v.jsonl)
    expect(v.message).toContain(`(${v.jsonl.length} characters: see \`error.jsonl\`, or pass \`counterexampleFile\`); its actions:\n  1. {"type":"orders/cancelled"}\n  2. {"type":"stock/returned"}\n`)
  })

  it('takes an arbitrary of its own', async () => {
    const only = fc.constant([{ type: 'orders/cancelled' }, { type: 'stock/returned' }] as Action[])
    const error = await checkInvariants(buggy, [reservedNeverNegative], { from: session, actions: only, numRuns: 1 }).catch((e: unknown) => e)
    expect((error as InvariantViolationError).violation).toMatchObject({ invariant: 'reservedNeverNegative', index: 1 })
  })

  it('returns the arbitrary synchronously, so it goes straight into fc.property', () => {
    const recordedTypes = new Set(session.entries.filter((e) => 'action' in e).map((e) => e.kind))
    let runs = 0
    fc.assert(
      fc.property(actionsFrom(session, { maxLength: 5 }), (actions) => {
        runs++
        return actions.length >= 1 && actions.every((a) => recordedTypes.has(String(a.type)))
      }),
      { numRuns: 25 },
    )
    expect(runs).toBe(25)
  })
})
