import { attachHeaderParts, attachParts } from '../internal/lineParts'
import { attachOwnDropped } from '../internal/ownDropped'
import { settlesBy } from '../internal/settlesBy'
import { lineText, type Line } from './lines'
import type { Sink, SinkContext } from './types'

/** Lines collected together, starting at `fromSeq`, from the state `base`. */
export interface Batch {
  readonly fromSeq: number
  readonly base: unknown
  readonly lines: Line[]
  bytes: number
  /**
   * Bytes of the newest line in it holding a full state (the header, a checkpoint), from which
   * replay can start over after a gap; 0 when none does.
   */
  full?: number
  /** Starts with the header (which is not an entry). */
  headed?: boolean
}

/** What a sink queue needs from the recorder. */
export interface SinkHost {
  readonly session: string
  /** Serialises every entry not yet handed to sinks into their queues. */
  collect(): void
  /**
   * `collect()` for a write of everything now (exit, `drain()`): every queue's losses not yet in a
   * `@@dropped` are reported first (see `reportLosses`), and no queue drops anything meanwhile.
   */
  collectAll(): void
  /** A header for a log starting at `at` (or, without it, after the last collected line). */
  header(at: Batch | undefined): Line
  /** Writes a `@@checkpoint` soon. */
  requestCheckpoint(): void
  /** Counts lost lines (`stats().dropped`, `@@end`'s `dropped`). */
  lost(count: number): void
  /** Writes a `@@dropped` entry (then, unless `checkpoint` is false, a checkpoint); returns its seq (0 when none was written). */
  reportDropped(count: number, reason: string, checkpoint?: boolean): number
  /** Reports a sink fault (`onError`, `@@error`). */
  fault(error: unknown): void
  /** `bytes` of lines were handed over. */
  written(bytes: number): void
  /**
   * Resolves when no full state is being serialised in slices (a header then costs little); `at`:
   * the header for it is one of them (a sink's header for the lines it is writing: a new segment).
   */
  statesReady(at: Batch | undefined): Promise<void>
}

/** How many of a sink's own `@@dropped` entries a queue remembers (see `SinkQueue.own`). */
const OWN_KEPT = 256

const bytesOf = (lines: readonly string[]) => lines.reduce((n, l) => n + l.length + 1, 0)
/** The seq of a batch's last entry. */
const lastSeq = (b: Batch) => b.fromSeq + b.lines.length - (b.headed ? 2 : 1)

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
 * lines dropped (and reported) past `maxBytes` so that what the sink gets stays checkable by replay:
 * first those just before the newest batch holding a full state; with none left, those just before
 * the newest batch, and a checkpoint is asked for. The newest batch and newest full state are kept.
 */
export class SinkQueue {
  private batches: Batch[] = []
  private queuedBytes = 0
  /** Bytes of the write in flight: the sink holds them (httpSink until they are delivered), so they count against `maxBytes` too. */
  private inflightBytes = 0
  /** Of `inflightBytes`, the newest line holding a full state (see `bound`). */
  private inflightFull = 0
  /**
   * Bytes the sink took with `drain()` (httpSink when the page is hidden): it holds them until a
   * write started after that ends (a sink writes in order), so they count against `maxBytes` too.
   */
  private drainedBytes = 0
  private busy = false
  private headerSent = false
  /**
   * This sink's `@@dropped` entries (by seq, their count): one this queue drops in turn, or the
   * sink loses in turn once handed to it, carries its count into the next report
   * (src/internal/ownDropped.ts). The newest `OWN_KEPT` are kept.
   */
  private own = new Map<number, number>()
  /**
   * A loss was reported and no write has ended since: further losses are counted here and reported
   * together when one does (each report and its checkpoint would otherwise overflow the queue again,
   * and be reported in turn, without end).
   */
  private quiet = false
  private unreported = 0
  /**
   * Bytes dropped since a checkpoint was last asked for after a gap (see `bound`), or -1 when none
   * was since a write last ended. Another is asked for only once as many bytes of lines as the
   * newest full state holds were dropped: a write stuck with the queue full would otherwise have a
   * whole state written every few flushes (a state larger than the bound: every few actions), most
   * of them dropped in turn. So checkpoints cost at most what they let replay check.
   */
  private sinceAsked = -1
  /** Bytes of the newest full-state line this queue has held (see `sinceAsked`). */
  private stateBytes = 0
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
      reportDropped: (count, reason, options) => this.sinkDropped(count, 0, reason, options?.checkpoint !== false),
      drain: () => {
        const lines = this.take()
        this.drainedBytes += bytesOf(lines)
        return lines
      },
    }
    attachHeaderParts(this.ctx, () => {
      const line = this.header()
      return typeof line === 'string' ? { text: line, parts: undefined } : line
    }, () => host.statesReady(this.current))
    attachOwnDropped(this.ctx, {
      take: (seq) => {
        const count = this.own.get(seq) ?? 0
        this.own.delete(seq)
        return count
      },
      report: (count, carried, reason, checkpoint) => this.sinkDropped(count, carried, reason, checkpoint !== false),
    })
  }

  /**
   * The sink lost `count` lines, and with them its own `@@dropped` entries whose counts add up to
   * `carried` (counted as dropped when they were reported): one `@@dropped` says both, so the
   * entries of the log that arrives add up to what is missing from it.
   */
  private sinkDropped(count: number, carried: number, reason: unknown, checkpoint: boolean): void {
    if (!(count > 0)) return
    const total = count + (carried > 0 ? carried : 0)
    this.host.lost(count)
    this.noted(this.host.reportDropped(total, String(reason), checkpoint), total)
    // Said to the app too (`onError`, `@@error`), as a queue that overflows says it.
    const also = total > count ? `, and an earlier @@dropped entry with them: ${total} in all` : ''
    this.host.fault(new Error(`A sink dropped ${count} ${count === 1 ? 'line' : 'lines'} (${String(reason)}${also}).`))
  }

  /** Everything queued, collected first (`SinkHost.collectAll`), as the sink gets it (`drain()`, the synchronous flush at exit). */
  private take(): string[] {
    this.host.collectAll()
    const lines = forSink(this.batches)
    // header() during the sink's synchronous write describes the first drained line.
    if (this.batches.length > 0) {
      this.current = this.batches[0]
    }
    this.batches = []
    this.queuedBytes = 0
    return lines
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

  /**
   * `@@end` is recorded: the batch that holds it, and the losses' last `@@dropped` before it, go on
   * top of what is queued without dropping anything older (a loss there could no longer be
   * reported in the log).
   */
  ending = false

  /** Queues a batch; the first one the sink ever gets starts with a header. */
  push(batch: Batch): void {
    if (!this.headerSent) {
      this.addHeader(batch)
      this.headerSent = true
    }
    this.batches.push(batch)
    this.queuedBytes += batch.bytes
    if (!this.ending) this.bound()
  }

  /** Puts a header for its first line in front of `batch`; returns its bytes. */
  private addHeader(batch: Batch): number {
    const header = this.host.header(batch)
    const bytes = lineText(header).length + 1
    batch.lines.unshift(header)
    batch.bytes += bytes
    batch.headed = true
    batch.full ||= bytes
    return bytes
  }

  private bound(): void {
    let lost = 0
    let carried = 0
    for (;;) {
      const batches = this.batches
      const n = batches.length
      // The newest batch holding a full state (the header, a checkpoint) is kept, so that what the
      // sink gets next replays from a state, and the bound applies to the rest: one state line
      // (queued, or else in flight) larger than the bound neither is dropped nor makes the queue
      // drop everything behind it (and ask for another checkpoint, as large, without end).
      let full = n - 1
      while (full >= 0 && !batches[full].full) full--
      const exempt = full >= 0 ? batches[full].full! : this.inflightFull
      if (exempt > 0) this.stateBytes = exempt
      if (this.queuedBytes + this.inflightBytes + this.drainedBytes - exempt <= this.maxBytes) break
      // Replay checks lines from a full state on, up to a gap, and after a gap from the next full
      // state. So what goes is the batch whose loss leaves the fewest lines unchecked: the one just
      // before the newest full state (only the lines ahead of that state in its batch follow the
      // gap), so an older run keeps its start and the state it starts from. With nothing before
      // that state, the queue runs on from it (or from what the sink was given) without a gap up
      // to the newest batch, which stays (what a sink gets is never older than the last flush): the
      // one before it goes, and a checkpoint is asked for, so that the lines after this gap start
      // from a state soon (the newest batch's, unchecked, go first once it is queued).
      let i = full - 1
      if (full <= 0) {
        i = n - 2
        if (i <= full) break
        if (this.sinceAsked < 0 || this.sinceAsked >= this.stateBytes) {
          this.host.requestCheckpoint()
          this.sinceAsked = 0
        }
      }
      const [old] = this.batches.splice(i, 1)
      this.queuedBytes -= old.bytes
      if (this.sinceAsked >= 0) this.sinceAsked += old.bytes
      const last = lastSeq(old)
      lost += last - old.fromSeq + 1
      // A @@dropped entry of this queue lost in turn: its count goes into the next report.
      for (const [seq, count] of this.own) {
        if (seq < old.fromSeq || seq > last) continue
        carried += count
        this.own.delete(seq)
      }
      // The sink has had nothing yet: what it gets first starts with a header (of its own first line).
      if (old.headed) this.queuedBytes += this.addHeader(this.batches[0])
    }
    if (lost > 0) {
      this.host.lost(lost)
      this.report(lost + carried)
    }
  }

  /** Writes a `@@dropped` entry, or while an earlier one waits for a write to end, counts the loss for the next. */
  private report(count: number): void {
    if (this.quiet) return void (this.unreported += count)
    this.quiet = true
    // Said to the app too (`onError`, `@@error`), once per report like the @@dropped itself.
    // (Without `onError`, the console shows a recorder's first sink fault only: in development it says the rest are counted.)
    this.host.fault(
      new Error(
        process.env.NODE_ENV !== 'production'
          ? `A sink fell behind by more than ${this.maxBytes} bytes (\`sinkQueueBytes\`): ${count} ${count === 1 ? 'line was' : 'lines were'} dropped; later losses are reported together as its writes end, and \`stats().dropped\` counts them all.`
          : `A sink fell behind by more than ${this.maxBytes} bytes; ${count} lines were dropped.`,
      ),
    )
    this.noted(this.host.reportDropped(count, 'sink-queue-full'), count)
  }

  /** A `@@dropped` entry (at `seq`) for this sink's loss, which an overflow may drop in turn. */
  private noted(seq: number, count: number): void {
    if (!(seq > 0)) return
    this.own.set(seq, count)
    if (this.own.size > OWN_KEPT) this.own.delete(this.own.keys().next().value!)
  }

  /** A write ended: `bytes` were written, and losses counted since the last report are reported. */
  private ended(bytes: number): void {
    this.host.written(bytes)
    this.quiet = false
    this.sinceAsked = -1
    this.reportLosses()
  }

  /**
   * Writes the losses counted since the last report (after a write ended; before `@@end`; before
   * everything is written at once, at exit, where no write will end again).
   */
  reportLosses(): void {
    if (this.unreported === 0) return
    const count = this.unreported
    this.unreported = 0
    this.quiet = false
    this.report(count)
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
    const drained = this.drainedBytes
    const done = () => {
      this.busy = false
      this.current = undefined
      this.inflightBytes = 0
      this.inflightFull = 0
      this.drainedBytes -= drained
    }
    const requeue = (error: unknown) => {
      this.batches = batches.concat(this.batches)
      this.queuedBytes += bytes
      this.host.fault(error)
      // (Once `@@end` is recorded nothing is dropped: a loss could no longer be reported.)
      if (!this.ending) this.bound()
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
      for (const b of batches) if (b.full) this.inflightFull = b.full
      // Every in-flight write is kept (also those the flush timer started), so flush() waits on
      // the write itself instead of spinning on a promise that already settled.
      this.inflight = (result as Promise<void>).then(
        () => {
          done()
          this.ended(bytes)
        },
        (error) => {
          done()
          requeue(error)
        },
      )
      return this.inflight
    }
    done()
    this.ended(bytes)
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
    const lines = this.take()
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
