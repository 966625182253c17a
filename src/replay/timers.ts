import type { ReplayOptions } from './types'

type Timers = Pick<typeof globalThis, 'setTimeout' | 'setInterval'>

/**
 * The timers a `createStore` replay store starts while replay runs it, cleared when replay ends.
 * The store is replay's own, built for the replay, and nothing reads it afterwards; left running,
 * the timers keep Node alive after the replay and act on the store later (RTK Query's middleware
 * removes each unused query after `keepUnusedDataFor`, 60 s; redux-persist's PERSIST waits its
 * `timeout`, 5 s). Replay runs synchronously, so while it is `enter`ed only replay's own calls run:
 * the global `setTimeout` and `setInterval` are wrapped to note what they start, and put back on
 * `leave`. The caller's `onStep` runs with them as they were (what it starts is the caller's).
 */
export class StoreTimers {
  private readonly started: [handle: any, interval: boolean][] = []
  /** While entered: the functions as they were, then the wrappers put in their place. */
  private saved: [Timers, Timers] | undefined

  /** Options whose `onStep` runs outside (see the class). */
  wrap<O extends ReplayOptions<any>>(options: O): O {
    const onStep = options.onStep
    return onStep === undefined
      ? options
      : {
          ...options,
          onStep: (step) => {
            const inside = this.saved !== undefined
            this.leave()
            try {
              onStep(step)
            } finally {
              if (inside) this.enter()
            }
          },
        }
  }

  enter(): void {
    const g = globalThis as Timers
    if (this.saved !== undefined || typeof g.setTimeout !== 'function' || typeof g.setInterval !== 'function') return
    const was: Timers = { setTimeout: g.setTimeout, setInterval: g.setInterval }
    const noting =
      (start: (...args: any[]) => unknown, interval: boolean) =>
      (...args: unknown[]) => {
        const handle = start.apply(globalThis, args)
        this.started.push([handle, interval])
        return handle
      }
    g.setTimeout = noting(was.setTimeout, false) as typeof setTimeout
    g.setInterval = noting(was.setInterval, true) as typeof setInterval
    this.saved = [was, { setTimeout: g.setTimeout, setInterval: g.setInterval }]
  }

  leave(): void {
    const saved = this.saved
    if (saved === undefined) return
    this.saved = undefined
    const g = globalThis as Timers
    // (Unless something else replaced them meanwhile: theirs stays.)
    if (g.setTimeout === saved[1].setTimeout) g.setTimeout = saved[0].setTimeout
    if (g.setInterval === saved[1].setInterval) g.setInterval = saved[0].setInterval
  }

  /** Leaves, and clears every timer noted (one that ran or was cleared already: a no-op). */
  end(): void {
    this.leave()
    for (const [handle, interval] of this.started.splice(0)) {
      try {
        if (interval) clearInterval(handle)
        else clearTimeout(handle)
      } catch {
        // (a handle they do not take back: left as it is)
      }
    }
  }
}
