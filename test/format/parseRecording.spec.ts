import { describe, expect, it } from 'vitest'
import { createFlightRecorder, RecordingFormatError } from 'redux-flight-recorder'
import { fromDevToolsExport } from 'redux-flight-recorder/devtools'
import { encodeRecording, parseRecording } from 'redux-flight-recorder/replay'

const header = '{"kind":"@@session","v":1,"session":"s","ts":"2026-01-01T00:00:00.000Z","hash_alg":"none","meta":{},"redact":{"state":[],"actions":[]},"from_seq":1,"state":{"n":0},"hash":null}'
const entry = (seq: number, extra = '') => `{"seq":${seq},"ts":"2026-01-01T00:00:00.000Z","t":${seq},"turn":"t${seq}","kind":"inc","action":{"type":"inc"}${extra}}`

function formatError(fn: () => unknown): RecordingFormatError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(RecordingFormatError)
    return error as RecordingFormatError
  }
  throw new Error('expected a RecordingFormatError')
}

describe('parseRecording', () => {
  it('reads a header, entries of every kind and @@end', () => {
    const text = [
      header,
      entry(1),
      '{"seq":2,"ts":"","t":2,"turn":null,"kind":"@@mark","label":"here"}',
      '{"seq":3,"ts":"","t":3,"turn":null,"kind":"@@checkpoint","state":{"n":1},"hash":null}',
      '{"seq":4,"ts":"","t":4,"turn":null,"kind":"@@dropped","count":2,"reason":"sink-queue-full"}',
      entry(7),
      '{"kind":"@@end","seq":8,"ts":"","t":8,"count":2,"dropped":2,"state":{"n":2},"hash":null}',
    ].join('\n')
    const rec = parseRecording(text)
    expect(rec.header.session).toBe('s')
    expect(rec.entries.map((e) => e.kind)).toEqual(['inc', '@@mark', '@@checkpoint', '@@dropped', 'inc'])
    expect(rec.end).toMatchObject({ count: 2, dropped: 2, state: { n: 2 } })
    expect(rec.warnings).toEqual(['Entries 5–6 are missing before line 6 (lost in writing).'])
  })

  it('treats a line as an action entry exactly when it has an action key, also for @@ action types', () => {
    const rec = parseRecording([header, '{"seq":1,"ts":"","t":1,"turn":"t1","kind":"@@redux-undo/UNDO","action":{"type":"@@redux-undo/UNDO"}}'].join('\n'))
    expect(rec.entries[0]).toHaveProperty('action', { type: '@@redux-undo/UNDO' })
  })

  it('in strict mode reports the line number and reason of the first bad line', () => {
    const cases: [string, string, number][] = [
      [[header, entry(1), '{not json', entry(2)].join('\n'), 'bad-json', 3],
      [[header, entry(1), entry(1)].join('\n'), 'seq-order', 3],
      [[header, '{"seq":1,"kind":"inc","action":{"payload":1}}'].join('\n'), 'bad-action', 2],
      [[header, '{"seq":"1","kind":"inc","action":{"type":"x"}}'].join('\n'), 'bad-seq', 2],
      [[header, '{"seq":1,"kind":"oops"}'].join('\n'), 'bad-entry', 2],
      [[header, '[1,2]'].join('\n'), 'bad-line', 2],
      [entry(1), 'missing-header', 1],
      ['', 'empty', 1],
      [[header, '{"kind":"@@end","seq":1,"count":0,"dropped":0,"state":null}', entry(2)].join('\n'), 'after-end', 3],
      [[header, header].join('\n'), 'unexpected-header', 2],
    ]
    for (const [text, code, line] of cases) {
      const error = formatError(() => parseRecording(text))
      expect({ code: error.code, line: error.line }).toEqual({ code, line })
      expect(error.message).toMatch(new RegExp(`^\\[redux-flight-recorder\\] Line ${line} of the recording is not valid: `))
    }
  })

  it('says a first line without `kind` is not a log line, and names the kind of an entry that came first', () => {
    expect(formatError(() => parseRecording('{"name":"my-app","version":"1.0.0"}')).message).toBe(
      '[redux-flight-recorder] Line 1 of the recording is not valid: expected the @@session header first. Instead, the first line has no `kind`: it is not a flight-recorder log line.',
    )
    expect(formatError(() => parseRecording(entry(1))).message).toMatch(/Instead, the first line has kind "inc"\.$/)
  })

  it('in tolerant mode accepts a truncated last line and says so in warnings', () => {
    const text = [header, entry(1), entry(2).slice(0, 30)].join('\n')
    expect(formatError(() => parseRecording(text)).code).toBe('bad-json')
    const rec = parseRecording(text, { strict: false })
    expect(rec.entries).toHaveLength(1)
    expect(rec.warnings).toEqual(['Line 3 was cut short (the writer stopped mid-line); it was left out.'])
    // only the last line may be cut short
    expect(formatError(() => parseRecording([header, '{"seq":', entry(2)].join('\n'), { strict: false })).line).toBe(2)
  })

  it('in tolerant mode says a whole last line (one a newline ends) that is not JSON is not JSON, with the reason, not that it was cut short', () => {
    const bad = {
      'a byte order mark in the middle': '\ufeff' + entry(2),
      'a trailing NUL': entry(2) + '\0',
      // As /tmp/accA/cases/invalidUtf8.jsonl: bytes FF FE C3 28, decoded.
      'invalid UTF-8 (decoded)': entry(2).replace('"inc"}', '"inc","x":"') + '\ufffd\ufffd\ufffd("}',
    }
    for (const [what, line] of Object.entries(bad)) {
      for (const after of ['\n', '\r\n', '\n\n', '\n  ']) {
        const rec = parseRecording([header, entry(1), line].join('\n') + after, { strict: false })
        expect(rec.entries, what).toHaveLength(1)
        expect(rec.warnings, what).toHaveLength(1)
        expect(rec.warnings[0], what).toMatch(/^Line 3 is not valid JSON \(.+\); it was left out\.$/)
        let reason = ''
        try {
          JSON.parse(line)
        } catch (error) {
          reason = (error as Error).message
        }
        expect(rec.warnings[0], what).toContain(`(${reason})`)
      }
      // Without the newline, the writer may have stopped inside it: cut short, as before.
      expect(parseRecording([header, entry(1), line].join('\n'), { strict: false }).warnings).toEqual(['Line 3 was cut short (the writer stopped mid-line); it was left out.'])
    }
  })

  it('gives a clear error for an unknown major version', () => {
    const error = formatError(() => parseRecording(header.replace('"v":1', '"v":2')))
    expect(error.code).toBe('unsupported-version')
    expect(error.message).toMatch(/format version 2; this version of redux-flight-recorder reads version 1/)
    expect(parseRecording(header.replace('"v":1', '"v":1.3')).header.v).toBe(1.3)
  })

  it('keeps a "__proto__" key as plain data (no prototype pollution)', () => {
    const text = [
      header.replace('"state":{"n":0}', '"state":{"__proto__":{"polluted":true},"n":0}'),
      entry(1, ',"__proto__":{"polluted":true}').replace('{"type":"inc"}', '{"type":"inc","payload":{"__proto__":{"polluted":true}}}'),
    ].join('\n')
    const rec = parseRecording(text)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype.hasOwnProperty.call(rec.header.state, '__proto__')).toBe(true)
    const payload = (rec.entries[0] as unknown as { action: { payload: object } }).action.payload
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype)
    expect(Object.keys(payload)).toEqual(['__proto__'])
    const again = parseRecording(encodeRecording(rec))
    expect(Object.keys((again.entries[0] as unknown as { action: { payload: object } }).action.payload)).toEqual(['__proto__'])
  })

  it('enforces the line size limit', () => {
    const big = entry(1).replace('{"type":"inc"}', `{"type":"inc","p":"${'x'.repeat(2000)}"}`)
    expect(formatError(() => parseRecording([header, big].join('\n'), { maxLineBytes: 1000 })).code).toBe('line-too-long')
    expect(parseRecording([header, big].join('\n')).entries).toHaveLength(1)
  })

  it('ignores unknown keys and unknown @@ kinds, and accepts CRLF and a trailing newline', () => {
    const rec = parseRecording([header, entry(1, ',"later":1'), '{"seq":2,"ts":"","t":1,"turn":null,"kind":"@@future","x":1}', ''].join('\r\n'))
    expect(rec.entries.map((e) => e.kind)).toEqual(['inc', '@@future'])
  })

  it('skips a byte order mark before the first line, and only there', () => {
    const rec = parseRecording(['\ufeff' + header, entry(1)].join('\r\n'))
    expect(rec.header.session).toBe('s')
    expect(rec.entries).toHaveLength(1)
    expect(parseRecording(['\ufeff' + header, entry(1)].join('\n'), { strict: false }).entries).toHaveLength(1)
    expect(formatError(() => parseRecording([header, '\ufeff' + entry(1)].join('\n'))).code).toBe('bad-json')
  })

  it('refuses a header with a `hash` but no `state`, and reads one with neither (a DevTools export without preloaded state)', () => {
    const noState = header.replace(',"state":{"n":0}', '')
    const error = formatError(() => parseRecording([noState.replace('"hash":null', '"hash":"dd714af30735d737"'), entry(1)].join('\n')))
    expect({ code: error.code, line: error.line }).toEqual({ code: 'bad-header', line: 1 })
    expect(error.message).toMatch(/the header has a `hash` but no `state`/)
    // Without a hash (null or absent) the header may leave `state` out: replay starts from the reducer's initial state.
    for (const text of [noState, noState.replace(',"hash":null', '')]) {
      const rec = parseRecording([text, entry(1)].join('\n'))
      expect(rec.header.state).toBeUndefined()
      expect(rec.header.hash).toBeNull()
    }
    const converted = fromDevToolsExport({ payload: JSON.stringify([{ type: 'inc' }]) })
    expect(converted.header.state).toBeUndefined()
    const written = encodeRecording(converted)
    expect(JSON.parse(written.split('\n')[0])).not.toHaveProperty('state')
    expect(parseRecording(written).entries).toHaveLength(1)
  })
})

describe('parseRecording on a first line whose kind cannot be shown', () => {
  it('names it without overflowing the stack (a kind nested 200,000 deep; fuzz seed 613026661)', () => {
    const deep = '{"a":'.repeat(200_000) + '1' + '}'.repeat(200_000)
    const text = `{"kind":${deep},"v":1,"session":"s"}\n`
    expect(() => parseRecording(text)).toThrow(RecordingFormatError)
    expect(() => parseRecording(text)).toThrow(/has kind \(a value JSON cannot show\)/)
  })
})

describe('encodeRecording', () => {
  it('round-trips a parsed recording', () => {
    const text = [header, entry(1), entry(2)].join('\n') + '\n'
    expect(encodeRecording(parseRecording(text))).toBe(text)
  })
})

describe('a header whose redaction lists would make replay run for minutes', () => {
  // A 170 KB log with 40,000 `**` paths took replay (and `verify`) four minutes before readers refused it.
  const withPaths = (paths: string[]) => header.replace('"redact":{"state":[],"actions":[]}', `"redact":${JSON.stringify({ state: paths, actions: [] })}`)
  it('is refused with a reason; 1000 paths of up to 1024 characters are read', () => {
    const many = Array.from({ length: 1001 }, (_, i) => `**.k${i}.**.z`)
    expect(() => parseRecording(withPaths(many) + '\n')).toThrow(/`redact.state` holds more than 1000 paths or a path longer than 1024 characters/)
    expect(() => parseRecording(withPaths(['a.'.repeat(600) + 'b']) + '\n')).toThrow(RecordingFormatError)
    expect(parseRecording(withPaths(many.slice(0, 1000)) + '\n').header.redact!.state).toHaveLength(1000)
  })

  it('recorders refuse such options, so they never write a log readers refuse', () => {
    expect(() => createFlightRecorder({ redact: { state: Array.from({ length: 1001 }, (_, i) => `a${i}`) } })).toThrow(/holds 1001 paths; at most 1000/)
    expect(() => createFlightRecorder({ redact: { actions: ['a.'.repeat(600) + 'b'] } })).toThrow(TypeError)
  })
})
