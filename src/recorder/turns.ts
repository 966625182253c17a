import type { Middleware } from 'redux'
import type { AsyncTurns } from './types'
import { metaOf, turnName } from './turnName'

/** `createAsyncThunk` request ids remembered between pending and fulfilled/rejected; the oldest go first. */
const MAX_REQUESTS = 1024
/**
 * The turn of a dispatch from outside (without an async context) until something in it is
 * recorded: it takes a number only then, so a thunk that dispatches nothing, or an action that
 * names its own turn (`meta.turn`), leaves no gap in the numbering (t13, checkout, t15).
 */
const UNNUMBERED = -1

/**
 * Turn ids without touching `dispatch`: a dispatch from outside starts a turn; dispatches made
 * while it runs share it (a depth counter); `createAsyncThunk`'s pending/fulfilled/rejected share
 * the turn that dispatched pending (by `meta.requestId`); an `AsyncTurns` context carries the turn
 * across `await`.
 */
export class Turns {
  /** Turns started so far; turn ids are `t1`, `t2`, … */
  count = 0
  /** The turn of the dispatch running now (valid while `depth > 0`). */
  active = 0
  /** Dispatches on the stack that went through the middleware. */
  depth = 0
  /**
   * The number of the running outermost dispatch's turn once something in it took one (0: not
   * yet): what an `active` of UNNUMBERED stands for, also inside the dispatches it makes.
   */
  private outerNumber = 0
  private readonly requests = new Map<string, number>()
  readonly middleware: Middleware

  /**
   * `ignoreNames`: an action's `meta.turn` is redacted, so its entry gets a numbered turn as any
   * other (see `named`).
   */
  constructor(
    given: AsyncTurns | undefined,
    private readonly ignoreNames = false,
  ) {
    const self = this
    // Options are not checked in production: a `turns` that is no AsyncTurns must not make every dispatch throw.
    const context = typeof given?.current === 'function' && typeof given.run === 'function' ? given : undefined
    /** Enters a dispatch: sets its turn, returns the turn to restore when it ends. */
    const begin = (action: unknown): number => {
      const saved = self.active
      if (self.depth === 0) self.outerNumber = 0
      let turn = self.depth === 0 ? (context?.current() ?? 0) : saved
      const meta = metaOf(action)
      if (meta !== undefined) {
        try {
          const { requestId, requestStatus } = meta
          if (typeof requestId === 'string' && typeof requestStatus === 'string') turn = self.request(requestId, requestStatus, turn)
        } catch {}
      }
      // A turn takes its number when something in it is recorded (or a request starts in it), so a
      // thunk that dispatches nothing, or only what never reaches the reducer (an action a
      // middleware swallows, RTK Query's condition rejection), or an action that names its own
      // turn, leaves no gap; a dispatch inside it shares it (UNNUMBERED: `outerNumber` once it has
      // one). An async context carries the number across `await`, so it needs one at once.
      if (turn === 0) turn = context === undefined ? UNNUMBERED : ++self.count
      self.active = turn
      self.depth++
      return saved
    }
    type Next = (...args: unknown[]) => unknown
    // Plain functions, not arrows with rest parameters: `arguments.length` and
    // `next.apply(undefined, arguments)` let V8 forward every argument without allocating, so
    // the usual one-argument dispatch costs no garbage, and extra arguments pass on unchanged.
    this.middleware = context
      ? () => (next) =>
          function flightRecorderTurns(action: unknown): unknown {
            const outer = self.depth === 0
            const saved = begin(action)
            const args = arguments
            try {
              return outer ? context.run(self.active, () => (next as Next).apply(undefined, args as never)) : (next as Next).apply(undefined, args as never)
            } finally {
              self.depth--
              self.active = saved
            }
          }
      : () => (next) =>
          function flightRecorderTurns(action: unknown): unknown {
            const saved = begin(action)
            try {
              return arguments.length === 1 ? next(action) : (next as Next).apply(undefined, arguments as never)
            } finally {
              self.depth--
              self.active = saved
            }
          }
  }

  /** The action names its entry's turn (`meta.turn`, a string, not redacted). */
  named(action: unknown): boolean {
    return !this.ignoreNames && turnName(action) !== undefined
  }

  /** The turn of an entry being recorded now: the running dispatch's, or a new one. */
  entryTurn(): number {
    if (this.depth === 0) return ++this.count
    return this.active === UNNUMBERED ? this.numbered() : this.active
  }

  /** The running outermost dispatch's turn number, taken now if it has none yet. */
  private numbered(): number {
    return this.outerNumber || (this.outerNumber = ++this.count)
  }

  private request(id: string, status: string, turn: number): number {
    const requests = this.requests
    if (status === 'pending') {
      if (turn === 0) turn = ++this.count
      else if (turn === UNNUMBERED) turn = this.numbered()
      if (requests.size >= MAX_REQUESTS) requests.delete(requests.keys().next().value!)
      requests.set(id, turn)
      return turn
    }
    const started = requests.get(id)
    if (started === undefined) return turn
    requests.delete(id)
    return started
  }

  /** Requests waiting for their fulfilled/rejected action (for tests). */
  get waiting(): number {
    return this.requests.size
  }
}
