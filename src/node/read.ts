import { StringDecoder } from 'node:string_decoder'
import { fileByteStream, gzipFault, gzipFaultMessage, gzipFaultOf, readFileBytes, type GzipFault } from '../internal/gzipFile'
import { splitLines } from '../format/index.js'
import type { Recording } from 'redux-flight-recorder'
import { FlightRecorderError, RecordingFormatError } from '../errors'
import { LineParser, parseRecording, replayStream, type ParseOptions, type ReplayOptions, type ReplayResult } from 'redux-flight-recorder/replay'

function checkPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(`[redux-flight-recorder] Expected a file path string. Instead, received: ${path === null ? 'null' : typeof path}.`)
  }
}

/** The error for a .gz log with a fault (`gzipFault`): `gzip-damaged` or `gzip-cut-off`. */
function gzipError(path: string, fault: GzipFault, error: unknown): FlightRecorderError {
  return new FlightRecorderError(`gzip-${fault}`, gzipFaultMessage(path, fault), { cause: error })
}

/**
 * What reading a .gz log failed on, said of the file: a damaged file (zlib's own error, or what its
 * corrupt data decompressed to read as: a line that is not JSON), or one cut off before its first
 * line was whole (read as an empty log or a header cut short). Otherwise the error as it was.
 */
async function ofGzip(path: string, error: unknown): Promise<unknown> {
  const fault = gzipFaultOf(error) ?? (error instanceof RecordingFormatError ? await gzipFault(path) : undefined)
  if (fault === 'damaged') return gzipError(path, fault, error)
  if (fault === 'cut-off' && (error as RecordingFormatError).line === 1) return gzipError(path, fault, error)
  return error
}

function notFound(path: string, error: unknown): never {
  const zlib = gzipFaultOf(error)
  if (zlib) throw gzipError(path, zlib, error)
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') throw new FlightRecorderError('not-found', `No log file at ${path}.`, { cause: error })
  if (code === 'too-large') {
    throw new FlightRecorderError('too-large', `Cannot load ${path}: ${(error as Error).message}. Read it line by line with replayFile(path, …) or readRecording(path).`, { cause: error })
  }
  throw error
}

/** A log file's bytes, decompressed when it is gzip, streamed (the file is never read whole). */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  let stream: Awaited<ReturnType<typeof fileByteStream>>['stream']
  try {
    stream = (await fileByteStream(path)).stream
  } catch (error) {
    notFound(path, error)
  }
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk
  } catch (error) {
    const fault = gzipFaultOf(error)
    throw fault ? gzipError(path, fault, error) : error
  } finally {
    stream.destroy()
  }
}

/**
 * The lines of a log file as text, streamed (the file is never read whole). A last line a crash
 * cut short is yielded as it is: the readers it feeds (`replayStream`, `LineParser`) leave it out
 * with a warning. A file compressed with gzip is decompressed as it is read. A line longer than
 * `maxLineBytes` (64 MiB by default) throws a `RecordingFormatError` (`line-too-long`) as soon as
 * it passes the limit: the rest of it is not read.
 */
export async function* readRecording(path: string, options: Pick<ParseOptions, 'maxLineBytes'> = {}): AsyncGenerator<string> {
  checkPath(path)
  const max = new LineParser({ maxLineBytes: options?.maxLineBytes }).maxLineBytes
  yield* splitLines(fileChunks(path), new StringDecoder('utf8'), max, (count) => new Array<string>(count).fill(''))
}

/**
 * Reads a whole log file (plain or gzip) into a `Recording` (tolerant by default, like every file
 * reader). A file that holds more than JavaScript's longest string (512 MiB in Node 20), once
 * decompressed, throws a `FlightRecorderError` (`too-large`) without being inflated past that:
 * `replayFile` and `readRecording` read any size line by line. A damaged .gz file (its compressed
 * data fails gzip's checks) throws a `FlightRecorderError` `gzip-damaged`, here and in `replayFile`
 * and `readRecording`; one cut off before its first line is whole, `gzip-cut-off` (one cut off
 * later is read as far as it goes, with a warning).
 */
export async function loadRecording(path: string, options: ParseOptions = {}): Promise<Recording> {
  checkPath(path)
  let text: string
  try {
    text = (await readFileBytes(path)).toString('utf8')
  } catch (error) {
    notFound(path, error)
  }
  try {
    return parseRecording(text, { strict: false, ...options })
  } catch (error) {
    throw await ofGzip(path, error)
  }
}

/** Replays a log file (plain or gzip) line by line (bounded memory) and checks every step's hash. */
export async function replayFile<S = any>(path: string, options: ReplayOptions<S>): Promise<ReplayResult<S>> {
  checkPath(path)
  // The file's bytes, not its lines: replayStream splits them itself, holding no line over
  // \`maxLineBytes\` and taking a run of empty lines at once.
  let result: ReplayResult<S>
  try {
    result = await replayStream(fileChunks(path), options)
  } catch (error) {
    throw await ofGzip(path, error)
  }
  // A replay that stopped early did not read a damaged .gz file's end, where gzip's check fails:
  // what it diverged on may be the damage.
  if (!result.ok && (await gzipFault(path)) === 'damaged') throw gzipError(path, 'damaged', undefined)
  return result
}
