/**
 * Splits JSONL text that arrives in chunks into lines (on `\n`), holding at most about `max`
 * characters of an unfinished line: a line that grows past the limit is reported as soon as it
 * does (`tooLong`), and the rest of it is never read into memory (a 2 GiB line, or a small gzip
 * file that expands to one, would otherwise fill the memory before its length is checked). A run
 * of empty lines is handed over as one count (`blank`), without a string per line.
 */
import { RecordingFormatError } from '../errors'

export interface LineTarget {
  /** A whole line, without its `\n`. Returns false to stop reading. */
  line(text: string): boolean
  /** `count` empty lines in a row. */
  blank(count: number): void
  /** The line being read is longer than the limit: throws. */
  tooLong(): never
}

/** What readers say of a line over the limit they stopped reading (the message after `Line N …: `). */
export function tooLongReason(max: number): string {
  return `it is longer than the limit of ${max} characters (\`maxLineBytes\`); the rest of it was not read.`
}

const NOT_NEWLINE = /[^\n]/g
const NOT_BLANK = /\S/

export class LineSplitter {
  private held: string[] = []
  private heldLength = 0
  /** The line being read is over the limit, but only whitespace so far (a blank line, however long). */
  private longBlank = false
  /** Past the limit: a byte order mark and a `\r` that the parser strips (LineParser counts neither). */
  private readonly hold: number
  /** Whether the last line handed over ended with a newline (false for one `end()` gave). */
  lastLineEnded = false

  constructor(
    max: number,
    private readonly target: LineTarget,
  ) {
    this.hold = max + 2
  }

  /** Feeds a chunk of text. Returns false once the target stopped reading. */
  push(chunk: string): boolean {
    const length = chunk.length
    let start = 0
    while (start < length) {
      const nl = chunk.indexOf('\n', start)
      if (nl === start && this.heldLength === 0 && !this.longBlank) {
        // Empty lines: the run of them at once.
        NOT_NEWLINE.lastIndex = start
        const next = NOT_NEWLINE.exec(chunk)
        const end = next === null ? length : next.index
        this.target.blank(end - start)
        this.lastLineEnded = true
        start = end
        continue
      }
      const stop = nl === -1 ? length : nl
      if (this.longBlank || this.heldLength + (stop - start) > this.hold) {
        this.overLimit(chunk, start, stop)
      } else if (stop > start) {
        this.held.push(start === 0 && stop === length ? chunk : chunk.slice(start, stop))
        this.heldLength += stop - start
      }
      if (nl === -1) return true
      start = nl + 1
      this.lastLineEnded = true
      if (!this.endLine()) return false
    }
    return true
  }

  /** After the last chunk: the last line, when the text does not end with a newline. */
  end(): boolean {
    if (this.heldLength === 0 && !this.longBlank) return true
    this.lastLineEnded = false
    return this.endLine()
  }

  /**
   * After the last chunk of text given as whole lines (an item of several lines): the last line,
   * also when it is empty.
   */
  endItem(): boolean {
    return this.endLine()
  }

  private endLine(): boolean {
    if (this.longBlank) {
      this.longBlank = false
      this.target.blank(1)
      return true
    }
    const text = this.held.length === 1 ? this.held[0] : this.held.join('')
    this.held = []
    this.heldLength = 0
    if (text === '') {
      this.target.blank(1)
      return true
    }
    return this.target.line(text)
  }

  /** The line is past the limit with `chunk[start, stop)`: fine while it is all whitespace. */
  private overLimit(chunk: string, start: number, stop: number): void {
    if (!this.longBlank) {
      for (const part of this.held) if (NOT_BLANK.test(part)) this.target.tooLong()
      this.held = []
      this.heldLength = 0
      this.longBlank = true
    }
    // Whitespace is scanned in slices, never copied whole.
    for (let at = start; at < stop; at += 1 << 16) {
      if (NOT_BLANK.test(chunk.slice(at, Math.min(stop, at + (1 << 16))))) this.target.tooLong()
    }
  }
}

/**
 * The lines of chunks of UTF-8 bytes, decoded by `decoder` (a Node `StringDecoder`) and split as
 * `LineSplitter` splits them; `blank(count)` gives the items for a run of `count` empty lines. The
 * lines before a line over `max` come first, then its `line-too-long` error. Returns whether the
 * last line ended with a newline.
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  decoder: { write(bytes: Uint8Array): string; end(): string },
  max: number,
  blank: (count: number) => string[],
): AsyncGenerator<string, boolean> {
  const lines: string[] = []
  /** Lines handed over before those in `lines`. */
  let lineNo = 0
  const splitter = new LineSplitter(max, {
    line: (text) => {
      lines.push(text)
      lineNo++
      return true
    },
    blank: (count) => {
      lines.push(...blank(count))
      lineNo += count
    },
    tooLong: () => {
      throw new RecordingFormatError('line-too-long', lineNo + 1, tooLongReason(max))
    },
  })
  /** Splits `text` (and ends the last line after it, when `last`); the lines before a line too long come first. */
  function* split(text: string, last: boolean): Generator<string> {
    let tooLong: unknown
    try {
      splitter.push(text)
      if (last) splitter.end()
    } catch (error) {
      tooLong = error
    }
    yield* lines.splice(0)
    if (tooLong !== undefined) throw tooLong
  }
  for await (const chunk of chunks) yield* split(decoder.write(chunk), false)
  yield* split(decoder.end(), true)
  return splitter.lastLineEnded
}
