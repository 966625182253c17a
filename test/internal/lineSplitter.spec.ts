// The bounded line splitter behind every streaming reader (replayStream, readRecording, the CLI):
// it gives a LineParser what splitting the whole text on '\n' gives, and never holds more than
// about `maxLineBytes` characters of a line.
import { describe, expect, it } from 'vitest'
import { RecordingFormatError } from 'redux-flight-recorder'
import { LineParser, parseRecording, replayStream } from 'redux-flight-recorder/replay'
import { LineSplitter } from '../../src/internal/lineSplitter'

const header = JSON.stringify({ kind: '@@session', v: 1, session: 's1', ts: '', hash_alg: 'fr64', meta: {}, from_seq: 1, state: { n: 0 } })
const entry = (seq: number, extra = '') => `{"seq":${seq},"ts":"","t":0,"turn":null,"kind":"inc","action":{"type":"inc"${extra}}}`
const reducer = (state = { n: 0 }, action: { type: string }) => (action.type === 'inc' ? { n: state.n + 1 } : state)

/** What the parser makes of `text` fed through the splitter in chunks of `size`. */
function split(text: string, size: number, maxLineBytes: number) {
  const parser = new LineParser({ strict: false, maxLineBytes })
  const seqs: number[] = []
  const splitter = new LineSplitter(parser.maxLineBytes, {
    line: (line) => {
      const parsed = parser.line(line)
      if (parsed?.type === 'entry') seqs.push(parsed.entry.seq)
      return true
    },
    blank: (count) => parser.blankLines(count),
    tooLong: () => parser.lineTooLong(),
  })
  try {
    for (let at = 0; at < text.length; at += size) splitter.push(text.slice(at, at + size))
    splitter.end()
    parser.finish()
    return { seqs, warnings: parser.warnings, lineNo: parser.lineNo }
  } catch (error) {
    return { code: (error as RecordingFormatError).code, line: (error as RecordingFormatError).line }
  }
}

function whole(text: string, maxLineBytes: number) {
  try {
    const rec = parseRecording(text, { strict: false, maxLineBytes })
    return { seqs: rec.entries.map((e) => e.seq), warnings: rec.warnings }
  } catch (error) {
    return { code: (error as RecordingFormatError).code, line: (error as RecordingFormatError).line }
  }
}

describe('LineSplitter', () => {
  it('gives the parser what the whole text gives, however the text is cut into chunks', () => {
    const long = entry(2, `,"p":"${'x'.repeat(300)}"`)
    const texts = [
      [header, entry(1), entry(2), ''].join('\n'),
      [header, '', '', '', entry(1), '', entry(2)].join('\n'),
      '\n\n\n' + [header, entry(1)].join('\n'),
      '\ufeff' + [header, entry(1), entry(2), ''].join('\r\n'),
      [header, entry(1), long, entry(3), ''].join('\n'),
      [header, entry(1), ' '.repeat(1000), '\t \r', entry(2), ''].join('\n'),
      [header, entry(1), 'not json', entry(2), ''].join('\n'),
      [header, entry(1), 'not json', long, ''].join('\n'),
      [header, entry(1), entry(2, `,"p":"${'x'.repeat(400 - entry(2).length - 8)}"`) + '\r', ''].join('\n'),
      [header, entry(1), '{"seq":2,"ts":"', ''].join('\n').slice(0, -1),
      '',
      '\n\n',
    ]
    for (const text of texts) {
      for (const max of [400, 1_000_000]) {
        const expected = whole(text, max)
        for (const size of [1, 2, 7, 64, 1000, text.length + 1]) {
          const got = split(text, size, max)
          if ('lineNo' in got) delete (got as { lineNo?: number }).lineNo
          // (The whole-text reader counts the nothing after a last newline as a line, the streaming ones do not.)
          if (got.code === 'empty') delete (got as { line?: number }).line, delete (expected as { line?: number }).line
          expect(got, `${JSON.stringify(text.slice(0, 60))} max ${max} size ${size}`).toEqual(expected)
        }
      }
    }
  })

  it('stops at a line as soon as it passes the limit, holding no more of it, and takes a blank line of any length as blank', () => {
    const max = 1000
    const parser = new LineParser({ strict: false, maxLineBytes: max })
    let held = 0
    const splitter = new LineSplitter(max, { line: (l) => (parser.line(l), true), blank: (n) => parser.blankLines(n), tooLong: () => parser.lineTooLong() })
    splitter.push(header + '\n' + ' '.repeat(10 * max) + '\n' + '\n'.repeat(5000))
    expect(parser.lineNo).toBe(5002)
    let pushed = 0
    const error = (() => {
      try {
        splitter.push('{"seq":1,"ts":"","t":0,"turn":null,"kind":"inc","action":{"type":"inc","p":"')
        for (; pushed < 100_000; pushed++) {
          splitter.push('x'.repeat(10))
          held += 10
        }
      } catch (e) {
        return e as RecordingFormatError
      }
    })()
    expect(error).toBeInstanceOf(RecordingFormatError)
    expect(error!.code).toBe('line-too-long')
    expect(error!.line).toBe(5003)
    expect(error!.message).toContain('longer than the limit of 1000 characters')
    // Stopped within a chunk of the limit (plus the \r and byte order mark the parser strips).
    expect(held).toBeLessThanOrEqual(max)
  })
})

describe('replayStream over text chunks', () => {
  it('reports a line over the limit as soon as it passes it, without pulling the rest of it', async () => {
    let pulled = 0
    function* source() {
      yield header + '\n' + entry(1) + '\n' + '{"seq":2,"ts":"","t":0,"turn":null,"kind":"inc","action":{"type":"inc","p":"'
      for (let i = 0; i < 1_000_000; i++) {
        pulled++
        yield new TextEncoder().encode('x'.repeat(100))
      }
      yield '"}}\n'
    }
    await expect(replayStream(source(), { reducer, parse: { maxLineBytes: 10_000 } })).rejects.toMatchObject({ code: 'line-too-long', line: 3 })
    expect(pulled).toBeLessThanOrEqual(10_000 / 100 + 1)
  })

  it('reads a run of empty lines as that many lines', async () => {
    const text = [header, entry(1), '\n'.repeat(100_000) + 'not json', entry(3), ''].join('\n')
    await expect(replayStream([text], { reducer })).rejects.toMatchObject({ code: 'bad-json', line: 100_003 })
    // The same given as whole lines (an item of several lines).
    await expect(replayStream([header, entry(1), '\n'.repeat(99_999), 'not json', entry(3)], { reducer, input: 'lines' })).rejects.toMatchObject({ code: 'bad-json', line: 100_003 })
  })
})
