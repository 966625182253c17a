import type { Sink, SinkContext } from 'redux-flight-recorder'
import { absoluteUrl, beaconSender, blobInSlices, lineSeq, listen, pageDocument, pageWindow } from './env'
import { headerOf, headerReady, headOf, jsonlPieces, lineBytes, withParts, type PartedText } from '../internal/lineParts'
import { carriedCount, droppedSeq, reportLoss } from '../internal/ownDropped'
import { realClearTimeout, realSetTimeout } from '../internal/realTimers'
import { utf8Length } from '../internal/utf8'
import { pageLocalStorage, readStored } from './journal'

export interface HttpSinkOptions {
  /**
   * Largest request body in bytes (UTF-8). Browsers allow at most 64 KiB in flight for `keepalive`
   * requests and beacons together (used once the page is hidden), so chunks stay below that; a
   * single line larger than this goes alone by a normal `fetch` (without `keepalive`, so it can be
   * lost when the page closes).
   * @default 61440 (60 KiB)
   */
  maxChunkBytes?: number
  /**
   * How many times a chunk is sent again after a network error, a 408, 429 or 5xx answer, before it
   * is given up and reported as `@@dropped`. Other 4xx answers give the chunk up at once. A chunk
   * holding a checkpoint is not given up for these: it is retried until the server answers.
   * @default 8
   */
  retries?: number
  /**
   * The wait before the first retry; it doubles with each further retry (with jitter) up to
   * `maxRetryDelayMs`.
   * @default 500
   */
  retryDelayMs?: number
  /** @default 30000 */
  maxRetryDelayMs?: number
  /**
   * A request with no answer after this long is aborted and retried (as after a network error),
   * so a server that holds a request open cannot stall the sink: without it, `fetch` waits as long
   * as the runtime lets it (in browsers, without end).
   * @default 30000
   */
  requestTimeoutMs?: number
  /**
   * Extra request headers for `fetch` (beacons cannot carry headers). Headers other than the
   * CORS-safelisted ones make cross-origin requests send a preflight.
   */
  headers?: Record<string, string>
  /**
   * The body's `Content-Type`. The default is CORS-safelisted, so beacons and cross-origin requests
   * need no preflight; the body is JSONL either way.
   * @default 'text/plain;charset=UTF-8'
   */
  contentType?: string
  /** `fetch`'s `credentials`. @default 'same-origin' */
  credentials?: RequestCredentials
  /**
   * `fetch`'s `mode`. With `'no-cors'` answers are opaque, so a chunk counts as delivered once the
   * request went out (no retries on server errors).
   * @default 'cors'
   */
  mode?: RequestMode
  /**
   * Sends what is pending when the page becomes hidden (`visibilitychange`), and by
   * `navigator.sendBeacon` on `pagehide`: as much as the browser's 64 KiB allowance for beacon and
   * `keepalive` bodies in flight carries, and keeps in `localStorage` what is not known to be on
   * its way (`maxUnsentBytes`); beyond both, the rest is lost if the page closes. `false`: none of it.
   * @default true
   */
  flushOnHide?: boolean
  /**
   * The `fetch` the sink sends with. Without it, the sink uses the page's `fetch` as it is at each
   * request, so an app that wraps `fetch` (to add an auth header, to log the user out on a 401, to
   * retry) wraps the log's requests too: the user's token goes to the collector, and the collector's
   * 401 runs the app's handler. Such an app passes the browser's own `fetch`, captured before it
   * wraps it: `const platformFetch = window.fetch.bind(window)` first, then
   * `httpSink(url, { fetch: platformFetch })`. In development the sink warns (once) when it finds
   * the page's `fetch` replaced and this option is not given. Also for tests and custom transports.
   * @default globalThis.fetch (at each request)
   */
  fetch?: typeof fetch
  /**
   * Characters (UTF-16 units, as `localStorage` counts them) of the lines not known to be on their
   * way at page hide that are kept in `localStorage` for the next page of this url to send (within
   * 7 days; later, it removes them unsent), every session together. `0` keeps no lines there: what is pending at page hide during an outage is then
   * lost with the page, and only their count is kept, for the next page to report (`@@dropped`).
   * @default 1048576 (1 MiB)
   */
  maxUnsentBytes?: number
}

export interface HttpSink extends Sink {
  /** Chunks waiting to be delivered, and their bytes. */
  pending(): { chunks: number; bytes: number }
}

interface Chunk {
  /** The body: its lines (or their parts), each followed by a newline. */
  pieces: string[]
  /** A line in parts is among the pieces: the body goes as a Blob built in slices, never as one string. */
  parted: boolean
  blob: Blob | undefined
  bytes: number
  /** Span of seq the lines cover; the header counts as seq `from_seq - 1`. */
  from: number
  to: number
  /** Entry lines (the header is not counted). */
  entries: number
  header: PartedText | undefined
  /** The seqs of the `@@dropped` entries among the lines: the sink's own carry their counts on if the chunk is given up. */
  reports: number[]
  /**
   * Holds a checkpoint: the full state the lines after it replay from. Kept (retried at the
   * longest delay) while the server cannot be reached, instead of being given up after `retries`,
   * so that what follows an outage is still checked when it arrives.
   */
  base: boolean
  /**
   * A keepalive fetch of page hide carries it (or, while the server is down, a beacon): it stays
   * queued until that is answered, and is kept in the spill meanwhile (see `spill`).
   */
  handing: boolean
  /** A chunk of a page left during an outage (see `spill`): the `localStorage` key it came from, and its session. */
  key?: string
  session?: string
  attempts: number
  settle: () => void
  settled: Promise<void>
}

const DEFAULT_CHUNK = 60 * 1024
/**
 * On `globalThis`: the httpSinks whose server does not answer now (a chunk waits to be sent again),
 * by `<session> <url>`, for the devtools panel to say so (it reads their `pending()`).
 */
const UNANSWERED = Symbol.for('redux-flight-recorder.httpUnanswered.1')
/** Characters (UTF-16 units, as `localStorage` counts them) the chunks left at page hide may take, for one url, all sessions together. */
const SPILL = 1024 * 1024
/** Days a spill waits for a page of its url: older ones are removed unsent (a device keeps no log lines for good). */
const SPILL_DAYS = 7
/** A checkpoint line as the recorder writes it (its own `kind`, not one inside an action). */
const CHECKPOINT = /^\{"seq":\d+,"ts":"[^"]*","t":[-+.\deE]+,"turn":null,"kind":"@@checkpoint"/

/** Development only: throws a `TypeError` naming the first argument or option that is not what it should be. */
function validate(url: unknown, options: HttpSinkOptions): void {
  if (typeof url !== 'string' && !(typeof URL !== 'undefined' && url instanceof URL)) {
    throw new TypeError(`[redux-flight-recorder] Expected \`url\` to be a string or a URL. Instead, received: ${url === null ? 'null' : typeof url}.`)
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('[redux-flight-recorder] Expected the options of httpSink to be an object.')
  }
  for (const [name, min] of [['maxChunkBytes', 1024], ['retries', 0], ['retryDelayMs', 0], ['maxRetryDelayMs', 0], ['requestTimeoutMs', 1], ['maxUnsentBytes', 0]] as const) {
    const value = options[name]
    if (value !== undefined && (typeof value !== 'number' || !(value >= min) || !Number.isFinite(value))) {
      throw new TypeError(`[redux-flight-recorder] Expected \`${name}\` to be a number of at least ${min}. Instead, received: ${String(value)}.`)
    }
  }
}

/** Development only: the sinks that have warned that the page's `fetch` is not the browser's (see `warnWrappedFetch`). */
let warnedFetch: WeakSet<object> | undefined

/**
 * Development only: warns, once per sink, when the page's `fetch` the sink is about to use (no
 * `fetch` option) is not the platform's: an app's wrapper then sees the log's requests (adds the
 * user's token to them, runs its 401 handling on the collector's answers). Read by the function's
 * source text, which a browser's own gives as `[native code]`. Only in a page, not under Node (a
 * DOM emulation's `window`): Node's own `fetch` is written in JavaScript. Never throws.
 */
function warnWrappedFetch(sink: object, f: typeof fetch): void {
  try {
    if (warnedFetch?.has(sink) || !pageWindow() || (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node || /\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(f))) return
    ;(warnedFetch ??= new WeakSet()).add(sink)
    console.warn(
      "[redux-flight-recorder] httpSink uses the page's fetch, which is not the browser's own: the app's wrapper sees the log's requests (it adds the user's token to them, logs the user out on a 401 from the collector). Pass the browser's fetch, captured before the app wraps it: httpSink(url, { fetch: platformFetch }). To keep the wrapper, pass it as fetch.",
    )
  } catch {
    // a probe that throws (a revoked proxy, a frozen console): nothing said
  }
}

/**
 * A sink that POSTs the log to an HTTP endpoint as JSONL, in chunks of at most 60 KiB sent with
 * `fetch`, one request at a time and in order (with `keepalive` once the page is hidden, so that a
 * request outlives the page). Each request's URL carries
 * `session`, `from` and `to` (the span of `seq` in the body; the header line counts as
 * `from_seq - 1`), so a server can order chunks and drop duplicates: a chunk may arrive twice when
 * an answer was lost. Pending lines are sent when the page is hidden and by
 * `navigator.sendBeacon` on `pagehide`; browsers allow 64 KiB of beacon and `keepalive` bodies in
 * flight together, and chunks beyond that do not leave with the page (until a later page sends them,
 * the collected log has a gap in `seq`, which readers warn of, and no `@@end`). A shorter
 * `flushIntervalMs` keeps less pending at page hide. What is not known to be on its way at
 * `pagehide` (those chunks; while the server does not answer, everything pending) is kept in
 * `localStorage`, up to `maxUnsentBytes` per url, oldest lines first
 * (the rest reported by a `@@dropped` entry after them), and the next `httpSink` of the same url
 * sends it first, under its own session and seqs. While the server is unreachable chunks are retried with
 * exponential backoff; a chunk that fails `retries` times is dropped and reported as `@@dropped`,
 * except one holding a checkpoint, which is kept until the server answers (what follows replays
 * from it).
 *
 * @example
 * const recorder = createFlightRecorder({ sinks: [httpSink('/api/flight-log')] })
 * @example
 * // An app that wraps `fetch` (auth headers, 401 handling, retries): the sink gets the browser's
 * // own, captured before the wrapper is installed, so the wrapper never sees the log's requests.
 * const platformFetch = window.fetch.bind(window)
 * window.fetch = withAuth(platformFetch) // the app's wrapper
 * const recorder = createFlightRecorder({ sinks: [httpSink('/api/flight-log', { fetch: platformFetch })] })
 */
export function httpSink(url: string | URL, options: HttpSinkOptions = {}): HttpSink {
  if (process.env.NODE_ENV !== 'production') validate(url, options)
  const endpoint = String(url)
  const maxChunkBytes = options.maxChunkBytes ?? DEFAULT_CHUNK
  const maxUnsent = options.maxUnsentBytes ?? SPILL
  const retries = Math.floor(options.retries ?? 8)
  const retryDelayMs = options.retryDelayMs ?? 500
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000
  const contentType = options.contentType ?? 'text/plain;charset=UTF-8'
  const flushOnHide = options.flushOnHide ?? true

  const queue: Chunk[] = []
  let ctx: SinkContext | undefined
  let inflight: Chunk | undefined
  /** The request in flight went with `keepalive` (it outlives the page). */
  let inflightKept = false
  let running = false
  let hiding = false
  /** At this page hide, what is queued went by beacon (or into the spill). */
  let handed = false
  let carriedHeader: PartedText | undefined
  /** A write has come (the header goes with the first). */
  let written = false
  /** The start of the header sent ahead of the first write (see `sendHeaderEarly`): that write leaves its own copy out. */
  let earlyHeader: string | undefined
  let wake: (() => void) | undefined
  let stopListening: (() => void) | undefined
  /**
   * Entries given up since the last chunk the server took, and why: while the server cannot be
   * reached, only the first loss is reported at once; the rest are reported together once a chunk
   * gets through. (Each report writes a `@@dropped` entry and a checkpoint, which would go to this
   * same sink, fail and be reported again, without end.)
   */
  let lost = 0
  /** The counts of the sink's own `@@dropped` entries among those lost (src/internal/ownDropped.ts): the next report says them again. */
  let lostCarried = 0
  let lostReason = ''
  /** Some of the entries lost since the last report need a checkpoint after them (see `refusedBytes`). */
  let lostNeedsCheckpoint = false
  /**
   * The smallest body larger than `maxChunkBytes` (a line alone in its request) the server refused
   * as too large (413). A chunk as large is given up unsent, and a lost full state (a checkpoint,
   * the header) asks for no new checkpoint, which would be as large, refused, reported and asked
   * for again (10 MB every few seconds, without end).
   */
  let refusedBytes = Infinity
  let outage = false
  /** At page hide, the server was not answering: a beacon it takes is no sign of delivery. */
  let down = false
  /** A checkpoint was asked for since the last chunk the server took. */
  let asked = false

  const fetchFn = (): typeof fetch => {
    const f = options.fetch ?? (globalThis as { fetch?: typeof fetch }).fetch
    if (typeof f !== 'function') throw new Error('[redux-flight-recorder] httpSink needs `fetch` (pass `fetch` in the options on runtimes without it).')
    if (process.env.NODE_ENV !== 'production' && !options.fetch) warnWrappedFetch(sink, f)
    return f
  }

  function requestUrl(chunk: Chunk): string {
    const u = absoluteUrl(endpoint)
    u.searchParams.set('session', chunk.session ?? ctx?.session ?? '')
    u.searchParams.set('from', String(chunk.from))
    u.searchParams.set('to', String(chunk.to))
    return u.href
  }

  function chunkOf(lines: PartedText[], bytes: number, firstSeq: number, lastSeq: number, header: PartedText | undefined): Chunk {
    let settle!: () => void
    const settled = new Promise<void>((resolve) => (settle = resolve))
    return {
      pieces: jsonlPieces(lines),
      parted: lines.some((l) => l.parts !== undefined),
      blob: undefined,
      bytes,
      from: firstSeq,
      to: lastSeq,
      entries: header === undefined ? lines.length : lines.length - 1,
      header,
      reports: lines.map((l) => droppedSeq(headOf(l))).filter((seq) => seq > 0),
      base: lines.some((l) => CHECKPOINT.test(headOf(l))),
      handing: false,
      attempts: 0,
      settle,
      settled,
    }
  }

  /**
   * A line's UTF-8 bytes; for one in parts longer than a chunk, its length, which is no more (it goes
   * alone, as a Blob whose size gives them at the send): a scan of a 10 MB state took 20-70 ms.
   */
  function sizeOf(line: PartedText): number {
    const n = line.parts ? line.parts.reduce((n, p) => n + p.length, 1) : 0
    return n > maxChunkBytes ? n : lineBytes(line)
  }

  /** Splits lines into chunks of at most `maxChunkBytes`; a longer line becomes a chunk of its own. */
  function enqueue(texts: string[] | PartedText[]): Promise<void> {
    const lines = typeof texts[0] === 'string' ? withParts(texts as string[]) : (texts as PartedText[])
    written = true
    if (earlyHeader !== undefined && lines.length > 0 && headOf(lines[0]) === earlyHeader) lines.shift()
    earlyHeader = undefined
    if (carriedHeader !== undefined) {
      lines.unshift(carriedHeader)
      carriedHeader = undefined
    }
    const made: Chunk[] = []
    let current: PartedText[] = []
    let bytes = 0
    let first = 0
    let last = 0
    let header: PartedText | undefined
    let seq = 0
    const close = () => {
      if (current.length > 0) made.push(chunkOf(current, bytes, first, last, header))
      current = []
      bytes = 0
      header = undefined
    }
    for (const line of lines) {
      const n = sizeOf(line)
      const head = headOf(line)
      const s = lineSeq(head)
      let isHeader = false
      if (s !== undefined) seq = s
      else if (head.startsWith('{"kind":"@@session"')) {
        isHeader = true
        const m = /"from_seq":(\d+)/.exec(head)
        seq = m ? Number(m[1]) - 1 : seq
      }
      if (current.length > 0 && bytes + n > maxChunkBytes) close()
      if (current.length === 0) first = seq
      current.push(line)
      if (isHeader) header = line
      bytes += n
      last = seq
    }
    close()
    if (made.length === 0) return Promise.resolve()
    queue.push(...made)
    if (hiding) beaconAll()
    else void run()
    return Promise.all(made.map((c) => c.settled)).then(() => undefined)
  }

  /** For the panel: this sink of its session, while its last request got no answer and lines wait. */
  function unanswered(on: boolean): void {
    try {
      const all = ((globalThis as { [UNANSWERED]?: Record<string, HttpSink> })[UNANSWERED] ??= {})
      if (on) all[`${ctx!.session} ${endpoint}`] = sink
      else if (ctx) delete all[`${ctx.session} ${endpoint}`]
    } catch {
      // a frozen global: the panel does not hear of it
    }
  }

  function remove(chunk: Chunk): void {
    const i = queue.indexOf(chunk)
    if (i !== -1) queue.splice(i, 1)
    if (queue.length === 0) unanswered(false)
    chunk.settle()
    // The last chunk of a page left before is delivered (or refused): its spill goes.
    try {
      if (chunk.key && !queue.some((c) => c.key === chunk.key)) pageLocalStorage()!.removeItem(chunk.key)
    } catch {
      // sent again by the next page: the server drops duplicates
    }
  }

  function giveUp(chunk: Chunk, reason: string): void {
    remove(chunk)
    // Another session's: its loss cannot be written into that log (the collector sees the gap).
    if (chunk.key) return
    // Without the header the server cannot read anything that follows: it travels on with the next chunk.
    if (chunk.header !== undefined) {
      const next = queue[0]
      if (next) {
        next.pieces = jsonlPieces([chunk.header]).concat(next.pieces)
        next.parted ||= chunk.header.parts !== undefined
        next.blob = undefined
        next.bytes += sizeOf(chunk.header)
        next.header = chunk.header
        next.from = Math.min(next.from, chunk.from)
      } else carriedHeader = chunk.header
    }
    if (chunk.entries === 0) return
    // A `@@dropped` entry lost with the chunk (the report of an earlier loss of this outage): its
    // count goes into the next report, or the log that arrives would say less than it misses.
    const carried = carriedCount(ctx, chunk.reports)
    const checkpoint = !(reason === 'http-413' && chunk.bytes >= refusedBytes && (chunk.base || chunk.header !== undefined))
    if (!outage) {
      outage = true
      if (ctx) reportLoss(ctx, chunk.entries, carried, reason, checkpoint)
    } else {
      lost += chunk.entries
      lostCarried += carried
      lostReason ||= reason
      lostNeedsCheckpoint ||= checkpoint
    }
  }

  /** A chunk got through: the entries lost since the first report of the outage are reported now. */
  function delivered(): void {
    outage = false
    asked = false
    if (lost === 0) return
    const count = lost
    const carried = lostCarried
    const checkpoint = lostNeedsCheckpoint
    lost = 0
    lostCarried = 0
    lostNeedsCheckpoint = false
    if (ctx) reportLoss(ctx, count, carried, lostReason, checkpoint)
    lostReason = ''
  }

  /**
   * The collector took `chunk` but has no header for the session (its retention deleted the
   * session while the page was idle): a header of the state before the lines being written goes
   * next, so the collector can read what follows. Lines before that header cannot be read: they
   * are reported as `@@dropped`.
   */
  async function sendHeaderAgain(chunk: Chunk): Promise<void> {
    await headerReady(ctx!)
    const header = headerOf(ctx!)
    const from = Number(/"from_seq":(\d+)/.exec(headOf(header))![1])
    const i = queue.indexOf(chunk)
    queue.splice(i + 1, 0, chunkOf([header], sizeOf(header), from - 1, from - 1, header))
    let unread = 0
    const reports: number[] = []
    for (const c of queue.concat(i < 0 ? chunk : [])) {
      if (c.entries && c.from < from) unread += Math.min(c.to, from - 1) - c.from + 1
      for (const seq of c.reports) if (seq < from) reports.push(seq)
    }
    reportLoss(ctx!, unread, carriedCount(ctx, reports), 'collector-lost-header')
  }

  /**
   * A header larger than a chunk cannot go by beacon or keepalive when the page is left, so it goes
   * as soon as it is ready rather than with the first flush: the lines of a page left before that
   * flush (a reload right after it starts) are then not at the collector without their header.
   */
  async function sendHeaderEarly(context: SinkContext): Promise<void> {
    // Once the store exists and the recorder has the state's JSON (made in slices).
    await new Promise<void>((resolve) => realSetTimeout(() => resolve(), 0))
    await headerReady(context)
    if (written) return
    let header: PartedText
    try {
      header = headerOf(context)
    } catch {
      return // no store yet: the first write brings the header
    }
    if (sizeOf(header) <= maxChunkBytes) return
    void enqueue([header])
    earlyHeader = headOf(header)
  }

  type Outcome = 'sent' | 'retry' | 'header-missing' | { drop: string }

  /** POSTs a chunk; `keepalive` lets the request outlive the page. Beacons cannot carry `headers`: neither does their fallback. */
  function post(chunk: Chunk, body: string | Blob, keepalive: boolean, headers?: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    return fetchFn()(requestUrl(chunk), {
      method: 'POST',
      body,
      headers: { 'Content-Type': contentType, ...headers },
      keepalive,
      credentials: options.credentials ?? 'same-origin',
      mode: options.mode ?? 'cors',
      ...(signal ? { signal } : {}),
    })
  }

  async function send(chunk: Chunk): Promise<Outcome> {
    try {
      // (A Blob of a large state: fetch takes it by reference, where a 4 MB string takes
      // Chromium 180-370 ms to convert in the call.)
      const body = chunk.parted ? (chunk.blob ??= await blobInSlices(chunk.pieces, contentType)) : chunk.pieces.join('')
      // (Counted by its length until now: its bytes, non-ASCII, may be as many as a body refused before.)
      if (typeof body !== 'string' && (chunk.bytes = body.size) >= refusedBytes) return { drop: 'http-413' }
      const abort = typeof AbortController === 'function' ? new AbortController() : undefined
      // Real timers, also under a test's fake timers (src/internal/realTimers.ts).
      const timer = abort ? realSetTimeout(() => abort.abort(), requestTimeoutMs) : undefined
      ;(timer as { unref?: () => void } | undefined)?.unref?.()
      // `keepalive` only once the page is hidden: Chromium counts a keepalive request against its
      // 64 KiB quota until a while after its answer, so back-to-back 60 KiB chunks sent with it
      // failed about one time in two. A request without it that the page's unload cancels is sent
      // again by beacon on pagehide (see beaconAll).
      const keep = chunk.bytes <= maxChunkBytes && (hiding || pageDocument()?.visibilityState === 'hidden')
      if (inflight === chunk) inflightKept = keep
      let response: Response
      try {
        response = await post(chunk, body, keep, options.headers, abort?.signal)
      } finally {
        realClearTimeout(timer)
      }
      // The answer's body read to the end (a collector's is a few bytes): cancelled, Chromium
      // shows every delivered batch as failed (net::ERR_ABORTED). A large one is cancelled.
      try {
        const length = Number(response.headers?.get('content-length') ?? 0)
        if (length > 65_536) void response.body?.cancel().catch(() => {})
        else void response.arrayBuffer?.().catch(() => {})
      } catch {
        // the body was already used or the runtime has no streams
      }
      if (response.ok || response.type === 'opaque') return response.headers?.get('Flight-Recorder-Header') === 'missing' ? 'header-missing' : 'sent'
      const status = response.status
      if (status === 408 || status === 429 || status >= 500) return 'retry'
      return { drop: `http-${status}` }
    } catch {
      // Network error, CORS failure, or the keepalive quota is in use.
      return 'retry'
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = realSetTimeout(done, ms)
      ;(timer as { unref?: () => void }).unref?.()
      function done() {
        realClearTimeout(timer)
        wake = undefined
        resolve()
      }
      wake = done
    })
  }

  async function run(): Promise<void> {
    if (running) return
    running = true
    try {
      while (queue.length > 0 && !hiding) {
        const chunk = queue[0]
        if (chunk.bytes >= refusedBytes) {
          giveUp(chunk, 'http-413')
          continue
        }
        inflight = chunk
        const outcome = await send(chunk)
        inflight = undefined
        inflightKept = false
        unanswered(outcome === 'retry' && ctx !== undefined)
        if (!queue.includes(chunk)) continue // sent by a beacon meanwhile
        if (outcome === 'sent' || outcome === 'header-missing') {
          if (outcome === 'header-missing' && !chunk.key) await sendHeaderAgain(chunk)
          remove(chunk)
          delivered()
          continue
        }
        if (outcome !== 'retry') {
          // (A line alone in its request, larger than a chunk: the server's body limit is the likely cause.)
          if (outcome.drop === 'http-413' && chunk.bytes > maxChunkBytes) refusedBytes = Math.min(refusedBytes, chunk.bytes)
          giveUp(chunk, outcome.drop)
          continue
        }
        chunk.attempts++
        if (chunk.key) {
          // Another page's chunk: sent again after this page's own (a server that keeps refusing it
          // does not hold the live session up), and no checkpoint of this session for it.
          if (queue.some((c) => !c.key)) {
            // (That session's chunks together, in order: a later one must not arrive before its header.)
            const later = queue.filter((c) => c.key === chunk.key)
            queue.splice(0, queue.length, ...queue.filter((c) => c.key !== chunk.key), ...later)
            continue
          }
        } else if (chunk.attempts === 1 && !outage && !asked) {
          asked = true
          ctx?.checkpoint()
        }
        if (chunk.attempts > retries && !chunk.base) {
          giveUp(chunk, 'http-unreachable')
          continue
        }
        const base = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** Math.min(chunk.attempts - 1, 40))
        await sleep(base / 2 + Math.random() * (base / 2))
      }
    } finally {
      running = false
      inflight = undefined
    }
  }

  /**
   * Page hide: everything queued goes by beacon, except a request in flight with keepalive (it
   * carries itself); one in flight without it is cancelled by the unload, so it goes again (the
   * server may get it twice: it drops duplicates by `from`/`to`).
   */
  function beaconAll(): void {
    handed = true
    const beacon = beaconSender()
    // The smallest chunk a beacon refused: the browser's allowance for beacons and keepalive
    // requests (64 KiB in Chromium, shared) only shrinks while the page hides, so a chunk no
    // smaller is refused too, and so is a keepalive fetch (Chromium's "Failed to fetch"). Such a
    // chunk goes to the spill at once: a closing tab has ~0.5 s for all of this.
    let refused = Infinity
    for (const chunk of queue.slice()) {
      if ((chunk === inflight && inflightKept) || chunk.handing || chunk.key || chunk.bytes > maxChunkBytes || chunk.bytes >= refused) continue
      if (beacon) {
        let sent = false
        try {
          sent = beacon(requestUrl(chunk), new Blob(chunk.pieces, { type: contentType }))
        } catch {
          sent = false
        }
        if (!sent) {
          refused = chunk.bytes
          continue
        }
      } else {
        // No beacon: a keepalive fetch is the last chance.
        // The chunk stays queued until it is answered: if it fails and the page comes back (the
        // back/forward cache), the loop sends it again.
        try {
          chunk.handing = true
          post(chunk, chunk.pieces.join(''), true).then(
            (response) => {
              chunk.handing = false
              if (response.ok || response.type === 'opaque') {
                remove(chunk)
                delivered()
                // (The page may still be leaving: the spill no longer needs it.)
                if (hiding) spill()
              }
            },
            () => (chunk.handing = false),
          )
        } catch {
          chunk.handing = false
        }
        continue
      }
      // The browser took the beacon (it sends it even once the page is gone). While the server does
      // not answer, that says nothing of its arrival: the chunk stays, for the spill.
      if (down) chunk.handing = true
      else remove(chunk)
    }
    spill()
  }

  /**
   * Page hide: the chunks not known to be on their way (during an outage, all of them) are kept in
   * `localStorage` under this url and the session, oldest first within `SPILL`; the next sink of
   * this url sends them first. What does not fit is said by a `@@dropped` entry after them (its
   * `seq` is the one after the last line). Written again at each page hide (the page may come back
   * from the back/forward cache), removed when nothing is left.
   */
  function spill(): void {
    try {
      const storage = pageLocalStorage()!
      if (!prefix) return
      const key = prefix + ctx!.session
      // (Less what other sessions of this url keep.)
      let room = maxUnsent - 200 - key.length
      for (const n of readStored(storage, prefix, (value, k) => (k === key ? 0 : k.length + value.length))) room -= n
      const kept: string[] = []
      let lost = 0
      let last: Chunk | undefined
      for (const c of queue) {
        // (Another page's; or, while the server answers, the keepalive in flight. Not a chunk handed to a
        // keepalive fetch when no beacon took it: the browser's quota of both, used up, rejects that
        // fetch after this, Chromium's "Failed to fetch"; if it arrives, the server drops the copy.)
        if (c.key || (!down && c === inflight && inflightKept)) continue
        last = c
        // Its lines that fit, oldest first (each line's pieces end with a '\n' piece; a header comes
        // first, as seq `from`), as `[from, to, body]`: `to` read from the last one kept (a header
        // carried on by `giveUp` is followed by a later seq). Once a line does not fit, nothing
        // more is kept (`room` -1).
        let text = ''
        let line = ''
        let to = c.from
        let entries = 0
        // (`[from,to,"…"]` and the comma that joins it to the others.)
        room -= `${c.from}${c.to}`.length + 7
        for (const p of c.pieces) {
          if ((line += p).length > room) break
          if (p !== '\n') continue
          if ((room -= JSON.stringify(line).length - 2) < 0) break
          text += line
          const seq = lineSeq(line)
          if (seq !== undefined) (to = seq), entries++
          line = ''
        }
        lost += c.entries - entries
        if (text) kept.push(JSON.stringify([c.from, to, text]))
        if (!text || entries < c.entries) room = -1
      }
      if (lost) {
        // Its `t`: that of the last line not kept (an entry's, read at its start; a header has none). No `ts` (read as "").
        const seq = last!.to + 1
        const text = last!.pieces.join('')
        const t = /^\{"seq":\d+,(?:"ts":"[^"]*",)?("t":-?[\d.e+-]+)/.exec(text.slice(text.lastIndexOf('\n', text.length - 2) + 1))?.[1] ?? '"t":0'
        kept.push(JSON.stringify([seq, seq, `{"seq":${seq},${t},"turn":null,"kind":"@@dropped","count":${lost},"reason":"http-unsent"}\n`]))
      }
      if (!kept.length) return storage.removeItem(key)
      try {
        // (Written when: a page that comes within SPILL_DAYS sends it, later ones remove it.)
        storage.setItem(key, `[${Date.now()},${kept}]`)
      } catch {
        // No room for the lines (the app's own keys fill the quota): at least their count.
        if (lost) storage.setItem(key, `[${Date.now()},${kept[kept.length - 1]}]`)
      }
    } catch {
      // No storage, or no room: what is pending is lost with the page.
    }
  }

  function onHidden(): void {
    // While the server does not answer (a chunk waits to be sent again), what is pending stays in
    // the recorder's queue, bounded by `sinkQueueBytes`: taken at each hide, it would only wait
    // here behind that chunk, and pile up.
    // (No spill here: the page lives on, and another page of this url would send it too.)
    if (!ctx || queue.some((c) => c.attempts > 0)) return
    const lines = ctx.drain()
    if (lines.length > 0) void enqueue(lines)
  }

  /**
   * Page hide, before the other listeners (see `listen`): the lines recordPageLifecycle's flush
   * hands over then, its `pagehide` entry last, go by beacon at once, with what is queued.
   */
  function hide(): void {
    hiding = true
    handed = false
    down = outage || queue.some((c) => c.attempts > 0)
  }

  function onPageHide(): void {
    if (ctx) {
      const lines = ctx.drain()
      if (lines.length > 0) void enqueue(lines)
    }
    // (Not again when that flush sent it all: the spill is rewritten each time.)
    if (!handed) beaconAll()
  }

  function onPageShow(): void {
    if (!hiding) return
    hiding = false
    for (const c of queue) c.handing = false
    try {
      pageLocalStorage()!.removeItem(prefix + ctx!.session)
    } catch {
      // kept: sent again by the next page, which the server drops as duplicates
    }
    wake?.()
    void run()
  }

  // What pages of this url left unsent during an outage (see `spill`) goes first, each chunk under
  // its own session and seq span, kept until the server answers. Read when the sink is attached
  // (creating one touches no browser global: server rendering).
  let prefix = ''
  function readSpills(): void {
    try {
      const storage = pageLocalStorage()
      if (!storage) return
      prefix = `redux-flight-recorder:http ${absoluteUrl(endpoint).href} `
      const spilled = readStored(storage, prefix, (value, key) => {
        const [at, ...chunks] = JSON.parse(value) as unknown[]
        // Written more than SPILL_DAYS ago (the user did not come back): not sent, and gone.
        if (!(typeof at === 'number' && Date.now() - at < SPILL_DAYS * 864e5) || !chunks.every((c) => Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number' && typeof c[2] === 'string')) throw 0
        return (chunks as Array<[number, number, string]>).map(([from, to, body]) =>
          Object.assign(chunkOf([], 0, from, to, undefined), { pieces: [body], bytes: utf8Length(body), base: true, key, session: key.slice(prefix.length) }),
        )
      }).flat()
      queue.unshift(...spilled)
    } catch {
      // no storage here (a sandboxed frame), or no page url
    }
    if (queue.length) void run()
  }

  const sink: HttpSink = {
    attach(context) {
      ctx = context
      readSpills()
      void sendHeaderEarly(context)
      const win = pageWindow()
      const doc = pageDocument()
      // Back online: retry now rather than at the end of the backoff.
      const bindings: Parameters<typeof listen>[0] = [[win, 'online', () => wake?.()]]
      if (flushOnHide) {
        bindings.push(
          [doc, 'visibilitychange', () => doc?.visibilityState === 'hidden' && onHidden()],
          [win, 'pagehide', hide, 0],
          [win, 'pagehide', onPageHide],
          [win, 'pageshow', onPageShow],
        )
      }
      stopListening = listen(bindings)
    },
    write(lines, context) {
      ctx ??= context
      // No fetch at all (an old runtime, jsdom): said to the recorder (a fault), not retried in silence.
      fetchFn()
      return enqueue(lines)
    },
    writeSync(lines, context) {
      ctx ??= context
      void enqueue(lines)
    },
    async close() {
      await Promise.all(queue.map((c) => c.settled))
      unanswered(false)
      stopListening?.()
      stopListening = undefined
    },
    pending() {
      return { chunks: queue.length, bytes: queue.reduce((n, c) => n + c.bytes, 0) }
    },
  }
  return sink
}
