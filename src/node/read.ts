import { createInterface } from 'node:readline'
import { fileByteStream, readFileBytes } from '../internal/gzipFile'
import { FlightRecorderError, type Recording } from 'redux-flight-recorder'
import { parseRecording, replayStream, type ParseOptions, type ReplayOptions, type ReplayResult } from 'redux-flight-recorder/replay'

function checkPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(`[redux-flight-recorder] Expected a file path string. Instead, received: ${path === null ? 'null' : typeof path}.`)
  }
}

function notFound(path: string, error: unknown): never {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') throw new FlightRecorderError('not-found', `No log file at ${path}.`, { cause: error })
  throw error
}

/**
 * The lines of a log file as text, streamed (the file is never read whole). A last line a crash
 * cut short is yielded as it is: the readers it feeds (`replayStream`, `LineParser`) leave it out
 * with a warning. A file compressed with gzip is decompressed as it is read.
 */
export async function* readRecording(path: string): AsyncGenerator<string> {
  checkPath(path)
  let stream: Awaited<ReturnType<typeof fileByteStream>>['stream']
  try {
    stream = (await fileByteStream(path)).stream
  } catch (error) {
    notFound(path, error)
  }
  stream.setEncoding('utf8')
  const lines = createInterface({ input: stream, crlfDelay: Infinity })
  try {
    for await (const line of lines) yield line
  } finally {
    lines.close()
    stream.destroy()
  }
}

/** Reads a whole log file (plain or gzip) into a `Recording` (tolerant by default, like every file reader). */
export async function loadRecording(path: string, options: ParseOptions = {}): Promise<Recording> {
  checkPath(path)
  let text: string
  try {
    text = (await readFileBytes(path)).toString('utf8')
  } catch (error) {
    notFound(path, error)
  }
  return parseRecording(text, { strict: false, ...options })
}

/** Replays a log file (plain or gzip) line by line (bounded memory) and checks every step's hash. */
export async function replayFile<S = any>(path: string, options: ReplayOptions<S>): Promise<ReplayResult<S>> {
  checkPath(path)
  return replayStream(readRecording(path), options)
}
