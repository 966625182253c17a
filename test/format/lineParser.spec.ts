import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RecordingFormatError } from 'redux-flight-recorder'
import { LineParser } from 'redux-flight-recorder/replay'

const header = '{"kind":"@@session","v":1,"session":"s","ts":"","hash_alg":"fr64","meta":{},"redact":{"state":[],"actions":[]},"from_seq":1,"state":{"n":0},"hash":null}'
/** An action line exactly as the recorder writes it. */
const line = (seq: number, rest = ',"hash":"c5589d3d16a02b0f"') =>
  `{"seq":${seq},"ts":"2026-11-22T00:41:51.152Z","t":0.681,"turn":"t${seq}","kind":"items/updated","action":{"type":"items/updated","payload":{"id":"e000004","n":${seq}}}${rest}}`

/** What reading `lines` after the header gives: every entry (with its key order and -0) or the error, and the warnings. */
function read(lines: string[], fast: boolean, strict: boolean): unknown {
  const parser = new LineParser({ strict })
  parser.fast = fast
  parser.line(header)
  const out: unknown[] = []
  try {
    for (const text of lines) {
      const parsed = parser.line(text)
      if (parsed?.type === 'entry') {
        const e = parsed.entry
        out.push({ keys: Object.keys(e), json: JSON.stringify(e), minusZero: Object.is(e.t, -0), proto: Object.getPrototypeOf(e) === Object.prototype })
      } else out.push(parsed?.type ?? null)
    }
    parser.finish()
  } catch (error) {
    if (!(error instanceof RecordingFormatError)) throw error
    out.push({ error: error.code, line: error.line, message: error.message })
  }
  return { out, warnings: parser.warnings }
}

function expectSameAsFullPath(lines: string[]): void {
  for (const strict of [true, false]) expect(read(lines, true, strict)).toEqual(read(lines, false, strict))
}

// Lines near the recorder's format: the fast path must take the ones it can and give exactly what
// JSON.parse of the whole line and its checks give, and leave every other one to the full path.
const tricky = [
  line(1),
  line(1, ''),
  line(1, ',"hash":null'),
  line(1, ',"hash":""'),
  line(1, ',"hash":"AbC}"'),
  line(1, ',"hash":5'),
  line(1, ',"hash":"a","hash":"b"'),
  line(1, ',"hash":"a","seq":7'),
  line(1, ',"recordable":false,"omitted":[{"path":"payload.f","kind":"function"}]'),
  line(1, ',"later":{}'),
  line(1, ',"hash":"a" '),
  line(1) + '\r',
  line(1) + ' ',
  ' ' + line(1),
  line(1).replace('"seq":1', '"seq":0'),
  line(1).replace('"seq":1', '"seq":01'),
  line(1).replace('"seq":1', '"seq":-1'),
  line(1).replace('"seq":1', '"seq":1.0'),
  line(1).replace('"seq":1', '"seq":1e0'),
  line(1).replace('"seq":1', '"seq":"1"'),
  line(1).replace('"seq":1', '"seq":9007199254740993'),
  line(1).replace('"seq":1', '"seq":999999999999999'),
  line(1).replace('"seq":1', '"seq": 1'),
  line(1).replace('"t":0.681', '"t":-0'),
  line(1).replace('"t":0.681', '"t":-0.000'),
  line(1).replace('"t":0.681', '"t":0'),
  line(1).replace('"t":0.681', '"t":1e3'),
  line(1).replace('"t":0.681', '"t":01'),
  line(1).replace('"t":0.681', '"t":1.'),
  line(1).replace('"t":0.681', '"t":.5'),
  line(1).replace('"t":0.681', '"t":0.1000000000000000055511151231257827'),
  line(1).replace('"t":0.681', '"t":123456789012.345678'),
  line(1).replace('"t":0.681', '"t":"0.681"'),
  line(1).replace('"t":0.681', '"t":null'),
  line(1).replace('"turn":"t1"', '"turn":null'),
  line(1).replace('"turn":"t1"', '"turn":1'),
  line(1).replace('"turn":"t1"', '"turn":"t\\u0031"'),
  line(1).replace('"turn":"t1"', '"turn":"t\u0001"'),
  line(1).replace('"turn":"t1"', '"turn":"t\\"1"'),
  line(1).replace('"ts":"2026-11-22T00:41:51.152Z"', '"ts":""'),
  line(1).replace('"ts":"2026-11-22T00:41:51.152Z"', '"ts":"\ud800\u2028é"'),
  line(1).replace('"ts":"2026-11-22T00:41:51.152Z"', '"ts":"a\tb"'),
  line(1).replace('"ts":"2026-11-22T00:41:51.152Z"', '"ts":3'),
  line(1).replace('"kind":"items/updated"', '"kind":"@@session"'),
  line(1).replace('"kind":"items/updated"', '"kind":"@@end"'),
  line(1).replace('"kind":"items/updated"', '"kind":null'),
  line(1).replace('"kind":"items/updated"', '"kind":""'),
  line(1).replace('"kind":"items/updated"', '"kind":"items\\/updated"'),
  line(1).replace('"ts":"2026-11-22T00:41:51.152Z","t":0.681', '"t":0.681,"ts":"2026-11-22T00:41:51.152Z"'),
  line(1).replace('"turn":"t1",', ''),
  line(1).replace('"seq":1,', '"seq":1,"seq":2,'),
  line(1).replace('{"type":"items/updated","payload":{"id":"e000004","n":1}}', '{"payload":1}'),
  line(1).replace('{"type":"items/updated","payload":{"id":"e000004","n":1}}', '[{"type":"x"}]'),
  line(1).replace('{"type":"items/updated","payload":{"id":"e000004","n":1}}', '{"type":"x"},{"type":"y"}'),
  line(1).replace('{"type":"items/updated","payload":{"id":"e000004","n":1}}', '{"type":"x"}}{'),
  line(1).replace('{"type":"items/updated","payload":{"id":"e000004","n":1}}', '{"type":"x","type":"y","__proto__":{"polluted":true},"2":1,"1":0}'),
  line(1).replace('{"type":"items/updated","payload":{"id":"e000004","n":1}}', '{ "type" : "\\u00e9\\ud83d\\ude00\\"}," , "s":"},\\"hash\\":\\"x" }'),
  line(1).replace('{"type":"items/updated","payload":{"id":"e000004","n":1}}', '{"type":"x","s":"\u2028\u2029"}'),
  line(1).replace('{"type":"items/updated","payload":{"id":"e000004","n":1}}', '{"type":"x","raw":"a\u0001"}'),
  line(1).replace('{"type":"items/updated","payload":{"id":"e000004","n":1}}', '{"type":"x","n":1e400,"m":-0}'),
  line(1).replace('{"type":"items/updated","payload":{"id":"e000004","n":1}}', '{"type":"x","s":"\\"hash\\":\\"q\\"}"}'),
  line(1).slice(0, -1),
  line(1).slice(0, 60),
]

describe('LineParser', () => {
  afterEach(() => vi.restoreAllMocks())

  it('reads action lines on its fast path exactly as the full path does, tricky ones included', () => {
    for (const text of tricky) expectSameAsFullPath([text])
    expectSameAsFullPath(tricky)
  })

  it('checks seq on its fast path as the full path does (gaps, order)', () => {
    expectSameAsFullPath([line(1), line(2), line(5), line(6)])
    expectSameAsFullPath([line(1), line(3), line(3)])
    expectSameAsFullPath([line(2), line(1)])
    expectSameAsFullPath([line(1), '', line(2), '{"seq":3,"ts":"","t":3,"turn":null,"kind":"@@mark","label":"x"}', line(4), '{not json', line(5)])
    expectSameAsFullPath([line(1), '{"kind":"@@end","seq":2,"ts":"","t":2,"count":1,"dropped":0,"state":{"n":1},"hash":null}', line(3)])
    expectSameAsFullPath([line(1), line(2).slice(0, 50)])
    expectSameAsFullPath([line(1), header, line(2)])
  })

  it('parses only the action of a line the recorder wrote, and the whole of any other line', () => {
    const parse = vi.spyOn(JSON, 'parse')
    const parser = new LineParser()
    parser.fast = true
    parser.line(header)
    parse.mockClear()
    expect(parser.line(line(1))).toMatchObject({ type: 'entry', entry: { seq: 1, hash: 'c5589d3d16a02b0f', action: { payload: { n: 1 } } } })
    expect(parse.mock.calls).toEqual([['{"type":"items/updated","payload":{"id":"e000004","n":1}}']])
    parse.mockClear()
    const extra = line(2, ',"hash":"c5589d3d16a02b0f","later":1')
    parser.line(extra)
    expect(parse.mock.calls.at(-1)).toEqual([extra])
  })

  it('reads seq and t as JSON.parse does, to the last bit', () => {
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max })
    const number = fc
      .tuple(fc.boolean(), fc.oneof(fc.constant('0'), fc.tuple(fc.constantFrom(...'123456789'), digits(0, 17)).map(([a, b]) => a + b)), fc.option(digits(1, 18), { nil: undefined }))
      .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : '.' + frac}`)
    fc.assert(
      fc.property(number, fc.integer({ min: 1, max: 2 ** 53 + 10 }), (t, seq) => {
        expectSameAsFullPath([line(1).replace('"t":0.681', `"t":${t}`).replace('"seq":1', `"seq":${seq}`)])
      }),
      { numRuns: 3000 },
    )
  })

  it('gives the same entries and errors on its fast path as the full path, for lines near the recorder format', () => {
    const str = fc.oneof(fc.constantFrom('', 't1', 'items/updated', '@@session', 'a"b', 'a\\b', '\u0000', '\ud800', '\u2028', 'é😀'), fc.string({ maxLength: 6 }))
    const num = fc.oneof(fc.integer({ min: -3, max: 20 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-0, 1e21, 0.1, 123.456))
    const value = fc.oneof(str, num, fc.constant(null), fc.boolean())
    const action = fc.oneof(fc.record({ type: str, payload: fc.jsonValue({ maxDepth: 2 }) }), fc.jsonValue({ maxDepth: 2 }))
    // A line as the recorder writes it, then maybe edited: keys moved, dropped or added, text
    // inserted or removed anywhere.
    const entryLine = fc
      .record({
        seq: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, -1, 2 ** 53 + 2)),
        ts: fc.oneof(str, value),
        t: fc.oneof(num, value),
        turn: fc.oneof(str, fc.constant(null), value),
        kind: fc.oneof(str, value),
        action,
        hash: fc.option(fc.oneof(str, value), { nil: undefined }),
        extra: fc.option(fc.dictionary(fc.constantFrom('later', 'hash', 'seq', 'omitted', 'recordable'), value, { maxKeys: 2 }), { nil: undefined }),
      })
      .map(({ extra, ...parts }) => {
        const { hash, ...rest } = parts
        const obj: Record<string, unknown> = hash === undefined ? rest : { ...rest, hash }
        let text = JSON.stringify(obj)
        if (extra) for (const [k, v] of Object.entries(extra)) text = text.slice(0, -1) + `,${JSON.stringify(k)}:${JSON.stringify(v)}}`
        return text
      })
    const edit = fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom('', ' ', '"', '\\', ',', '}', '{', '0', '-', 'e', '.', '\r', '\u0001', 'null', ',"hash":"x"'))
    const edited = fc.tuple(entryLine, fc.array(edit, { maxLength: 2 })).map(([text, edits]) => {
      for (const [at, cut, insert] of edits) {
        const i = at % (text.length + 1)
        text = text.slice(0, i) + insert + text.slice(i + cut)
      }
      return text
    })
    fc.assert(
      fc.property(fc.array(fc.oneof(entryLine, edited), { minLength: 1, maxLength: 4 }), (lines) => {
        expectSameAsFullPath(lines)
      }),
      { numRuns: 1500 },
    )
  })
})
