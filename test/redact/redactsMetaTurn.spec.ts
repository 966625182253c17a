import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyRedaction, compileRedactor, REDACTED, redactsMetaTurn } from '../../src/redact'

// Whether `redact.actions` covers an action's `meta.turn` decides whether a turn the action names
// becomes its entry's `turn` (it must not: it is a secret then). The recorder's shell, loaded with
// the page, decides it on the paths alone; what the log then holds is decided by the redaction
// itself. The two must agree, or a redacted turn name is written as the entry's turn.
const action = { type: 'x', meta: { turn: 'checkout', other: 1 }, turn: 2 }
const redactedByLog = (paths: string[]): boolean => {
  const out = applyRedaction(action, compileRedactor(paths))
  if (typeof out === 'string') return out === REDACTED
  const meta = (out as { meta?: unknown }).meta
  return meta === REDACTED || (typeof meta === 'object' && meta !== null && (meta as { turn?: unknown }).turn === REDACTED)
}

describe('redactsMetaTurn', () => {
  it.each([
    [['meta.turn'], true],
    [['meta'], true],
    [['*'], true],
    [['**'], true],
    [['**.turn'], true],
    [['*.turn'], true],
    [['meta.*'], true],
    [['meta.**'], true],
    [['["meta"]["turn"]'], true],
    [['meta["turn"]'], true],
    [['["meta.turn"]'], false],
    [['meta["*"]'], false],
    [['turn'], false],
    [['meta.turn.x'], false],
    [['meta.other'], false],
    [['*.*.turn'], false],
    [['payload', 'meta.turn'], true],
    [[], false],
  ])('%j → %s, as the redaction does', (paths, expected) => {
    expect(redactsMetaTurn(paths)).toBe(expected)
    expect(redactedByLog(paths)).toBe(expected)
  })

  it('takes time in proportion to the paths: 1,000 paths of 340 `**` each (a recursion took over a minute)', () => {
    const many = (last: string) => Array.from({ length: 1000 }, () => '**.'.repeat(340) + last)
    expect(redactsMetaTurn(many('x'))).toBe(false)
    expect(redactsMetaTurn(many('turn'))).toBe(true)
  })

  it('agrees with the redaction for any path over meta, turn, other keys and wildcards', () => {
    // Keys in brackets as JSON strings, also with a dot, an escaped quote or a bracket inside.
    const key = fc.constantFrom('meta', 'turn', 'other', '*', '**', '["meta"]', '["turn"]', '["me.ta"]', '["tu\\"rn"]', '["a]b"]', '["*"]', '["**"]')
    const path = fc.array(key, { minLength: 1, maxLength: 4 }).map((keys) => keys.reduce((p, k) => (p === '' ? k : k.startsWith('[') ? p + k : `${p}.${k}`), ''))
    fc.assert(
      fc.property(fc.array(path, { maxLength: 3 }), (paths) => {
        expect(redactsMetaTurn(paths)).toBe(redactedByLog(paths))
      }),
      { numRuns: 2000 },
    )
  })
})
