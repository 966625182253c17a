/**
 * fast-check arbitraries for hostile logs: random bytes, random lines, wrong types in every field,
 * `__proto__`/`constructor` keys, deep nesting, giant lines, and line-level mutations of real logs
 * (truncated, reordered, duplicated, joined, flipped).
 */
import fc from 'fast-check'

/** Values of every JSON type, including ones the format gives meaning to, as JSON text. */
export const PROTO_JSON = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":null}',
  '{"prototype":{"polluted":1},"__proto__":[]}',
  '{"__proto__":{"__proto__":{"polluted":"deep"}}}',
  '{"__proto__":{"isAdmin":true},"type":"x"}',
  '[{"__proto__":{"polluted":"in array"}}]',
]

export const WRONG_VALUES = [
  'null', 'true', 'false', '0', '-1', '1.5', '-0', '1e308', '-1e308', '9007199254740993', '4294967296',
  '""', '"x"', '"1"', '"@@session"', '"@@end"', '"@@checkpoint"', '"@@lifecycle"', '"@@error"',
  '"@@dropped"', '"@@replaceReducer"', '"@@mark"', '"@@redux/INIT"', '"fr64"', '"none"', '"0000000000000000"',
  '"\\ud800"', '"\\u0000"', '"__proto__"', '"constructor"', '[]', '{}', '[null]', '[1,2]', '{"type":null}',
  '{"type":{}}', '{"type":"x","payload":null}', '{"event":1}', '{"source":{},"message":[]}',
  '[{"path":1,"kind":null}]', '{"state":["x"],"actions":"y"}', '{"toString":1}', '{"type":{"toString":1}}',
  '{"valueOf":{},"toString":[]}', '{"type":"x","toJSON":1}', ...PROTO_JSON,
]

export const KEYS = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
  'kind', 'v', 'session', 'ts', 't', 'seq', 'turn', 'action', 'type', 'payload', 'meta', 'hash',
  'hash_alg', 'redact', 'state', 'actions', 'from_seq', 'trimmed', 'body', 'event', 'label', 'count',
  'dropped', 'reason', 'omitted', 'recordable', 'path', 'source', 'message', 'id', 'entities', 'ids',
]

export const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n)
export const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)

/** A JSON value as text: the wrong-type list, prototype keys, random JSON, or nesting a few thousand deep. */
export const jsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WRONG_VALUES) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map(deepArray) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map(deepObject) },
)

/** One JSON object line built from the format's own keys with values of any type. */
export const syntheticLine: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom(...KEYS), jsonText), { minLength: 0, maxLength: 8 })
  .map((pairs) => '{' + pairs.map(([k, v]) => JSON.stringify(k) + ':' + v).join(',') + '}')

/** A line that may be anything at all. */
export const anyLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: syntheticLine },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? '') },
  { weight: 1, arbitrary: jsonText },
)

/** A header that is valid except for what fast-check changes in it. */
export const headerLine: fc.Arbitrary<string> = fc
  .record({
    v: fc.oneof(fc.constant('1'), fc.constant('1.5'), jsonText),
    hashAlg: fc.oneof(fc.constantFrom('"fr64"', '"none"', '"sha256-json"'), jsonText),
    fromSeq: fc.oneof(fc.integer({ min: 1, max: 5 }).map(String), jsonText),
    state: fc.oneof(fc.constant('{"n":0,"items":[]}'), jsonText),
    redact: fc.oneof(fc.constant('{"state":["secret","**.password"],"actions":["payload.card"]}'), fc.constant('{}'), jsonText),
    hash: fc.oneof(fc.constant('null'), fc.constant('"0000000000000000"'), jsonText),
    extra: fc.array(fc.tuple(fc.constantFrom(...KEYS), jsonText), { maxLength: 3 }),
  })
  .map(
    (h) =>
      `{"kind":"@@session","v":${h.v},"session":"fuzz","ts":"2026-01-01T00:00:00.000Z","hash_alg":${h.hashAlg},"meta":{},"redact":${h.redact},"from_seq":${h.fromSeq},"state":${h.state},"hash":${h.hash}` +
      h.extra.map(([k, v]) => ',' + JSON.stringify(k) + ':' + v).join('') +
      '}',
  )

/** Entry lines with plausible seq numbers and any other fields. */
export const entryLine: fc.Arbitrary<string> = fc
  .record({
    seq: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 12 }).map(String) }, { weight: 1, arbitrary: jsonText }),
    kind: fc.oneof(fc.constantFrom('"inc"', '"@@checkpoint"', '"@@mark"', '"@@lifecycle"', '"@@error"', '"@@dropped"', '"@@replaceReducer"', '"@@end"', '"@@future"'), jsonText),
    action: fc.option(fc.oneof(fc.constant('{"type":"inc"}'), fc.constant('{"type":"merge","payload":{"__proto__":{"polluted":"yes"}}}'), jsonText)),
    fields: fc.array(fc.tuple(fc.constantFrom(...KEYS), jsonText), { maxLength: 4 }),
  })
  .map(
    (e) =>
      `{"seq":${e.seq},"ts":"2026-01-01T00:00:00.000Z","t":1,"turn":"t1","kind":${e.kind}` +
      (e.action !== null ? ',"action":' + e.action : '') +
      e.fields.map(([k, v]) => ',' + JSON.stringify(k) + ':' + v).join('') +
      '}',
  )

// ---------------------------------------------------------------------------------------------
// Mutations of real logs

export type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'delete'; i: number }
  | { op: 'dup'; i: number; j: number }
  | { op: 'swap'; i: number; j: number }
  | { op: 'shuffle'; seed: number }
  | { op: 'reverse' }
  | { op: 'flip'; i: number; pos: number; ch: string }
  | { op: 'cut'; i: number; pos: number }
  | { op: 'join'; i: number }
  | { op: 'insert'; i: number; line: string }
  | { op: 'set'; i: number; path: number; value: string }
  | { op: 'remove'; i: number; path: number }
  | { op: 'addKey'; i: number; path: number; key: string; value: string }
  | { op: 'seq'; i: number; value: number }
  | { op: 'crlf' }
  | { op: 'blank'; i: number }

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ op: fc.constant('delete' as const), i: fc.nat() }),
  fc.record({ op: fc.constant('dup' as const), i: fc.nat(), j: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), i: fc.nat(), j: fc.nat() }),
  fc.record({ op: fc.constant('shuffle' as const), seed: fc.nat() }),
  fc.record({ op: fc.constant('reverse' as const) }),
  fc.record({ op: fc.constant('flip' as const), i: fc.nat(), pos: fc.nat(), ch: fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '\\', '\u0000', '\n', 'x', '9', '-', ' ', '\ud800', 'é') }),
  fc.record({ op: fc.constant('cut' as const), i: fc.nat(), pos: fc.nat() }),
  fc.record({ op: fc.constant('join' as const), i: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), i: fc.nat(), line: fc.oneof(anyLine, entryLine, headerLine) }),
  fc.record({ op: fc.constant('set' as const), i: fc.nat(), path: fc.nat(), value: jsonText }),
  fc.record({ op: fc.constant('set' as const), i: fc.nat(), path: fc.nat(), value: jsonText }),
  fc.record({ op: fc.constant('remove' as const), i: fc.nat(), path: fc.nat() }),
  fc.record({ op: fc.constant('addKey' as const), i: fc.nat(), path: fc.nat(), key: fc.constantFrom(...KEYS), value: jsonText }),
  fc.record({ op: fc.constant('seq' as const), i: fc.nat(), value: fc.integer({ min: -2, max: 40 }) }),
  fc.record({ op: fc.constant('crlf' as const) }),
  fc.record({ op: fc.constant('blank' as const), i: fc.nat() }),
)

const MARK = '\u0000fuzz-mark\u0000'
const MARK_JSON = JSON.stringify(MARK)

/** Key paths (as arrays) of every value inside a parsed line, up to depth 4; [] is the line itself. */
function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = [], depth = 0): (string | number)[][] {
  out.push(at)
  if (depth >= 4 || value === null || typeof value !== 'object' || out.length > 200) return out
  for (const key of Object.keys(value)) paths((value as Record<string, unknown>)[key], [...at, Array.isArray(value) ? Number(key) : key], out, depth + 1)
  return out
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value
  let node = root as Record<string | number, unknown>
  for (let k = 0; k < path.length - 1; k++) node = node[path[k]] as Record<string | number, unknown>
  Object.defineProperty(node, path[path.length - 1], { value, enumerable: true, writable: true, configurable: true })
  return root
}

/** Edits one JSON line through a parse/stringify round trip (own `__proto__` keys survive both). */
function editLine(line: string, edit: (value: unknown) => unknown): string {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return line
  }
  try {
    const text = JSON.stringify(edit(value))
    return text === undefined ? line : text
  } catch {
    return line
  }
}

function pick<T>(list: T[], i: number): T | undefined {
  return list.length === 0 ? undefined : list[i % list.length]
}

/** Applies mutations to a log's text (line-level unless the mutation says otherwise). */
export function mutate(text: string, mutations: Mutation[]): string {
  const trailing = text.endsWith('\n')
  let lines = text.split('\n')
  if (trailing) lines.pop()
  let nl = '\n'
  let truncateAt: number | undefined
  for (const m of mutations) {
    const n = lines.length
    const i = n === 0 ? 0 : 'i' in m ? m.i % n : 0
    switch (m.op) {
      case 'truncate':
        truncateAt = m.at
        break
      case 'delete':
        if (n > 0) lines.splice(i, 1)
        break
      case 'dup':
        if (n > 0) lines.splice(m.j % (n + 1), 0, lines[i])
        break
      case 'swap':
        if (n > 1) [lines[i], lines[m.j % n]] = [lines[m.j % n], lines[i]]
        break
      case 'shuffle': {
        let s = m.seed | 1
        for (let k = lines.length - 1; k > 0; k--) {
          s = (Math.imul(s, 1103515245) + 12345) | 0
          const j = (s >>> 8) % (k + 1)
          ;[lines[k], lines[j]] = [lines[j], lines[k]]
        }
        break
      }
      case 'reverse':
        lines.reverse()
        break
      case 'flip':
        if (n > 0 && lines[i].length > 0) {
          const p = m.pos % lines[i].length
          lines[i] = lines[i].slice(0, p) + m.ch + lines[i].slice(p + 1)
        }
        break
      case 'cut':
        if (n > 0) lines[i] = lines[i].slice(0, m.pos % (lines[i].length + 1))
        break
      case 'join':
        if (n > 1 && i < n - 1) lines.splice(i, 2, lines[i] + lines[i + 1])
        break
      case 'insert':
        lines.splice(n === 0 ? 0 : m.i % (n + 1), 0, m.line)
        break
      case 'set':
        if (n > 0) {
          lines[i] = editLine(lines[i], (v) => setAt(v, pick(paths(v), m.path) ?? [], MARK)).split(MARK_JSON).join(m.value)
        }
        break
      case 'remove':
        if (n > 0) {
          lines[i] = editLine(lines[i], (v) => {
            const p = pick(paths(v).filter((x) => x.length > 0), m.path)
            if (!p) return v
            let node = v as Record<string | number, unknown>
            for (let k = 0; k < p.length - 1; k++) node = node[p[k]] as Record<string | number, unknown>
            delete node[p[p.length - 1]]
            return v
          })
        }
        break
      case 'addKey':
        if (n > 0) {
          lines[i] = editLine(lines[i], (v) => {
            const containers = paths(v).filter((p) => {
              let node: unknown = v
              for (const k of p) node = (node as Record<string | number, unknown>)[k]
              return node !== null && typeof node === 'object' && !Array.isArray(node)
            })
            const p = pick(containers, m.path)
            if (!p) return v
            let node = v as Record<string, unknown>
            for (const k of p) node = node[k] as Record<string, unknown>
            Object.defineProperty(node, m.key, { value: MARK, enumerable: true, writable: true, configurable: true })
            return v
          }).split(MARK_JSON).join(m.value)
        }
        break
      case 'seq':
        if (n > 0) lines[i] = lines[i].replace(/"seq":-?\d+/, `"seq":${m.value}`)
        break
      case 'crlf':
        nl = '\r\n'
        break
      case 'blank':
        lines.splice(n === 0 ? 0 : m.i % (n + 1), 0, m.i % 2 === 0 ? '' : '   \t')
        break
    }
  }
  let out = lines.join(nl) + (trailing ? nl : '')
  if (truncateAt !== undefined) out = out.slice(0, Math.floor(out.length * truncateAt))
  return out
}

/** Splits text into chunks at the given cut points (for streaming readers). */
export function chunksOf(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => (text.length === 0 ? 0 : c % (text.length + 1))))].sort((a, b) => a - b)
  const out: string[] = []
  let start = 0
  for (const p of points) {
    out.push(text.slice(start, p))
    start = p
  }
  out.push(text.slice(start))
  return out.filter((c) => c.length > 0)
}
