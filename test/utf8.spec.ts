import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { utf8Length } from '../src/internal/utf8'

// The one UTF-8 byte count (action lines against maxEntryBytes, httpSink batches, indexedDbSink
// chunks): what Node's encoder gives, for ASCII (a native scan, no loop), every range of UTF-16
// units, surrogate pairs and lone surrogates (3 bytes: the replacement character).
describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['plain ASCII {"a":1}', 19],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['\ud800', 3],
    ['\udc00x', 4],
    ['a\ud83d', 4],
    ['x'.repeat(5000) + 'é', 5002],
  ])('%j is %i bytes', (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes)
    expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'))
  })

  it('agrees with Buffer.byteLength on random strings of any UTF-16 units, with an ASCII prefix or none', () => {
    const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.array(unit, { maxLength: 40 }), (ascii, units) => {
        const text = ascii + units.join('')
        expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'))
      }),
      { numRuns: 2000 },
    )
  })
})
