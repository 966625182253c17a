import { describe, expect, it } from 'vitest'
import { jsonLine } from '../src/internal/describe'

// One helper prints a value in one line for the CLI, the panel and divergence reports.
describe('jsonLine', () => {
  it('writes JSON, cut to the limit with an ellipsis, and a stand-in for undefined', () => {
    expect(jsonLine({ a: 1 }, 80, '(none)')).toBe('{"a":1}')
    expect(jsonLine('x'.repeat(20), 10, '(none)')).toBe('"xxxxxxxx…')
    expect(jsonLine('x'.repeat(20), 10, '(none)')).toHaveLength(10)
    expect(jsonLine(undefined, 10, '(missing)')).toBe('(missing)')
    expect(jsonLine(() => 1, 80, '-')).toBe('() => 1')
  })

  it('never throws: a throwing toJSON, a throwing toString, a value nested too deep for JSON', () => {
    const hostile = { toJSON() { throw new Error('no') }, toString() { throw new Error('no either') } }
    expect(jsonLine(hostile, 80, '-')).toBe('(cannot be shown as JSON: no)')
    let deep: unknown = 1
    for (let i = 0; i < 200_000; i++) deep = [deep]
    expect(jsonLine(deep, 80, '-')).toBe('(cannot be shown as JSON: nested too deeply)')
    expect(jsonLine(BigInt(5), 80, '-')).toBe('5')
    // One line, whatever the engine's message: a cycle's message has several in Node.
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(jsonLine(circular, 200, '-')).toMatch(/^\(cannot be shown as JSON: Converting circular structure to JSON[^\n]*\)$/)
    // A RangeError that is not a stack overflow is shown as itself.
    expect(jsonLine({ toJSON: () => new Array(-1) }, 200, '-')).toBe('(cannot be shown as JSON: Invalid array length)')
  })
})
