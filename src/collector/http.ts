import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

// The HTTP side of the collector: errors as answers, JSON answers, bodies, query parameters.

export const BODY_TYPES = /^(text\/plain|application\/(x-ndjson|jsonl|x-jsonlines|json))\s*(;|$)/i

/** An answer other than 200: its status, a stable `code` and a full sentence. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message.startsWith('[redux-flight-recorder]') ? message : `[redux-flight-recorder] ${message}`)
  }
}

export const digest = (s: string) => createHash('sha256').update(s).digest()
/** Compares secrets in constant time (their digests, so lengths do not show). */
export const sameSecret = (given: string, expected: Buffer) => timingSafeEqual(digest(given), expected)

/** A seq in a query string: a non-negative safe integer written plainly. */
export function seqParam(url: URL, name: string): number {
  const raw = url.searchParams.get(name)
  if (raw === null || !/^(0|[1-9][0-9]{0,15})$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new HttpError(400, 'bad-range', `Expected \`${name}\` to be a non-negative integer (the seq span httpSink puts in each request). Instead, received: ${raw === null ? 'nothing' : JSON.stringify(raw.slice(0, 30))}.`)
  }
  return Number(raw)
}

/** A JSON answer (or an empty one), never cached. */
export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const text = body === undefined ? '' : JSON.stringify(body)
  res.statusCode = status
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('X-Content-Type-Options', 'nosniff')
  if (text) res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.end(text)
}


/**
 * The whole body as text, at most `maxBodyBytes`, or what a framework already read. `hold` is told
 * the bytes read so far at each chunk and throws (an `HttpError`) to stop reading.
 */
export async function readBody(req: IncomingMessage, maxBodyBytes: number, hold: (bytes: number) => void = () => {}): Promise<string> {
  const pre = (req as { body?: unknown }).body
  let bytes: Uint8Array
  if (typeof pre === 'string' || pre instanceof Uint8Array) {
    bytes = typeof pre === 'string' ? Buffer.from(pre, 'utf8') : pre
    if (bytes.length > maxBodyBytes) throw tooLarge(bytes.length, maxBodyBytes)
  } else if (pre !== undefined && !(typeof pre === 'object' && pre !== null && Object.keys(pre).length === 0)) {
    throw new HttpError(400, 'body-parsed', 'The request body was already parsed by another middleware: mount the collector before body parsers, or let them keep text bodies as text.')
  } else {
    bytes = await new Promise<Buffer>((resolve, reject) => {
      const parts: Buffer[] = []
      let total = 0
      const stop = (error?: HttpError) => {
        req.off('data', onData)
        req.off('end', onEnd)
        req.off('error', onAbort)
        req.off('close', onAbort)
        if (error) reject(error)
        else resolve(Buffer.concat(parts, total))
      }
      const onData = (chunk: Buffer) => {
        total += chunk.length
        // What is left of the body is not read here: the answer's sender discards it (see `discardRest`).
        if (total > maxBodyBytes) return stop(tooLarge(total, maxBodyBytes, true))
        try {
          hold(total)
        } catch (error) {
          return stop(error as HttpError)
        }
        parts.push(chunk)
      }
      const onEnd = () => stop()
      // The client went away mid-body (a closed tab, a dropped connection): its doing, not a fault of the collector's.
      const onAbort = () => stop(new HttpError(400, 'body-aborted', 'The request body ended early: the client closed the connection.'))
      req.on('data', onData)
      req.once('end', onEnd)
      req.once('error', onAbort)
      req.once('close', onAbort)
    })
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new HttpError(400, 'bad-utf8', 'The request body is not valid UTF-8: expected JSONL text.')
  }
}

export function tooLarge(bytes: number, maxBodyBytes: number, soFar = false): HttpError {
  const size = soFar ? `over ${bytes} bytes so far` : `${bytes} bytes`
  return new HttpError(413, 'body-too-large', `The request body is ${size}, over the limit of ${maxBodyBytes} (\`limits.maxBodyBytes\`).`)
}

/** How much of a refused request's body is read and thrown away, so its client reads the answer. */
export const DISCARD_BYTES = 16 * 1024 * 1024

/**
 * After an answer sent before the request's body was read to its end (a refusal): the rest of the
 * body is read and thrown away, up to `DISCARD_BYTES`, so the client, still sending, is not reset
 * and reads the answer; the connection then serves its next request. A body longer than that (its
 * Content-Length says so, or it goes on) is cut off: the connection is closed once answered.
 */
export function discardRest(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete || req.destroyed) return
  const declared = Number(req.headers['content-length'])
  let left = DISCARD_BYTES
  const cut = () => {
    if (res.writableFinished) req.destroy()
    else res.once('finish', () => req.destroy())
  }
  if (declared > left) return cut()
  const onData = (chunk: Buffer) => {
    left -= chunk.length
    if (left < 0) {
      req.off('data', onData)
      cut()
    }
  }
  req.on('data', onData)
  req.resume()
}

export function timeParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name)
  if (raw === null) return undefined
  const t = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw)
  if (!Number.isFinite(t)) throw new HttpError(400, 'bad-time', `Expected \`${name}\` to be an RFC 3339 time or epoch milliseconds. Instead, received: ${JSON.stringify(raw.slice(0, 40))}.`)
  return t
}

