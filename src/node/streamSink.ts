import { closeSync, openSync, writeSync as fsWriteSync } from 'node:fs'
import type { Writable } from 'node:stream'
import type { Sink } from 'redux-flight-recorder'

export interface StreamSinkOptions {
  /**
   * End the stream when the recorder closes.
   * @default true, except for `process.stdout` and `process.stderr`
   */
  end?: boolean
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text)
  let off = 0
  while (off < buf.length) off += fsWriteSync(fd, buf, off, buf.length - off)
}

function isStdio(stream: unknown): boolean {
  return stream === process.stdout || stream === process.stderr
}

/**
 * A sink that writes the log to any writable stream: `process.stdout`, a socket, a
 * `fs.createWriteStream`, a compression stream. Each write waits for the stream to take the
 * chunk (backpressure), one at a time. On exit and signals (`recordProcessLifecycle`) a stream
 * with a file descriptor and nothing buffered is written synchronously; otherwise the lines are
 * handed to the stream, best effort. A stream error is reported through the recorder's `onError`
 * and never crashes the process.
 *
 * @example
 * const recorder = createFlightRecorder({ sinks: [streamSink(process.stdout)] })
 * recordProcessLifecycle(recorder)
 */
export function streamSink(writable: Writable | NodeJS.WritableStream, options: StreamSinkOptions = {}): Sink {
  const stream = writable as Writable
  if (!stream || typeof stream.write !== 'function' || typeof stream.on !== 'function') {
    throw new TypeError('[redux-flight-recorder] Expected `streamSink` to receive a writable stream.')
  }
  const end = options.end ?? !isStdio(stream)
  let lastError: Error | undefined
  /** writeSync opened the file of an fs.WriteStream that had not opened it yet (see writeSync). */
  let openedAtExit = false
  const onError = (error: Error) => {
    lastError = error
  }
  stream.on('error', onError)
  const broken = () => lastError ?? (stream.destroyed || stream.writableEnded ? new Error('The stream was closed.') : undefined)

  return {
    write(lines) {
      if (lines.length === 0) return
      const failure = broken()
      if (failure) throw new Error(`[redux-flight-recorder] Could not write to the stream: ${failure.message}`, { cause: failure })
      const chunk = lines.join('\n') + '\n'
      return new Promise<void>((resolve, reject) => {
        stream.write(chunk, (error) => {
          if (error) reject(new Error(`[redux-flight-recorder] Could not write to the stream: ${error.message}`, { cause: error }))
          else resolve()
        })
      })
    },
    writeSync(lines) {
      if (lines.length === 0) return
      const failure = broken()
      if (failure) throw new Error(`[redux-flight-recorder] Could not write to the stream: ${failure.message}`, { cause: failure })
      const chunk = lines.join('\n') + '\n'
      const file = stream as { fd?: unknown; pending?: unknown; path?: unknown; flags?: unknown }
      // Written directly only when nothing is queued in the stream, so lines stay in order.
      if (stream.writableLength === 0 && typeof file.fd === 'number') writeAll(file.fd, chunk)
      else if (stream.writableLength === 0 && file.pending === true && typeof file.path === 'string') {
        // An fs.WriteStream that has not opened its file yet (an exit right after start): opened
        // here, as the stream would have, since no event loop turn will open it now.
        // A later synchronous write (the exit flush writes twice: the lines, then the exit entry)
        // appends to what this one wrote instead of truncating it again.
        const fd = openSync(file.path, openedAtExit ? 'a' : typeof file.flags === 'string' ? file.flags : 'w')
        openedAtExit = true
        try {
          writeAll(fd, chunk)
        } finally {
          closeSync(fd)
        }
      } else {
        stream.write(chunk)
      }
    },
    close() {
      if (!end) {
        stream.off('error', onError)
        return
      }
      return new Promise<void>((resolve) => {
        if (stream.writableEnded || stream.destroyed) {
          stream.off('error', onError)
          resolve()
          return
        }
        stream.end(() => {
          stream.off('error', onError)
          resolve()
        })
      })
    },
  }
}
