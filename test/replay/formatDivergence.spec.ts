import { describe, expect, it } from 'vitest'
import { formatDivergence, type Divergence, type ReplayResult } from 'redux-flight-recorder/replay'

const base: Divergence = {
  reason: 'hash-mismatch',
  seq: 3,
  turn: 't3',
  kind: 'todos/toggled',
  action: { type: 'todos/toggled', payload: 'a' },
  expectedHash: '95a0a2869d4a103d',
  actualHash: '057fae41d259883b',
  diff: [{ path: 'todos.entities.a.done', recorded: true, replayed: false }],
  diffAtSeq: 7,
  diffAt: '@@end',
  diffNote: 'State compared at seq 7 (@@end), the first full state in the log after the divergence; later actions may add differences of their own.',
}

describe('formatDivergence', () => {
  it('renders a hash mismatch with the action, both hashes and the differences', () => {
    expect(formatDivergence(base)).toBe(
      [
        "Replay diverged at seq 3 (turn t3), action 'todos/toggled': the replayed state hashes differently from the recorded one.",
        '  action:        {"type":"todos/toggled","payload":"a"}',
        '  expected hash: 95a0a2869d4a103d (recorded)',
        '  actual hash:   057fae41d259883b (replayed)',
        '  state differences at seq 7 (@@end), recorded → replayed:',
        '    todos.entities.a.done: true → false',
        '  State compared at seq 7 (@@end), the first full state in the log after the divergence; later actions may add differences of their own.',
        '  if the reducer changed on purpose, update the log: flight-recorder rehash <log> --store <module> --in-place, or run the tests with -u',
      ].join('\n'),
    )
  })

  it('renders a reducer error with the omitted values and the hint, without hashes', () => {
    const text = formatDivergence({
      ...base,
      reason: 'reducer-threw',
      seq: 1,
      turn: 't1',
      kind: 'persist/PERSIST',
      action: { type: 'persist/PERSIST', key: 'root' },
      actualHash: null,
      error: { name: 'Error', message: 'register is not a function' },
      omitted: [
        { path: 'register', kind: 'function' },
        { path: 'rehydrate', kind: 'function' },
      ],
      hint: 'replay with `adapters: [reduxPersist()]`',
      diff: null,
      diffAtSeq: null,
      diffAt: undefined,
      diffNote: 'Replay stopped here, so no state was compared.',
    })
    expect(text).toBe(
      [
        "Replay diverged at seq 1 (turn t1), action 'persist/PERSIST': the reducer threw.",
        '  action:        {"type":"persist/PERSIST","key":"root"}',
        '  reducer threw: Error: register is not a function',
        '  values the log could not carry:',
        '    register: function',
        '    rehydrate: function',
        '  hint: replay with `adapters: [reduxPersist()]`',
        '  Replay stopped here, so no state was compared.',
      ].join('\n'),
    )
  })

  it('renders a full-state mismatch, missing values, long values and truncated lists', () => {
    const text = formatDivergence({
      reason: 'state-mismatch',
      seq: 9,
      turn: null,
      kind: '@@end',
      action: null,
      expectedHash: null,
      actualHash: null,
      diff: [
        { path: 'a', recorded: undefined, replayed: 'x'.repeat(300) },
        { path: 'b', recorded: 1, replayed: undefined },
      ],
      diffAtSeq: 9,
      diffAt: '@@end',
      diffTruncated: true,
    })
    const lines = text.split('\n')
    expect(lines[0]).toBe('Replay diverged at seq 9, at @@end: the replayed state differs from the recorded one.')
    expect(text).not.toContain('expected hash')
    expect(lines[2]).toMatch(/^ {4}a: \(missing\) → "x+…$/)
    expect(lines[2].length).toBeLessThan(140)
    expect(lines[3]).toBe('    b: 1 → (missing)')
    expect(lines[4]).toBe('    … and more (the first 2 are shown)')
  })

  it('renders results: ok, stopped, and a divergence with the session', () => {
    const header = { session: 's-1', ts: '2026-11-21T10:00:00.000Z' } as ReplayResult['header']
    const ok = { ok: true, steps: 4, skipped: 1, checked: 5, verified: true, header } as ReplayResult
    expect(formatDivergence(ok)).toBe('Replay ok: 4 steps, 1 skipped, 5 checks.')
    expect(formatDivergence({ ...ok, verified: false })).toBe('Replay ok: 4 steps, 1 skipped, 5 checks (not every step was hash-checked).')
    expect(formatDivergence({ ...ok, ok: false, stopped: { seq: 5, reason: 'Because.' } })).toBe('Replay stopped at seq 5: Because.\n  session:       s-1 (recorded 2026-11-21T10:00:00.000Z)')
    expect(formatDivergence({ ...ok, ok: false, divergence: base })).toBe(formatDivergence(base) + '\n  session:       s-1 (recorded 2026-11-21T10:00:00.000Z)')
  })

  it('shows NaN and Infinity as themselves, not as the null JSON writes', () => {
    const text = formatDivergence({ ...base, step: [{ path: 'count', recorded: undefined, replayed: NaN }, { path: 'ratio', recorded: 1, replayed: -Infinity }] })
    expect(text).toContain('    count: (missing) → NaN (null in JSON)')
    expect(text).toContain('    ratio: 1 → -Infinity (null in JSON)')
  })

  it('shows two long strings around where they first differ, not as the same first 120 characters', () => {
    const recorded = 'n'.repeat(200_000) + 'a'
    const replayed = 'n'.repeat(200_000) + 'b'
    const text = formatDivergence({ ...base, diff: [{ path: 'notes.long', recorded, replayed }] })
    expect(text).toContain(`    notes.long: "…${'n'.repeat(30)}a" → "…${'n'.repeat(30)}b" (strings of 200001 and 200001 characters, first different at character 200000)`)
    // A short difference near the start reads as before.
    expect(formatDivergence({ ...base, diff: [{ path: 's', recorded: 'ab' + 'x'.repeat(300), replayed: 'ac' + 'x'.repeat(300) }] })).toMatch(/ {4}s: "abx+… → "acx+…\n/)
  })
})
