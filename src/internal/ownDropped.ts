/**
 * A sink's own `@@dropped` entries, when a sink loses them in turn (httpSink gives up the chunk
 * holding one, fileSink leaves it out of a new file): the count such an entry carried must go into
 * the next report, or the `@@dropped` entries of the log that arrives add up to less than what is
 * missing from it. The sink queue knows which entries are the sink's own (it wrote them for this
 * sink's losses and its own overflows; another sink's reports reach every log but are no loss of
 * this one); it lends that knowledge to the sink through its context. `Symbol.for`, because
 * `redux-flight-recorder/node` and `/browser` bundle their own copy of this module; a context
 * without it (another copy of the package, a test's own) carries nothing, as before.
 */
const OWN_DROPPED = Symbol.for('redux-flight-recorder.ownDropped.1')

export interface OwnDropped {
  /** The count of this sink's own `@@dropped` entry at `seq`, which is lost with the sink's lines (0 for any other line); taken once. */
  take(seq: number): number
  /** Reports `count` lost lines with one `@@dropped` whose count also holds `carried`, the counts of lost own `@@dropped` entries (already counted as dropped). */
  report(count: number, carried: number, reason: string, checkpoint?: boolean): void
}

export function attachOwnDropped(ctx: object, own: OwnDropped): void {
  Object.defineProperty(ctx, OWN_DROPPED, { value: own })
}

/** A `@@dropped` line as the recorder writes it; its seq is the first group. */
const DROPPED = /^\{"seq":(\d+),"ts":"[^"]*","t":[-+.\deE]+,"turn":(?:null|"(?:[^"\\]|\\.)*"),"kind":"@@dropped"/

/** Whether `line` is a `@@dropped` entry as the recorder writes it; its seq, or 0. */
export function droppedSeq(line: string): number {
  const m = DROPPED.exec(line)
  return m ? Number(m[1]) : 0
}

/** The counts of the sink's own `@@dropped` entries at `seqs`, now lost with the sink's lines. */
export function carriedCount(ctx: object | undefined, seqs: Iterable<number>): number {
  const own = ctx && (ctx as { [OWN_DROPPED]?: OwnDropped })[OWN_DROPPED]
  if (!own) return 0
  let n = 0
  for (const seq of seqs) n += own.take(seq)
  return n
}

/**
 * `ctx.reportDropped(count, reason)`, with `carried` (from `carriedCount`) added to the entry's
 * count only; `checkpoint: false` asks for no checkpoint after it (see `SinkContext.reportDropped`).
 */
export function reportLoss(ctx: { reportDropped(count: number, reason: string, options?: { checkpoint?: boolean }): void }, count: number, carried: number, reason: string, checkpoint = true): void {
  const own = (ctx as { [OWN_DROPPED]?: OwnDropped })[OWN_DROPPED]
  if (own && carried > 0) own.report(count, carried, reason, checkpoint)
  else if (checkpoint) ctx.reportDropped(count, reason)
  else ctx.reportDropped(count, reason, { checkpoint: false })
}
