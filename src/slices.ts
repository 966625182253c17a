/**
 * One time slice per event-loop turn for all of the recorder's deferred work (hashing states,
 * writing full states as JSON, encoding a large write of `fileSink`): the jobs take turns inside
 * it, so two kinds of work never run back to back in one turn (two 8 ms slices in a row are one
 * 16 ms task). A job whose step cannot be cut (one state's incremental hash, one native
 * `Object.keys`, flattening a 10 MB line) may overrun the slice; the next job then waits for the
 * next turn, and the turn after starts with it. The state is shared through `globalThis`, so the
 * entry points that bundle this file each (the core and `redux-flight-recorder/node`) share turns.
 *
 * Under a test framework's fake timers (Vitest's and Jest's, the usual setup of component tests)
 * a turn scheduled with a faked function would run only when the test advances its clock, and
 * `flush()`/`close()` would wait for it forever: turns then follow each other in microtasks
 * instead (still one slice each, but without yielding to the event loop, which such a test does
 * not measure). A turn scheduled with a function that has been swapped since (fake timers
 * installed or removed before it ran) is scheduled again at the next request for one.
 */

/** One slice runs this long at most (ms), then yields to the event loop. */
export const SLICE_MS = 8

/** Works until `performance.now()` passes `until` (or at least one step); true while it has more to do. */
export type SliceJob = (until: number) => boolean

export const now: () => number = () => (typeof performance === 'object' ? performance.now() : Date.now())

interface Slicer {
  /** Jobs with work, in the order they run next; the value: keep a Node process alive for it. */
  jobs: Map<SliceJob, boolean>
  handle: { ref?: () => void } | undefined
  scheduled: boolean
  refd: boolean
  channel: MessageChannel | undefined
  /** What the coming turn was scheduled with (see `scheduler`), and its number: only the last one scheduled runs. */
  via: unknown
  armed: number
  /** When work that counts as this turn's slice last ended inline; whether the last turn was skipped for it. */
  inlineEnd: number
  skipped: boolean
  turn: () => void
}

/**
 * What is put on `globalThis`: frozen, and never written to; the state it holds (`s`) is. Jest 30's
 * default `globalsCleanup` ("soft") redefines, when a test file ends, every configurable property
 * of each object a test put on `globalThis` as an accessor whose setter calls itself forever: a turn
 * that ran after the teardown (a recorder left open, its last dispatch's hash still waiting) wrote
 * `scheduled = false` there and crashed the Jest process ("Maximum call stack size exceeded"). A
 * frozen object's properties are not configurable, and the cleanup goes no deeper than them.
 */
interface Shared {
  readonly shape: number
  readonly s: Slicer
}

/**
 * The shape of `Shared` and `Slicer`: raise it with any change to them. Another copy of the package in the same
 * process (another version under node_modules, a CommonJS and an ESM copy) shares the state only if
 * its shape is the same; a copy whose state has another shape (under the key of an older version,
 * or without this mark) keeps its own. (An older copy read this one's `armed` as undefined and its
 * turns never ran: `close()` waited forever.)
 */
const SHAPE = 3
const KEY = Symbol.for(`redux-flight-recorder.slices.${SHAPE}`)
const shared = globalThis as { [KEY]?: Shared }
let current: Slicer | undefined
/** The shared state, made on first use: importing an entry adds nothing to `globalThis` (test/package/importRunsNothing.spec.ts). */
function slicer(): Slicer {
  if (current !== undefined) return current
  const made: Shared = Object.freeze({ shape: SHAPE, s: { jobs: new Map(), handle: undefined, scheduled: false, refd: false, channel: undefined, via: undefined, armed: 0, inlineEnd: -Infinity, skipped: false, turn } })
  const found = (shared[KEY] ??= made)
  return (current = (found.shape === SHAPE ? found : made).s)
}

/**
 * Whether a timer function is a test framework's fake: @sinonjs/fake-timers (behind Vitest's and
 * Jest's fake timers) marks each function it installs with its `clock`; Jest's legacy fake timers are mocks.
 */
function faked(fn: unknown): boolean {
  const f = fn as { clock?: unknown; _isMockFunction?: unknown }
  return (typeof f.clock === 'object' && f.clock !== null) || f._isMockFunction === true
}

/** What the next turn is scheduled with: setImmediate, MessageChannel or setTimeout, or, when that is faked, a microtask (undefined). */
function scheduler(): unknown {
  const via = typeof setImmediate === 'function' ? setImmediate : typeof MessageChannel === 'function' ? MessageChannel : setTimeout
  return faked(via) ? undefined : via
}

/** Runs a turn soon, after pending I/O and timers: setImmediate in Node (unref'd unless `keepAlive`), a MessageChannel in browsers. */
function schedule(keepAlive: boolean): void {
  const S = slicer()
  S.scheduled = true
  S.refd = keepAlive
  S.handle = undefined
  const via = (S.via = scheduler())
  const id = ++S.armed
  // A turn scheduled before this one (with a function swapped since) does nothing if it runs.
  const run = () => {
    if (S.armed === id) S.turn()
  }
  if (via === undefined) {
    // Native promises: fake timers replace queueMicrotask at most, never these.
    void Promise.resolve().then(run)
  } else if (typeof setImmediate === 'function' && via === setImmediate) {
    const h = setImmediate(run) as { ref?: () => void; unref?: () => void }
    if (!keepAlive) h.unref?.()
    S.handle = h
  } else if (typeof MessageChannel === 'function' && via === MessageChannel) {
    let channel = S.channel
    if (channel === undefined) {
      channel = S.channel = new MessageChannel()
      channel.port1.onmessage = (e: MessageEvent) => {
        if (e.data === S.armed) S.turn()
      }
    }
    // In Node (a MessageChannel without setImmediate: Jest's jsdom environment with a polyfill) the
    // receiving port keeps the process alive as long as it is ref'd: only while a turn that asks
    // for it is coming (as setImmediate's handle), never once the work is done (see `turn`).
    const port = channel.port1 as unknown as { ref?: () => void; unref?: () => void }
    if (keepAlive) port.ref?.()
    else port.unref?.()
    S.handle = port
    channel.port2.postMessage(id)
  } else {
    setTimeout(run, 0)
  }
}

/** Runs `job` in the coming slices until it returns false; `keepAlive`: keeps a Node process alive meanwhile. */
export function sliceLater(job: SliceJob, keepAlive: boolean): void {
  const S = slicer()
  const had = S.jobs.get(job)
  if (had === undefined || (keepAlive && !had)) S.jobs.set(job, keepAlive)
  if (!S.scheduled) return schedule(keepAlive || had === true)
  // The coming turn was scheduled with a function swapped since (fake timers installed or removed):
  // it may never run, so another is scheduled with the current one.
  if (S.via !== scheduler()) return schedule(keepAlive || S.refd || [...S.jobs.values()].includes(true))
  // A turn is coming: it keeps the process alive if any job asks for it.
  if (keepAlive && !S.refd) {
    S.handle?.ref?.()
    S.refd = true
  }
}

/** Runs `fn` once, in a coming slice (its own step, as any job's), keeping a Node process alive until then. */
export function inSlice<T>(fn: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    sliceLater(() => {
      try {
        resolve(fn())
      } catch (error) {
        reject(error)
      }
      return false
    }, true),
  )
}

/**
 * Work that could have waited for a slice ran inline (a queue past its bound), from `since`: when
 * it took half a slice or more, the slice that would run right after it in the same turn waits for
 * the next turn (once), so the two do not add up. (Shorter work and a slice stay within about one.)
 */
export function ranInline(since: number): void {
  const t = now()
  if (t - since >= SLICE_MS / 2) slicer().inlineEnd = t
}

function turn(): void {
  const S = slicer()
  S.scheduled = false
  S.refd = false
  S.handle = undefined
  // The channel's port lets the process exit again until the next turn that needs it (`schedule`).
  ;(S.channel?.port1 as { unref?: () => void } | undefined)?.unref?.()
  const start = now()
  if (!S.skipped && start - S.inlineEnd < SLICE_MS / 2) {
    S.skipped = true
    return next()
  }
  S.skipped = false
  const until = start + SLICE_MS
  const jobs = S.jobs
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
  const S = slicer()
  if (S.jobs.size === 0 || S.scheduled) return
  let keepAlive = false
  for (const k of S.jobs.values()) keepAlive ||= k
  schedule(keepAlive)
}
