import { attachHeaderParts, attachParts } from '../internal/lineParts'
import { settlesBy } from '../internal/settlesBy'
import { lineText, type Line } from './lines'
import type { Sink, SinkContext } from './types'

/** Lines collected together, starting at `fromSeq`, from the state `base`. */
export interface Batch {
  readonly fromSeq: number
  readonly base: unknown
  readonly lines: Line[]
  bytes: number
}

/** What a sink queue needs from the recorder. */
export interface SinkHost {
  readonly session: string
  /** Serialises every entry not yet handed to sinks into their queues. */
  collect(): void
  /** A header for a log starting at `at` (or, without it, after the last collected line). */
  header(at: Batch | undefined): Line
  /** Writes a `@@checkpoint` soon. */
  requestCheckpoint(): void
  /** Counts lost lines and writes a `@@dropped` entry (then a checkpoint). */
  reportDropped(count: number, reason: string): void
  /** Reports a sink fault (`onError`, `@@error`). */
  fault(error: unknown): void
  /** `bytes` of lines were handed over. */
  written(bytes: number): void
  /** Resolves when no full state is being serialised in slices (a header then costs little). */
  statesReady(): Promise<void>
}

const bytesOf = (lines: readonly string[]) => lines.reduce((n, l) => n + l.length + 1, 0)

/** The batches' lines as a sink gets them: strings, with the parts of large ones beside (src/internal/lineParts.ts). */
function forSink(batches: readonly Batch[]): string[] {
  const out: string[] = []
  let parts: Map<number, readonly string[]> | undefined
  for (const b of batches) {
    for (const l of b.lines) {
      if (typeof l !== 'string') (parts ??= new Map()).set(out.length, l.parts)
      out.push(lineText(l))
    }
  }
  return parts ? attachParts(out, parts) : out
}

/**
 * One sink's bounded outgoing queue: at most one write in flight, failed writes kept and retried,
 * the oldest lines dropped (and reported) past `maxBytes`.
 */
export class SinkQueue {
  private batches: Batch[] = []
  private queuedBytes = 0
  /** Bytes of the write in flight: the sink holds them (httpSink until they are delivered), so they count against `maxBytes` too. */
  private inflightBytes = 0
  private busy = false
  private headerSent = false
  /** The batch being written: `ctx.header()` describes its first line. */
  private current: Batch | undefined
  private inflight: Promise<void> | undefined
  readonly ctx: SinkContext

  constructor(
    readonly sink: Sink,
    private readonly host: SinkHost,
    private readonly maxBytes: number,
    private readonly timeoutMs: number,
  ) {
    this.ctx = {
      session: host.session,
      header: () => lineText(this.header()),
      checkpoint: () => host.requestCheckpoint(),
      reportDropped: (count, reason) => {
        if (!(count > 0)) return
        host.reportDropped(count, String(reason))
        // Said to the app too (`onError`, `@@error`), as a queue that overflows says it.
        host.fault(new Error(`A sink dropped ${count} ${count === 1 ? 'line' : 'lines'} (${String(reason)}).`))
      },
      drain: () => {
        host.collect()
        const lines = forSink(this.batches)
        // header() during the sink's synchronous write describes the first drained line.
        if (this.batches.length > 0) this.current = this.batches[0]
        this.batches = []
        this.queuedBytes = 0
        return lines
      },
    }
    attachHeaderParts(this.ctx, () => {
      const line = this.header()
      return typeof line === 'string' ? { text: line, parts: undefined } : line
    }, () => host.statesReady())
  }

  /** The header describing the first line of the write in progress, or of what is queued. */
  private header(): Line {
    return this.host.header(this.current ?? this.batches[0])
  }

  /** Lines waiting for this sink. */
  get pending(): number {
    return this.batches.reduce((n, b) => n + b.lines.length, 0)
  }

  /** Nothing queued and no write in flight. */
  get idle(): boolean {
    return !this.busy && this.batches.length === 0
  }

  /** Queues a batch; the first one the sink ever gets starts with a header. */
  push(batch: Batch): void {
    if (!this.headerSent) {
      const header = this.host.header(batch)
      batch.lines.unshift(header)
      batch.bytes += lineText(header).length + 1
      this.headerSent = true
    }
    this.batches.push(batch)
    this.queuedBytes += batch.bytes
    this.bound()
  }

  private bound(): void {
    let lost = 0
    while (this.queuedBytes + this.inflightBytes > this.maxBytes && this.batches.length > 1) {
      const old = this.batches.shift()!
      this.queuedBytes -= old.bytes
      lost += old.lines.length
    }
    if (lost > 0) {
      this.host.fault(new Error(`A sink fell behind by more than ${this.maxBytes} bytes; ${lost} lines were dropped.`))
      this.host.reportDropped(lost, 'sink-queue-full')
    }
  }

  /** Starts a write of everything queued unless one is in flight; returns it when it is async. */
  pump(): Promise<void> | undefined {
    if (this.busy || this.batches.length === 0) return undefined
    const batches = this.batches
    this.batches = []
    this.queuedBytes = 0
    const lines = forSink(batches)
    const bytes = batches.reduce((n, b) => n + b.bytes, 0)
    this.current = batches[0]
    const done = () => {
      this.busy = false
      this.current = undefined
      this.inflightBytes = 0
    }
    const requeue = (error: unknown) => {
      this.batches = batches.concat(this.batches)
      this.queuedBytes += bytes
      this.host.fault(error)
      this.bound()
    }
    let result: void | Promise<void>
    try {
      result = this.sink.write(lines, this.ctx)
    } catch (error) {
      this.current = undefined
      requeue(error)
      return undefined
    }
    if (result && typeof (result as Promise<void>).then === 'function') {
      this.busy = true
      this.inflightBytes = bytes
      // Every in-flight write is kept (also those the flush timer started), so flush() waits on
      // the write itself instead of spinning on a promise that already settled.
      this.inflight = (result as Promise<void>).then(
        () => {
          done()
          this.host.written(bytes)
        },
        (error) => {
          done()
          requeue(error)
        },
      )
      return this.inflight
    }
    this.current = undefined
    this.host.written(bytes)
    return undefined
  }

  /**
   * Waits for a write in flight, then writes what is queued, until the queue is empty, a write
   * fails (reported, not retried here) or `deadline` (epoch ms) passes, which is reported.
   */
  async flush(deadline: number): Promise<void> {
    const within = (p: Promise<void>) => settlesBy(p, deadline)
    for (let round = 0; round < 3; round++) {
      // The write in flight itself: it clears `busy` as it settles (unless the flush timer started another since).
      while (this.busy) {
        if (!(await within(this.inflight!))) return this.stuck()
      }
      if (this.batches.length === 0) return
      const before = this.batches.length
      const p = this.pump()
      if (p && !(await within(p))) return this.stuck()
      if (this.batches.length >= before) return
    }
  }

  /** A flush stopped waiting for this sink's write (see `stuck`). */
  timedOut = false

  private stuck(): void {
    this.timedOut = true
    const pending = this.pending
    this.host.fault(
      new Error(
        `A sink did not finish writing within ${this.timeoutMs} ms (\`sinkTimeoutMs\`); flush() stopped waiting for it${pending > 0 ? ` with ${pending} lines still queued for it` : ''}.`,
      ),
    )
  }

  /** Hands everything pending to `writeSync`, if the sink has one (exit, page hide). */
  writeSync(): void {
    if (typeof this.sink.writeSync !== 'function') return
    const lines = this.ctx.drain()
    if (lines.length === 0) return
    try {
      this.sink.writeSync(lines, this.ctx)
      this.host.written(bytesOf(lines))
    } catch (error) {
      this.host.fault(error)
    } finally {
      this.current = undefined
    }
  }
}
