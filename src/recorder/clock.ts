const monotonic: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now()

/**
 * Entry times: `t` in milliseconds since the session started, monotonic even when an injected
 * `clock` goes backwards or fails. `onTrouble` hears about it once per episode (an injected clock's
 * only: the built-in one goes back only when its source is swapped, as fake timers do).
 */
export class Clock {
  /** Epoch milliseconds at `start()`. */
  startEpoch = 0
  private startMono = 0
  private lastT = 0
  /** The clock misbehaved at the last reading; reported once per episode, not at every entry. */
  private trouble = false
  /**
   * `onTrouble` is running: the entry it writes (`@@error`) reads the clock too, and takes the time
   * of the reading that failed, not a new one (a new reading made `t` go back for the entry that
   * was being recorded: `@@error` at 30, then the action at 10).
   */
  private reporting = false

  constructor(
    private readonly clock: (() => number) | undefined,
    private readonly onTrouble: (message: string) => void,
  ) {}

  private started = false

  /** Once (a lazily loaded recorder's shell starts it, and its core finds it started). */
  start(): void {
    if (this.started) return
    this.started = true
    this.startEpoch = this.read() ?? Date.now()
    this.startMono = monotonic()
  }

  /** The injected clock's reading, or undefined when it throws or returns no finite number. */
  private read(): number | undefined {
    if (!this.clock) return undefined
    try {
      const v = this.clock()
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined
    } catch {
      return undefined
    }
  }

  now(): number {
    if (this.reporting) return this.lastT
    let t: number
    let trouble: string | undefined
    if (this.clock) {
      const c = this.read()
      if (c === undefined) {
        t = this.lastT
        trouble =
          process.env.NODE_ENV !== 'production' ? 'the `clock` option threw or returned something other than a finite number; `t` stays at its last value' : 'the `clock` option failed'
      } else t = c - this.startEpoch
    } else if ((t = monotonic() - this.startMono) < this.lastT) {
      // The built-in clock went back: only a swapped source does that (a test turned fake timers
      // on or off after the recorder started, `vi.useFakeTimers()`), not a failing clock. `t` goes on
      // from its last value at the new source's pace, with no fault.
      this.startMono += t - this.lastT
      t = this.lastT
    }
    if (!(t >= this.lastT)) {
      trouble ??= `the clock went back ${Math.round(this.lastT - t)} ms${process.env.NODE_ENV !== 'production' ? '; `t` stays at its last value until the clock catches up' : ''}`
      t = this.lastT
    }
    this.lastT = t
    if (trouble === undefined) this.trouble = false
    else if (!this.trouble) {
      this.trouble = true
      this.reporting = true
      try {
        this.onTrouble(trouble)
      } finally {
        this.reporting = false
      }
    }
    return t
  }
}
