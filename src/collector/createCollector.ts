import type { IncomingMessage, ServerResponse } from 'node:http'
import { assembleLines, gapsOf, linesBySeq, type Gap } from './assemble'
import { fileStore } from './fileStore'
import { BODY_TYPES, HttpError, digest, discardRest, readBody, sameSecret, send, seqParam, timeParam, tooLarge } from './http'
import { RateLimiter, type RateLimit } from './rateLimiter'
import { isSessionId, sessionIdProblem } from './sessionId'
import type { BatchInfo, CollectorStore, StoredSession } from './types'
import { BatchError, validateBatch, type HeaderSummary, type ValidBatch } from './validateBatch'
import { positiveOption } from '../internal/numbers'

export interface CollectorLimits {
  /** Largest request body. httpSink sends at most 60 KiB, except a single larger line (a big header or checkpoint). @default 4 MiB */
  maxBodyBytes?: number
  /**
   * Bytes of a session the collector keeps: its newest lines. Once the batches since the session's
   * last part pass half of it, the collector asks the page for a header (`Flight-Recorder-Header:
   * missing`, which httpSink answers with its state); that header starts a new part and the part
   * before the previous one is dropped, so the log is served from a header at most this far back
   * and names what was dropped (`Flight-Recorder-Dropped`). A batch larger than it, or lines past it
   * since the last part from a sender that sends no header, are refused (413 `session-too-large`),
   * and so is everything past it with a store without parts (`CollectorStore.putPart`). @default 64 MiB
   */
  maxSessionBytes?: number
  /**
   * Most request-body bytes held at once, across all requests: a request whose body would go over
   * it gets `503 server-busy` with `Retry-After` before more of its body is read (httpSink retries
   * it). A body declared by Content-Length counts in full from its headers on, a chunked one as it
   * is read; each counts until its batch is stored or refused. Without it, many clients each
   * sending a body under `maxBodyBytes` and stalling would make the server hold them all.
   * @default 64 MiB
   */
  maxBufferedBytes?: number
  /** Requests per client (see `clientId`). @default { requests: 600, perMs: 60_000 } */
  client?: RateLimit
  /** Ingest requests per session. @default { requests: 300, perMs: 60_000 } */
  session?: RateLimit
}

export interface CollectorRetention {
  /** Sessions whose last batch is older than this are deleted. */
  maxAgeMs?: number
  /** Beyond this many sessions, the ones written to least recently are deleted. */
  maxSessions?: number
  /** How often retention runs (timer `unref`'d); `0`: only when `prune()` is called. @default 60_000 */
  intervalMs?: number
}

export interface CollectorOptions {
  /** Where sessions go. @default fileStore('sessions') */
  store?: CollectorStore
  /**
   * The key an ingest request must carry, as the `key` query parameter of the URL given to
   * `httpSink` (beacons cannot send headers) or an `X-Flight-Recorder-Key` header. Several keys
   * let one be rotated. Browsers cannot keep secrets: the key tells your pages from others' only
   * together with `allowedOrigins`. Without it, anyone may send sessions. Each key has at least
   * 8 characters.
   */
  ingestKey?: string | string[]
  /** The bearer token of reads and deletes (`Authorization: Bearer …`). Without it, those routes answer 403. */
  adminToken?: string
  /**
   * Origins whose pages may send sessions (CORS), such as `'https://shop.example'`; `'*'` for any.
   * Requests without an `Origin` (servers, curl) always may; requests from the collector's own
   * origin (the request's `Host`) only while the list is empty, since the `Host` header is the
   * client's to say (DNS rebinding): with a list, put the collector's own origin on it if pages
   * there send sessions or read them.
   * @default []
   */
  allowedOrigins?: string[] | '*'
  /** The path the collector is served under when the server does not strip it (Fastify, node:http): `'/flight'`. @default '' */
  basePath?: string
  limits?: CollectorLimits
  retention?: CollectorRetention
  /** Who a request comes from, for the per-client rate limit. Behind a trusted proxy, read its header. @default the socket's address */
  clientId?: (req: IncomingMessage) => string
  /** Receives store failures and other faults (the request gets a 5xx). @default console.warn */
  onError?: (error: unknown) => void
  /** Epoch ms, for tests. */
  now?: () => number
}

/** A `(req, res)` handler for node:http, Express (`app.use('/flight', collector)`) and Fastify. */
export interface Collector {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void
  readonly store: CollectorStore
  /** Applies retention now; resolves with the ids deleted. */
  prune(): Promise<string[]>
  /** Stops the retention timer. */
  close(): void
}

/** A session as `GET /sessions` lists it. */
export interface SessionListing {
  id: string
  app: string | null
  meta: Record<string, string>
  /** The header's `ts`, or when the first batch was stored (no header yet). */
  started: string
  lastStoredAt: string
  bytes: number
  batches: number
  hasHeader: boolean
  /**
   * The seq the assembled log starts at: the header's `from_seq` (1 for a session recorded from its
   * start), or later once the collector dropped the session's older lines (see `limits.maxSessionBytes`).
   */
  fromSeq: number
}

const KIB = 1024
const DEFAULT_LIMITS = {
  maxBodyBytes: 4 * KIB * KIB,
  maxSessionBytes: 64 * KIB * KIB,
  maxBufferedBytes: 64 * KIB * KIB,
  client: { requests: 600, perMs: 60_000 },
  session: { requests: 300, perMs: 60_000 },
}
const KNOWN_SESSIONS = 10_000

/** How many batches' digests a session keeps (see `SessionState.digests`). */
const RECENT_DIGESTS = 64

/** Keeps `digest` as the newest of the session's digests. */
function remember(state: SessionState, piece: string, digest: string): void {
  state.digests.delete(piece)
  state.digests.set(piece, digest)
  if (state.digests.size > RECENT_DIGESTS) state.digests.delete(state.digests.keys().next().value!)
}

/** Whether a batch of exactly `from`–`to` is among the session's stored ones. */
function storedExactly(state: SessionState, from: number, to: number): boolean {
  if (from > state.maxTo) return false
  const r = state.ranges
  for (let i = 0; i < r.length; i += 2) if (r[i] === from && r[i + 1] === to) return true
  return false
}

/** A batch's content, to know an exact retry by. */
const digestOf = (text: string): string => digest(text).toString('base64')

/** What a collector knows of a session it has seen. */
interface SessionState {
  bytes: number
  /**
   * The `from` and `to` of each stored batch, a pair each (numbers: as `from-to` strings, with the
   * digests of all of them, a session of 15,000 batches kept 3.5 MB here).
   */
  ranges: number[]
  /**
   * The largest `to` in `ranges`: a batch that starts after it overlaps no stored batch, and is
   * stored without a walk of `ranges` (a page's batches come in order: at 15,000 batches that walk
   * had made the collector's CPU per batch 2.1–2.3 ms instead of 0.7–0.9 ms).
   */
  maxTo: number
  /**
   * The SHA-1 of the newest batches this collector stored (or found stored), by `from-to`: an
   * exact retry of one is answered from it, without reading the stored batch back (an S3 GET per
   * retry). Retries come soon; an older batch sent again is read and compared.
   */
  digests: Map<string, string>
  header: boolean
  end: number | undefined
  /** The batch being stored: the next waits for it. */
  turn: Promise<unknown>
  /** The `from_seq` of the session's stored part headers (see `CollectorStore.putPart`), ascending. */
  parts: number[]
  /** The first seq of the newest part, whose batches count against `maxSessionBytes` (0: the session has one part). */
  cut: number
  /** The lines before this seq were dropped with an older part (0: none were). */
  dropped: number
  /** `bytes` when last read from the store (the batches other collectors sharing it stored are counted then). */
  read: number
}

/** What a collector reads of a session from its store (see `SessionState`). */
type Stored = Pick<SessionState, 'bytes' | 'ranges' | 'maxTo' | 'parts' | 'cut' | 'dropped' | 'read'>


function positiveNumber(name: string, value: unknown, fallback: number): number {
  return positiveOption(name, value) ?? fallback
}

function rateLimit(name: string, value: RateLimit | undefined, fallback: RateLimit): RateLimit {
  if (value === undefined) return fallback
  return { requests: positiveNumber(`${name}.requests`, value.requests, 0), perMs: positiveNumber(`${name}.perMs`, value.perMs, 0) }
}

function secrets(name: string, value: string | string[] | undefined): Buffer[] {
  if (value === undefined) return []
  const list = Array.isArray(value) ? value : [value]
  for (const s of list) {
    if (typeof s !== 'string' || s.length < 8) throw new TypeError(`[redux-flight-recorder] Expected \`${name}\` to be a string of at least 8 characters.`)
  }
  return list.map(digest)
}

/**
 * Sessions by their last write, newest first; those written in the same clock tick (a file's mtime
 * is as coarse as the kernel's tick, a few ms) by id, so that the order, and so each page of the
 * list, is the same from one request to the next.
 */
const newestFirst = (a: StoredSession, b: StoredSession): number => b.lastStoredAt - a.lastStoredAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

/**
 * Creates the collector: a `(req, res)` handler that receives what `httpSink` sends and serves the
 * assembled sessions.
 *
 * Routes, under `basePath`:
 * - `POST /` or `POST /ingest?session=…&from=…&to=…[&key=…]`: one batch (JSONL), as httpSink sends it;
 * - `GET /sessions[?app=…&since=…&until=…&limit=…]`: the sessions, newest first (admin);
 * - `GET /sessions/<id>`: the assembled log, JSONL, which `flight-recorder verify` reads (admin);
 * - `DELETE /sessions/<id>` (admin).
 *
 * @example
 * const collector = createCollector({ store: fileStore('sessions'), ingestKey, adminToken, allowedOrigins: ['https://shop.example'] })
 * http.createServer(collector).listen(8787)
 */
export function createCollector(options: CollectorOptions = {}): Collector {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('[redux-flight-recorder] Expected the options of createCollector to be an object.')
  }
  const store = options.store ?? fileStore('sessions')
  const ingestKeys = secrets('ingestKey', options.ingestKey)
  const adminToken = secrets('adminToken', options.adminToken)[0]
  const origins = options.allowedOrigins ?? []
  if (origins !== '*' && !(Array.isArray(origins) && origins.every((o) => typeof o === 'string'))) {
    throw new TypeError("[redux-flight-recorder] Expected `allowedOrigins` to be an array of origins or '*'.")
  }
  const allowed = origins === '*' ? '*' : new Set(origins.map((o) => o.replace(/\/+$/, '').toLowerCase()))
  const basePath = (options.basePath ?? '').replace(/\/+$/, '')
  const limits = options.limits ?? {}
  const maxBodyBytes = positiveNumber('limits.maxBodyBytes', limits.maxBodyBytes, DEFAULT_LIMITS.maxBodyBytes)
  const maxSessionBytes = positiveNumber('limits.maxSessionBytes', limits.maxSessionBytes, DEFAULT_LIMITS.maxSessionBytes)
  const maxBufferedBytes = positiveNumber('limits.maxBufferedBytes', limits.maxBufferedBytes, DEFAULT_LIMITS.maxBufferedBytes)
  /** Request-body bytes held now, across requests (see `maxBufferedBytes`). */
  let buffered = 0
  const now = options.now ?? Date.now
  const clientLimiter = new RateLimiter(rateLimit('limits.client', limits.client, DEFAULT_LIMITS.client), now)
  const sessionLimiter = new RateLimiter(rateLimit('limits.session', limits.session, DEFAULT_LIMITS.session), now)
  const clientId = options.clientId ?? ((req: IncomingMessage) => req.socket?.remoteAddress ?? 'unknown')
  const onError =
    options.onError ??
    ((error: unknown) => {
      console.warn('[redux-flight-recorder] The collector failed:', error)
    })
  const retention = options.retention ?? {}
  const maxAgeMs = retention.maxAgeMs === undefined ? undefined : positiveNumber('retention.maxAgeMs', retention.maxAgeMs, 0)
  const maxSessions = retention.maxSessions === undefined ? undefined : positiveNumber('retention.maxSessions', retention.maxSessions, 0)

  /** What this collector knows of sessions it has seen: bytes and ranges stored. Bounded (LRU). */
  const known = new Map<string, Promise<SessionState>>()
  /** The store keeps parts: a session past `maxSessionBytes` keeps its newest lines (see `storePart`). */
  const cuts = !!(store.putPart && store.listParts && store.readPart && store.dropBefore)

  async function loadStored(session: string): Promise<Stored> {
    const [batches, parts] = await Promise.all([store.listBatches(session), cuts ? store.listParts!(session) : []])
    parts.sort((a, b) => a - b)
    const cut = parts.length > 0 ? parts[parts.length - 1] : 0
    const bytes = batches.reduce((n, b) => (b.to >= cut ? n + b.bytes : n), 0)
    return {
      bytes,
      read: bytes,
      ranges: batches.flatMap((b) => [b.from, b.to]),
      maxTo: batches.reduce((m, b) => Math.max(m, b.to), -1),
      parts,
      cut,
      dropped: parts.length > 1 ? parts[parts.length - 2] : 0,
    }
  }

  /** Reads again what the store holds of a session (another collector sharing it may have cut it). */
  async function refresh(session: string, state: SessionState): Promise<void> {
    Object.assign(state, await loadStored(session))
  }

  function sessionState(session: string) {
    let state = known.get(session)
    if (state) {
      known.delete(session)
    } else {
      state = loadStored(session).then(
        (stored): SessionState => ({ ...stored, digests: new Map(), header: false, end: undefined, turn: Promise.resolve() }),
      )
      state.catch(() => known.delete(session))
      if (known.size >= KNOWN_SESSIONS) known.delete(known.keys().next().value!)
    }
    known.set(session, state)
    return state
  }

  // --- CORS --------------------------------------------------------------------------------------

  function originAllowed(req: IncomingMessage, origin: string): boolean {
    if (allowed === '*') return true
    const o = origin.toLowerCase()
    if (allowed.has(o)) return true
    // The collector's own origin, only while no origin is listed: the Host header is the client's
    // to say (a page on a rebound DNS name sends its own), so it never widens a list.
    if (allowed.size > 0) return false
    const host = req.headers.host
    const scheme = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http'
    return host !== undefined && o === `${scheme}://${host.toLowerCase()}`
  }

  /** Checks the Origin and sets the CORS headers; throws 403 for an origin not allowed. */
  function cors(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('Vary', 'Origin')
    const origin = req.headers.origin
    if (origin === undefined) return
    if (!originAllowed(req, origin)) {
      throw new HttpError(403, 'origin-not-allowed', `Requests from the origin ${JSON.stringify(origin.slice(0, 100))} are not allowed: add it to \`allowedOrigins\`.`)
    }
    res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Access-Control-Expose-Headers', 'Flight-Recorder-Gaps, Flight-Recorder-Gap-Count, Flight-Recorder-After-End, Flight-Recorder-Dropped, Flight-Recorder-Header, Retry-After')
  }

  // --- helpers -----------------------------------------------------------------------------------

  function limitClient(req: IncomingMessage): void {
    const wait = clientLimiter.take(clientId(req))
    if (wait > 0) throw new HttpError(429, 'rate-limited', 'Too many requests from this client: try again later.', { 'Retry-After': String(Math.ceil(wait / 1000)) })
  }

  function requireAdmin(req: IncomingMessage): void {
    if (!adminToken) throw new HttpError(403, 'admin-disabled', 'Reading and deleting sessions is off: the collector was created without `adminToken`.')
    const auth = req.headers.authorization ?? ''
    const m = /^Bearer (.+)$/.exec(auth)
    if (!m || !sameSecret(m[1], adminToken)) {
      throw new HttpError(401, 'unauthorized', 'This route needs the admin token: send `Authorization: Bearer <adminToken>`.', { 'WWW-Authenticate': 'Bearer' })
    }
  }

  function requireIngestKey(req: IncomingMessage, url: URL): void {
    if (ingestKeys.length === 0) return
    const given = url.searchParams.get('key') ?? (req.headers['x-flight-recorder-key'] as string | undefined)
    if (given === null || given === undefined) {
      throw new HttpError(401, 'unauthorized', 'The request has no ingest key: put it in the URL given to httpSink (`?key=…`) or in an `X-Flight-Recorder-Key` header.')
    }
    let ok = false
    for (const key of ingestKeys) ok = sameSecret(given, key) || ok
    if (!ok) throw new HttpError(401, 'unauthorized', 'The ingest key is not one this collector accepts.')
  }

  // --- routes ------------------------------------------------------------------------------------

  async function ingest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    requireIngestKey(req, url)
    const session = url.searchParams.get('session')
    if (!isSessionId(session)) throw new HttpError(400, 'bad-session', sessionIdProblem(session))
    const from = seqParam(url, 'from')
    const to = seqParam(url, 'to')
    if (from > to) throw new HttpError(400, 'bad-range', `Expected \`from\` (${from}) to be at most \`to\` (${to}).`)
    const type = req.headers['content-type']
    if (type !== undefined && !BODY_TYPES.test(type)) {
      throw new HttpError(415, 'bad-content-type', `Expected a JSONL body sent as text/plain, application/x-ndjson, application/jsonl, application/x-jsonlines or application/json. Instead, received: ${JSON.stringify(type.slice(0, 80))}.`)
    }
    const encoding = req.headers['content-encoding']
    if (encoding !== undefined && encoding !== 'identity') {
      throw new HttpError(415, 'bad-content-encoding', `Expected an uncompressed body. Instead, received Content-Encoding: ${JSON.stringify(encoding.slice(0, 40))}.`)
    }
    const wait = sessionLimiter.take(session)
    if (wait > 0) {
      throw new HttpError(429, 'rate-limited', `Too many requests for session ${session}: try again later.`, { 'Retry-After': String(Math.ceil(wait / 1000)) })
    }
    const declared = Number(req.headers['content-length'])
    if (declared > maxBodyBytes) throw tooLarge(declared, maxBodyBytes)
    // Held bytes are counted from the headers on (a declared body in full), so a refusal comes
    // before the body is read.
    let held = 0
    const hold = (bytes: number) => {
      if (bytes <= held) return
      if (buffered + bytes - held > maxBufferedBytes) {
        throw new HttpError(503, 'server-busy', `The collector is holding as many request bodies as it may at once (\`limits.maxBufferedBytes\`, ${maxBufferedBytes} bytes): try again later.`, { 'Retry-After': '2' })
      }
      buffered += bytes - held
      held = bytes
    }
    hold(Number.isSafeInteger(declared) && declared > 0 ? declared : 0)
    try {
      await storeBody(req, res, session, from, to, hold)
    } finally {
      buffered -= held
    }
  }

  async function storeBody(req: IncomingMessage, res: ServerResponse, session: string, from: number, to: number, hold: (bytes: number) => void): Promise<void> {
    const text = await readBody(req, maxBodyBytes, hold)
    let valid
    try {
      valid = validateBatch(text, session, from, to, maxBodyBytes)
    } catch (error) {
      if (error instanceof BatchError) throw new HttpError(400, error.code, error.message)
      throw error
    }
    const state = await sessionState(session)
    // One batch of a session at a time: what it is checked against is then what is stored.
    const run = state.turn.then(() => storeBatch(res, session, from, to, text, valid, state))
    state.turn = run.catch(() => {})
    await run
  }

  /**
   * Checks a valid batch against what the session holds and stores it. Called for one batch of a
   * session at a time.
   */
  async function storeBatch(res: ServerResponse, session: string, from: number, to: number, text: string, valid: ValidBatch, state: SessionState): Promise<void> {
    // Every header of a session starts where the first did (httpSink carries the header on with
    // later entries): another would make the assembled log drop what it holds before that seq.
    const storedFrom = valid.header ? (await headerOf(session))?.from_seq : undefined
    if (valid.header && storedFrom !== undefined && storedFrom !== valid.header.from_seq) {
      // A header sent again after the collector asked for one (a cut): the start of a new part.
      if (cuts && valid.header.from_seq > storedFrom) return storePart(res, session, from, to, text, valid, state)
      throw new HttpError(409, 'header-mismatch', `Session ${session} has a header starting at seq ${storedFrom}; this batch's header starts at seq ${valid.header.from_seq}.`)
    }
    // Nothing may follow @@end, also in a later batch (validateBatch checks within one).
    const end = await endOf(session, state)
    if (end !== undefined && to > end) {
      throw new HttpError(400, 'after-end', `Nothing may follow the @@end line: session ${session} ended at seq ${end} (its @@end line is stored), and this batch goes on to seq ${to}.`)
    }
    // A batch sent again late, of lines the collector dropped with an older part of the session:
    // they are in no log the collector serves, and are not stored again.
    if (cuts && to < state.cut) {
      await refresh(session, state)
      if (to < state.dropped) {
        send(res, 200, { stored: false, duplicate: false, dropped: true })
        return
      }
    }
    const split = valid.split
    // Stored as two batches when split, so the seqs between the header and the entries read as a gap.
    const spans: Array<[number, number]> = split === undefined ? [[from, to]] : [[from, from], [split.from, to]]
    const pieces = spans.map(([a, b]) => `${a}-${b}`)
    const texts = split === undefined ? [text] : [text.slice(0, split.at), text.slice(split.at)]
    const digests = texts.map(digestOf)
    // An exact retry of batches this collector knows the content of: a duplicate, nothing read.
    if (pieces.every((p, i) => state.digests.get(p) === digests[i])) {
      send(res, 200, { stored: false, duplicate: true })
      return
    }
    // Stored lines are never replaced: where this batch overlaps a stored one, it must hold the same lines.
    // A batch whose every seq is in stored batches (an exact repeat, or the same lines cut
    // differently) is a duplicate: nothing more is stored.
    if (await checkOverlap(session, spans, from, text, state)) {
      // (A retry of a batch whose lines were stored but whose header or end mark was not.)
      await storeMarks(session, valid, storedFrom, end, to, state)
      // (The same lines: known from here on.)
      pieces.forEach((p, i) => remember(state, p, digests[i]))
      send(res, 200, { stored: false, duplicate: true })
      return
    }
    const bytes = Buffer.byteLength(text)
    // Past half of the limit (the batches since the last cut), the answer asks the page for a header
    // of its state (see `storePart`); past the limit (a sender that sends none), batches are refused.
    // The store is read again first (another collector sharing it may have started a part), and
    // each time this collector stored 1/32 of the limit since it last read it (it counts only what
    // it stored: behind a load balancer, the others store the rest).
    if (cuts && bytes <= maxSessionBytes && (state.bytes + bytes > maxSessionBytes / 2 || state.bytes - state.read > maxSessionBytes / 32)) {
      await refresh(session, state)
    }
    let cut = false
    if (state.bytes + bytes > (cuts ? maxSessionBytes / 2 : maxSessionBytes)) {
      if (state.bytes + bytes > maxSessionBytes) {
        const since = cuts && state.cut > 0 ? ` (its lines since seq ${state.cut}, where the collector last cut it)` : ''
        const why = cuts && bytes <= maxSessionBytes ? ': its sender did not send the header the collector asked for (`Flight-Recorder-Header: missing`), from which a newer part would start' : ''
        throw new HttpError(413, 'session-too-large', `Session ${session}${since} would grow to ${state.bytes + bytes} bytes, over the limit of ${maxSessionBytes} (\`limits.maxSessionBytes\`)${why}.`)
      }
      cut = cuts && state.bytes + bytes > maxSessionBytes / 2 && !valid.header && !valid.ended
    }
    state.bytes += bytes
    let outcome: 'stored' | 'exists'
    try {
      // A piece stored here is known by its digest once the batch's header and end mark are
      // stored too, so that a retry after a failure writes them ('exists': another collector
      // sharing the store wrote that span first, perhaps with other lines, so its content is not
      // known here).
      const known: number[] = []
      const put = async (i: number, a: number, b: number) => {
        const result = await store.putBatch(session, a, b, texts[i])
        if (!storedExactly(state, a, b)) {
          state.ranges.push(a, b)
          state.maxTo = Math.max(state.maxTo, b)
        }
        if (result === 'stored') known.push(i)
        return result
      }
      if (split === undefined) {
        outcome = await put(0, from, to)
      } else {
        const head = await put(0, from, from)
        const rest = await put(1, split.from, to)
        outcome = head === 'exists' && rest === 'exists' ? 'exists' : 'stored'
      }
      await storeMarks(session, valid, storedFrom, end, to, state)
      for (const i of known) remember(state, pieces[i], digests[i])
    } catch (error) {
      state.bytes -= bytes
      throw error
    }
    if (outcome === 'exists') state.bytes -= bytes
    if (cut) {
      send(res, 200, { stored: outcome === 'stored', duplicate: outcome === 'exists', cut: true }, { 'Flight-Recorder-Header': 'missing' })
      return
    }
    // A batch without the header, for a session whose header is not stored: retention (or a
    // DELETE) removed the session while its page was idle and still recording. Said in the answer,
    // so httpSink sends a header again and what comes next can be read.
    if (!valid.header && !(await headerStored(session, state))) {
      send(res, 200, { stored: outcome === 'stored', duplicate: outcome === 'exists', header: false }, { 'Flight-Recorder-Header': 'missing' })
      return
    }
    send(res, 200, { stored: outcome === 'stored', duplicate: outcome === 'exists' })
  }

  /**
   * A batch starting with a header at another seq than the session's first: the page sent its
   * state again because the collector asked for it (`Flight-Recorder-Header: missing` once the
   * lines since the last cut passed half of `maxSessionBytes`). Its header line is stored as the
   * start of a new part (the session's newest two parts are kept: the log is served from the
   * older one's header, and the lines before it are dropped); the lines after it are stored as
   * any batch's.
   */
  async function storePart(res: ServerResponse, session: string, from: number, to: number, text: string, valid: ValidBatch, state: SessionState): Promise<void> {
    const fromSeq = valid.header!.from_seq
    const nl = text.indexOf('\n') + 1
    if (!state.parts.includes(fromSeq)) await refresh(session, state)
    let outcome: 'stored' | 'exists' = 'exists'
    if (!state.parts.includes(fromSeq)) {
      // An older header this collector does not know of: lines sent again late (a part since dropped), or another sender's.
      if (fromSeq <= state.cut) {
        if (to < state.dropped) return send(res, 200, { stored: false, duplicate: false, dropped: true })
        throw new HttpError(409, 'header-mismatch', `Session ${session} has a part starting at seq ${state.cut}; this batch's header starts at seq ${fromSeq}, before it, and no stored part starts there.`)
      }
      // Only a header the collector asked for starts a part (another would cut stored lines out of the log).
      if (state.bytes <= maxSessionBytes / 2) {
        const stored = state.cut > 0 ? `its part from seq ${state.cut}` : `a header starting at seq ${(await headerOf(session))?.from_seq}`
        throw new HttpError(409, 'header-mismatch', `Session ${session} has ${stored}; this batch's header starts at seq ${fromSeq}, and the collector starts a new part only once the session's lines since its last part pass half of \`limits.maxSessionBytes\` (it then asks for a header).`)
      }
      if (nl > maxSessionBytes) {
        throw new HttpError(413, 'session-too-large', `Session ${session}'s header at seq ${fromSeq - 1} has ${nl} bytes, over the limit of ${maxSessionBytes} (\`limits.maxSessionBytes\`).`)
      }
      outcome = await store.putPart!(session, fromSeq, text.slice(0, nl))
      await refresh(session, state)
      // The parts before the newest two go.
      if (state.dropped > 0) {
        await store.dropBefore!(session, state.dropped)
        await refresh(session, state)
      }
    }
    if (nl === text.length) return send(res, 200, { stored: outcome === 'stored', duplicate: outcome === 'exists' })
    const restFrom = valid.split?.from ?? fromSeq
    const rest = text.slice(nl)
    return storeBatch(res, session, restFrom, to, rest, validateBatch(rest, session, restFrom, to, maxBodyBytes), state)
  }

  /** Stores what a batch says besides its lines, when not stored yet: the session's header, its end. */
  async function storeMarks(session: string, valid: ValidBatch, storedFrom: number | undefined, end: number | undefined, to: number, state: SessionState): Promise<void> {
    if (valid.header && storedFrom === undefined) {
      await store.putHeader(session, JSON.stringify(valid.header satisfies HeaderSummary))
      state.header = true
    }
    // Noted in the store, so every collector sharing it refuses what would follow.
    if (valid.ended && end === undefined) {
      await store.putEnd?.(session, to)
      state.end = to
    }
  }

  /**
   * Refuses (409 `conflict`) a batch whose lines differ from the stored lines of the seqs it shares
   * with a stored batch: another line at a seq, or a line at a seq the stored batch has none of (a
   * seq the recorder dropped), or none where it has one. Only the stored batches overlapping the
   * batch's span are read. True when the stored batches read cover every seq of every piece.
   */
  async function checkOverlap(session: string, pieces: Array<[number, number]>, from: number, text: string, state: SessionState): Promise<boolean> {
    if (pieces.every(([pFrom]) => pFrom > state.maxTo)) return false
    let mine: Map<number, string> | undefined
    const covering: Array<[number, number]> = []
    const ranges = state.ranges
    for (let i = 0; i < ranges.length; i += 2) {
      const bFrom = ranges[i]
      const bTo = ranges[i + 1]
      const shared = pieces.filter(([pFrom, pTo]) => bTo >= pFrom && bFrom <= pTo)
      if (shared.length === 0) continue
      const stored = await store.readBatch(session, bFrom, bTo)
      if (stored === undefined) continue
      covering.push([bFrom, bTo])
      mine ??= linesBySeq(text, from)
      const theirs = linesBySeq(stored, bFrom)
      for (const [pFrom, pTo] of shared) {
        const lo = Math.max(pFrom, bFrom)
        const hi = Math.min(pTo, bTo)
        const seqs = [...new Set([...mine.keys(), ...theirs.keys()])].filter((seq) => seq >= lo && seq <= hi).sort((a, b) => a - b)
        for (const seq of seqs) {
          const a = mine.get(seq)
          const b = theirs.get(seq)
          if (a === b) continue
          const what = b === undefined ? `has no line at seq ${seq}` : a === undefined ? `holds a line at seq ${seq}, which this batch lacks` : `holds seq ${seq} with other content`
          throw new HttpError(409, 'conflict', `Session ${session} already has a stored batch of seq ${bFrom}–${bTo} that ${what}: stored lines are never replaced, and a batch overlapping them must repeat them exactly.`)
        }
      }
    }
    covering.sort((a, b) => a[0] - b[0])
    return pieces.every(([pFrom, pTo]) => {
      let next = pFrom // the first seq of the piece not yet covered
      for (const [bFrom, bTo] of covering) if (bFrom <= next && bTo >= next) next = bTo + 1
      return next > pTo
    })
  }


  /**
   * Whether the session's header is stored. Known once this collector stored or saw it; with
   * retention on it is read each time, since another collector sharing the store may have deleted
   * the session meanwhile.
   */
  async function headerStored(session: string, state: { header: boolean }): Promise<boolean> {
    if (state.header && maxAgeMs === undefined && maxSessions === undefined) return true
    state.header = (await store.getHeader(session)) !== undefined
    return state.header
  }

  /**
   * The seq of the session's stored `@@end`: known once this collector stored or saw it (an end
   * never moves); until then read from the store at each batch, since another collector sharing
   * it may have stored the end meanwhile.
   */
  async function endOf(session: string, state: { end: number | undefined }): Promise<number | undefined> {
    if (state.end === undefined && store.getEnd) state.end = await store.getEnd(session)
    return state.end
  }

  async function headerOf(id: string): Promise<HeaderSummary | undefined> {
    const json = await store.getHeader(id)
    if (json === undefined) return undefined
    try {
      return JSON.parse(json) as HeaderSummary
    } catch {
      return undefined
    }
  }

  async function list(res: ServerResponse, url: URL): Promise<void> {
    const app = url.searchParams.get('app')
    const since = timeParam(url, 'since')
    const until = timeParam(url, 'until')
    const limitRaw = url.searchParams.get('limit')
    const limit = limitRaw === null ? 1000 : Number(limitRaw)
    if (!Number.isSafeInteger(limit) || limit < 1) throw new HttpError(400, 'bad-limit', `Expected \`limit\` to be a positive integer. Instead, received: ${JSON.stringify(limitRaw)}.`)
    const sessions = (await store.listSessions()).sort(newestFirst)
    const out: SessionListing[] = []
    for (const s of sessions) {
      if (out.length >= limit) break
      const header = await headerOf(s.id)
      const started = header && Number.isFinite(Date.parse(header.ts)) ? Date.parse(header.ts) : s.firstStoredAt
      const meta = header?.meta ?? {}
      if (app !== null && meta.app !== app) continue
      if (since !== undefined && started < since) continue
      if (until !== undefined && started > until) continue
      const parts = await partsAfter(s.id, header)
      out.push({
        id: s.id,
        app: meta.app ?? null,
        meta,
        started: new Date(started).toISOString(),
        lastStoredAt: new Date(s.lastStoredAt).toISOString(),
        bytes: s.bytes,
        batches: s.batches,
        hasHeader: header !== undefined,
        fromSeq: parts.length > 1 ? parts[parts.length - 2] : (header?.from_seq ?? parts[0] ?? 1),
      })
    }
    send(res, 200, { sessions: out })
  }

  async function read(res: ServerResponse, id: string): Promise<void> {
    const batches: BatchInfo[] = await store.listBatches(id)
    if (batches.length === 0) throw new HttpError(404, 'not-found', `There is no session ${id}.`)
    const header = await headerOf(id)
    const start = await logStart(id, header, batches)
    if (!start) {
      throw new HttpError(409, 'no-header', `Session ${id} has no @@session header yet (its first batch has not arrived, or retention deleted the session while it was still being written and these batches came after): without it the log cannot be read.`)
    }
    const gaps: Gap[] = gapsOf(batches, start.fromSeq, start.line === undefined)
    // Lines after the stored @@end (stored before it was, by a collector that had not yet heard of
    // it): the log leaves them out (nothing may follow @@end), and says so.
    const end = store.getEnd ? await store.getEnd(id) : undefined
    const last = batches.reduce((n, b) => Math.max(n, b.to), 0)
    const lines = assembleLines(store, id, batches, start.fromSeq, start.line)
    // The first line is read before answering, so a failing store still gets a clean 5xx.
    const first = await lines.next()
    res.statusCode = 200
    res.setHeader('Content-Type', 'application/jsonl; charset=utf-8')
    res.setHeader('Cache-Control', 'no-store')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Content-Disposition', `attachment; filename="${id}.jsonl"`)
    res.setHeader('Flight-Recorder-Gaps', gapsHeader(gaps))
    res.setHeader('Flight-Recorder-Gap-Count', String(gaps.length))
    if (end !== undefined && last > end) res.setHeader('Flight-Recorder-After-End', `${end + 1}-${last}`)
    const firstSeq = header?.from_seq ?? 1
    if (start.fromSeq > firstSeq) res.setHeader('Flight-Recorder-Dropped', `${firstSeq}-${start.fromSeq - 1}`)
    let gone = false
    res.once('close', () => (gone = !res.writableFinished))
    try {
      if (!first.done) res.write(first.value + '\n')
      for await (const line of lines) {
        if (gone) return
        if (!res.write(line + '\n')) {
          // The client may leave instead of reading on: wait for either.
          await new Promise<void>((resolve) => {
            const done = () => (res.off('drain', done), res.off('close', done), resolve())
            res.on('drain', done)
            res.on('close', done)
          })
        }
      }
    } catch (error) {
      onError(error)
      res.destroy()
      return
    }
    res.end()
  }

  /** The `fromSeq` of the session's part headers after its first header (all of them without one), ascending; none with a store without parts. */
  async function partsAfter(id: string, header: HeaderSummary | undefined): Promise<number[]> {
    if (!cuts) return []
    return (await store.listParts!(id)).filter((p) => header === undefined || p > header.from_seq).sort((a, b) => a - b)
  }

  /**
   * Where a session's log starts: the older of its newest two parts whose header can be read (the
   * first header, in a batch, counts as a part while that batch is kept), with that part's header
   * line when it is not in a batch; `undefined` when there is none.
   */
  async function logStart(id: string, header: HeaderSummary | undefined, batches: BatchInfo[]): Promise<{ fromSeq: number; line?: string } | undefined> {
    const starts = await partsAfter(id, header)
    if (header && batches.some((b) => b.from === header.from_seq - 1)) starts.unshift(0)
    for (const p of starts.slice(-2)) {
      if (p === 0) return { fromSeq: header!.from_seq }
      const text = await store.readPart!(id, p)
      if (text !== undefined) return { fromSeq: p, line: text.replace(/\n$/, '') }
    }
    return undefined
  }

  async function remove(res: ServerResponse, id: string): Promise<void> {
    const deleted = await store.deleteSession(id)
    known.delete(id)
    if (!deleted) throw new HttpError(404, 'not-found', `There is no session ${id}.`)
    send(res, 200, { deleted: id })
  }

  function pathOf(url: URL): string | undefined {
    const path = url.pathname
    if (basePath === '') return path
    if (path === basePath) return '/'
    if (path.startsWith(basePath + '/')) return path.slice(basePath.length)
    return undefined
  }

  async function handle(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> {
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://collector.invalid')
    } catch {
      throw new HttpError(400, 'bad-url', 'The request URL cannot be read.')
    }
    const path = pathOf(url)
    const route = path === undefined ? undefined : path === '/' || path === '/ingest' ? 'ingest' : path === '/sessions' ? 'list' : path.startsWith('/sessions/') ? 'session' : undefined
    if (route === undefined) {
      if (typeof next === 'function') return next()
      throw new HttpError(404, 'not-found', `There is no route ${JSON.stringify(url.pathname.slice(0, 100))} here: expected POST /ingest, GET /sessions or /sessions/<id>.`)
    }
    // CORS headers first, so that a browser can read every answer, a 429 included.
    cors(req, res)
    limitClient(req)
    const method = req.method ?? 'GET'
    const methods = route === 'ingest' ? 'POST' : route === 'list' ? 'GET' : 'GET, DELETE'
    if (method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', `${methods}, OPTIONS`)
      res.setHeader('Access-Control-Allow-Headers', route === 'ingest' ? 'Content-Type, X-Flight-Recorder-Key' : 'Authorization')
      res.setHeader('Access-Control-Max-Age', '600')
      send(res, 204, undefined)
      return
    }
    if (!methods.split(', ').includes(method)) {
      throw new HttpError(405, 'method-not-allowed', `Expected ${methods} here. Instead, received ${method.slice(0, 20)}.`, { Allow: `${methods}, OPTIONS` })
    }
    if (route === 'ingest') return ingest(req, res, url)
    requireAdmin(req)
    if (route === 'list') return list(res, url)
    let id: string
    try {
      id = decodeURIComponent(path!.slice('/sessions/'.length))
    } catch {
      throw new HttpError(400, 'bad-session', 'The session id in the path is not valid percent-encoding.')
    }
    if (!isSessionId(id)) throw new HttpError(400, 'bad-session', sessionIdProblem(id))
    return method === 'DELETE' ? remove(res, id) : read(res, id)
  }

  // --- retention ---------------------------------------------------------------------------------

  async function prune(): Promise<string[]> {
    if (maxAgeMs === undefined && maxSessions === undefined) return []
    const sessions: StoredSession[] = (await store.listSessions()).sort(newestFirst)
    const cutoff = maxAgeMs === undefined ? -Infinity : now() - maxAgeMs
    const doomed = sessions.filter((s, i) => s.lastStoredAt < cutoff || (maxSessions !== undefined && i >= maxSessions))
    for (const s of doomed) {
      await store.deleteSession(s.id)
      known.delete(s.id)
    }
    return doomed.map((s) => s.id)
  }

  let timer: ReturnType<typeof setInterval> | undefined
  const intervalMs = retention.intervalMs ?? 60_000
  if ((maxAgeMs !== undefined || maxSessions !== undefined) && intervalMs > 0) {
    timer = setInterval(() => void prune().catch(onError), intervalMs)
    timer.unref?.()
  }

  /**
   * The spans no batch covered, as far as fits a header (HTTP clients refuse headers over ~16 KB;
   * Node's own at 16 KiB in all): the first ones, then `...` and how many more (ASCII: a header is Latin-1). The log's reader
   * names every gap too.
   */
  function gapsHeader(gaps: Array<{ from: number; to: number }>): string {
    let text = ''
    for (let i = 0; i < gaps.length; i++) {
      const span = `${gaps[i].from}-${gaps[i].to}`
      if (text.length + span.length > 4000) return `${text}, ... (${gaps.length - i} more)`
      text += (i === 0 ? '' : ', ') + span
    }
    return text
  }

  const collector = ((req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => {
    handle(req, res, next).catch((error: unknown) => {
      if (error instanceof HttpError) {
        send(res, error.status, { error: error.message, code: error.code }, error.headers)
        // A refusal before the body was read (a body over the limit, a wrong key): what is left of
        // the body is thrown away, so the client reads the answer instead of a reset connection.
        discardRest(req, res)
        return
      }
      onError(error)
      send(res, 503, { error: '[redux-flight-recorder] The collector could not store or read the session; try again later.', code: 'store-failed' })
    })
  }) as Collector
  Object.defineProperty(collector, 'store', { value: store, enumerable: true })
  collector.prune = prune
  collector.close = () => {
    if (timer) clearInterval(timer)
    timer = undefined
  }
  return collector
}
