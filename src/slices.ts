/**
 * One time slice per event-loop turn for all of the recorder's deferred work (hashing states,
 * writing full states as JSON): the jobs take turns inside it, so two kinds of work never run back
 * to back in one turn (two 8 ms slices in a row are one 16 ms task). A job whose step cannot be cut
 * (one state's incremental hash, one native `Object.keys`) may overrun the slice; the next job
 * then waits for the next turn, and the turn after starts with it.
 */

/** One slice runs this long at most (ms), then yields to the event loop. */
export const SLICE_MS = 8

/** Works until `performance.now()` passes `until` (or at least one step); true while it has more to do. */
export type SliceJob = (until: number) => boolean

export const now: () => number = () => (typeof performance === 'object' ? performance.now() : Date.now())

/** Jobs with work, in the order they run next; the value: keep a Node process alive for it. */
const jobs = new Map<SliceJob, boolean>()
let handle: { ref?: () => void } | undefined
let scheduled = false
let refd = false
let channel: MessageChannel | undefined
/** When work that counts as this turn's slice last ended inline (on the dispatch path); whether the last turn was skipped for it. */
let inlineEnd = -Infinity
let skipped = false

/**
 * Work that could have waited for a slice ran inline (a queue past its bound): the slice that
 * would run right after it in the same turn waits for the next turn (once), so the two do not add up.
 */
export function ranInline(): void {
  inlineEnd = now()
}

/** Runs `fn` soon, after pending I/O and timers: setImmediate in Node (unref'd unless `keepAlive`), a MessageChannel in browsers. */
function schedule(fn: () => void, keepAlive: boolean): void {
  if (typeof setImmediate === 'function') {
    const h = setImmediate(fn) as { ref?: () => void; unref?: () => void }
    if (!keepAlive) h.unref?.()
    handle = h
  } else if (typeof MessageChannel === 'function') {
    if (channel === undefined) {
      channel = new MessageChannel()
      channel.port1.onmessage = () => turn()
    }
    channel.port2.postMessage(null)
  } else {
    setTimeout(fn, 0)
  }
}

/** Runs `job` in the coming slices until it returns false; `keepAlive`: keeps a Node process alive meanwhile. */
export function sliceLater(job: SliceJob, keepAlive: boolean): void {
  const had = jobs.get(job)
  if (had === undefined || (keepAlive && !had)) jobs.set(job, keepAlive)
  if (scheduled) {
    // A turn is coming: it keeps the process alive if any job asks for it.
    if (keepAlive && !refd) {
      handle?.ref?.()
      refd = true
    }
    return
  }
  scheduled = true
  refd = keepAlive || had === true
  schedule(turn, refd)
}

function turn(): void {
  scheduled = false
  refd = false
  handle = undefined
  const start = now()
  if (!skipped && start - inlineEnd < SLICE_MS / 2) {
    skipped = true
    return next()
  }
  skipped = false
  const until = start + SLICE_MS
  for (const [job, keepAlive] of [...jobs]) {
    jobs.delete(job)
    let more = false
    try {
      more = job(until)
    } catch {
      // A job reports its own faults; one that throws anyway is dropped, never the app's turn.
    }
    // Back in line behind the others: the next turn starts with a job that did not run.
    if (more) jobs.set(job, keepAlive)
    if (now() >= until) break
  }
  next()
}

function next(): void {
  if (jobs.size > 0 && !scheduled) {
    let keepAlive = false
    for (const k of jobs.values()) keepAlive ||= k
    scheduled = true
    refd = keepAlive
    schedule(turn, keepAlive)
  }
}
