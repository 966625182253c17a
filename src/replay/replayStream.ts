import type { EndEntry } from 'redux-flight-recorder'
import { FlightRecorderError } from '../errors'
import { LineParser, LineSplitter } from '../format/index.js'
import { describe } from '../internal/describe'
import { Utf8Decoder } from '../internal/utf8Decoder'
import { Replayer } from './replayer'
import { StoreTimers } from './timers'
import type { ReplayResult, ReplayStreamOptions } from './types'

/**
 * Replays a log from an (async) iterable of lines, of chunks of JSONL text (strings or UTF-8
 * bytes), or of parsed entries with the header first — holding one line at a time, so logs larger
 * than memory replay in bounded memory. Gives the same result as `replay` on the same log.
 *
 * As with `replay`, the timers the `createStore` store starts while it replays are cleared when
 * the replay ends (what the store starts in between, while the source is awaited, is not noted).
 *
 * @example
 * import { readRecording } from 'redux-flight-recorder/node'
 * const result = await replayStream(readRecording('session.jsonl'), { reducer })
 */
export async function replayStream<S = any>(
  source: AsyncIterable<string | Uint8Array | object> | Iterable<string | Uint8Array | object>,
  options: ReplayStreamOptions<S>,
): Promise<ReplayResult<S>> {
  if (!source || (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function' && typeof (source as Iterable<unknown>)[Symbol.iterator] !== 'function')) {
    throw new TypeError(`[redux-flight-recorder] Expected an (async) iterable of lines or entries. Instead, received: ${describe(source)}.`)
  }
  const input = options.input ?? 'auto'
  if (input !== 'auto' && input !== 'lines' && input !== 'text') {
    throw new TypeError(`[redux-flight-recorder] Expected \`input\` to be 'auto', 'lines' or 'text'. Instead, received: ${describe(input)}.`)
  }
  const timers = options.createStore !== undefined ? new StoreTimers() : undefined
  try {
    return await replayWith(source, timers ? timers.wrap(options) : options, input, timers)
  } finally {
    timers?.end()
  }
}

async function replayWith<S>(
  source: AsyncIterable<string | Uint8Array | object> | Iterable<string | Uint8Array | object>,
  options: ReplayStreamOptions<S>,
  input: 'auto' | 'lines' | 'text',
  timers: StoreTimers | undefined,
): Promise<ReplayResult<S>> {
  const replayer = new Replayer(options)
  const parser = new LineParser({ strict: false, ...options.parse })
  parser.fast = true
  let end: EndEntry | undefined
  let textMode: boolean | undefined = input === 'auto' ? undefined : input === 'text'
  let decoder: { decode(bytes?: Uint8Array, options?: { stream?: boolean }): string } | undefined
  /** Returns false once replay is finished. */
  const feed = (line: string): boolean => {
    const parsed = parser.line(line)
    if (!parsed) return true
    if (parsed.type === 'header') {
      replayer.begin(parsed.header)
      return !replayer.finished
    }
    if (parsed.type === 'end') {
      end = parsed.end
      return true
    }
    return replayer.entry(parsed.entry)
  }
  // JSONL text split anywhere: the unfinished last line waits in the splitter, which stops at a
  // line over `maxLineBytes` instead of holding it whole.
  const splitter = new LineSplitter(parser.maxLineBytes, {
    line: feed,
    blank: (count) => parser.blankLines(count),
    tooLong: () => parser.lineTooLong(),
  })
  const feedText = (chunk: string): boolean => splitter.push(chunk)
  for await (const item of source as AsyncIterable<string | Uint8Array | object>) {
    // (Entered only while replay runs: the source's own code, awaited, starts timers of its own.)
    timers?.enter()
    try {
      if (!step(item)) break
    } finally {
      timers?.leave()
    }
  }
  timers?.enter()
  if (!replayer.finished) {
    if (decoder) splitter.push(decoder.decode())
    splitter.end()
    parser.finish(splitter.lastLineEnded)
  }
  if (!parser.header) throw new FlightRecorderError('empty', 'The log is empty: expected an @@session header line.')
  replayer.warnings.unshift(...parser.warnings)
  replayer.end(end)
  return replayer.result() as ReplayResult<S>

  /** Returns false once replay is finished. */
  function step(item: string | Uint8Array | object): boolean {
    let going: boolean
    if (typeof item === 'string') {
      if (textMode === undefined) textMode = item.includes('\n')
      if (textMode) going = feedText(item)
      else if (item.includes('\n')) {
        // Line mode: an item holding newlines is several whole lines.
        going = splitter.push(item) && splitter.endItem()
      } else going = feed(item)
    } else if (ArrayBuffer.isView(item)) {
      // Not `instanceof Uint8Array`: a Node Buffer under Jest's jsdom environment comes from another
      // realm. Nor the global TextDecoder alone: that environment has none.
      decoder ??= typeof TextDecoder === 'function' ? new TextDecoder('utf-8') : new Utf8Decoder()
      going = feedText(decoder.decode(new Uint8Array(item.buffer, item.byteOffset, item.byteLength), { stream: true }))
    } else if (typeof item === 'object' && item !== null) {
      // Parsed entries go through the same checks as text.
      if (!splitter.end()) return false
      going = feed(JSON.stringify(item))
    } else {
      throw new TypeError(`[redux-flight-recorder] Expected lines, text chunks or entry objects from the iterable. Instead, received: ${describe(item)}.`)
    }
    return going
  }
}
