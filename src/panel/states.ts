// The states of a replayed timeline, without keeping 10,000 of them: the state before and after a
// step is kept only every few milliseconds of reducer time (and wherever a step did not start from
// the previous step's state: a rebase, a step the replayer ran more than one reducer call for).
// Any other state is rebuilt from the nearest kept one by running the reducer again, which costs
// at most that much reducer time; stepping one by one costs one reducer call.
import type { Reducer } from 'redux'

export interface StateStore {
  /** The reducer to replay with: the app's own, watched (its calls and their cost). */
  reducer: Reducer
  /** Notes a step the replayer ran through `reducer` (or skipped), with the state it reached. */
  step(skipped: boolean, action: unknown, after: unknown): void
  /** Notes a step replayed outside the replayer, from `before` to `after`. */
  stepFrom(before: unknown, action: unknown, after: unknown): void
  /**
   * Notes a step the replayer did not run (entries before it are missing, or the log could not
   * carry its action) or whose reducer threw (Redux keeps the state it had): the state stays
   * `state`, and rebuilding never runs the reducer on it. It may come between the reducer calls of
   * the replayer's next step and that step.
   */
  notReplayed(action: unknown, state: unknown): void
  /** What the reducer threw at its first call since the last step noted (the step's own call), if it did. */
  threw(): { error: unknown } | undefined
  /** The state after the last step noted. */
  lastState(): unknown
  /** The log's starting state (before the first step, when no step was noted). */
  start(state: unknown): void
  /** The state before step `i` and after it (`i` from 0). Throws what the reducer throws. */
  at(i: number): { before: unknown; after: unknown }
  /** How many states are kept (for tests and the benchmark). */
  readonly kept: number
}

/** Reducer time between kept states: what stepping to any step costs at most. */
const KEEP_EVERY_MS = 4
/** And at most this many steps between them. */
const KEEP_EVERY_STEPS = 256

const NONE = Symbol('none')

export function createStateStore(appReducer: Reducer): StateStore {
  /** Steps whose states are kept, ascending, and those states. */
  const anchors: number[] = []
  const before = new Map<number, unknown>()
  const after = new Map<number, unknown>()
  const actions: unknown[] = []
  const skips: boolean[] = []
  let initial: unknown = undefined
  // What the replayer did since the last step: reducer calls, the first call's input, their cost.
  let calls = 0
  let firstInput: unknown = NONE
  let spent = 0
  let firstThrow: { error: unknown } | undefined
  let prevAfter: unknown = NONE
  let sinceKept = 0
  let costSinceKept = 0
  /** The last state rebuilt, to step on from it. */
  let cursor = -1
  let cursorState: unknown = NONE

  const reducer: Reducer = (state, action) => {
    if (calls++ === 0) firstInput = state
    const t = performance.now()
    try {
      return appReducer(state, action)
    } catch (error) {
      if (calls === 1) firstThrow = { error }
      throw error
    } finally {
      spent += performance.now() - t
    }
  }

  function keep(i: number, b: unknown, a: unknown) {
    anchors.push(i)
    before.set(i, b)
    after.set(i, a)
    sinceKept = 0
    costSinceKept = 0
  }

  function note(i: number, regular: boolean, b: unknown, a: unknown) {
    sinceKept++
    costSinceKept += spent
    if (!regular || costSinceKept >= KEEP_EVERY_MS || sinceKept >= KEEP_EVERY_STEPS) keep(i, b, a)
    prevAfter = a
    calls = 0
    firstInput = NONE
    spent = 0
    firstThrow = undefined
  }

  /** The state after step `i`, rebuilt from the nearest kept state (or the cursor, when nearer). */
  function stateAfter(i: number): unknown {
    if (i < 0) return anchors.length > 0 && anchors[0] === 0 ? before.get(0) : initial
    if (after.has(i)) return after.get(i)
    // The last kept step at or before i (there is always one: the first step is kept).
    let lo = 0
    let hi = anchors.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (anchors[mid] <= i) lo = mid
      else hi = mid - 1
    }
    let from = anchors[lo]
    let state = after.get(from)
    if (cursorState !== NONE && cursor > from && cursor <= i) {
      from = cursor
      state = cursorState
    }
    for (let k = from + 1; k <= i; k++) {
      if (!skips[k]) state = appReducer(state, actions[k] as never)
      cursor = k
      cursorState = state
    }
    return state
  }

  return {
    reducer,
    get kept() {
      return anchors.length
    },
    step(skipped, action, a) {
      const i = actions.length
      actions.push(action)
      skips.push(skipped)
      // A regular step ran one reducer call from the previous step's state (or none, skipped).
      const regular = skipped ? calls === 0 && a === prevAfter : calls === 1 && firstInput === prevAfter
      note(i, regular, skipped ? a : firstInput, a)
    },
    stepFrom(b, action, a) {
      const i = actions.length
      actions.push(action)
      skips.push(false)
      note(i, b === prevAfter, b, a)
    },
    notReplayed(action, state) {
      const i = actions.length
      actions.push(action)
      skips.push(true)
      // Kept (the same state twice costs nothing); the reducer calls counted so far are the next step's.
      anchors.push(i)
      before.set(i, state)
      after.set(i, state)
      prevAfter = state
    },
    threw: () => firstThrow,
    lastState() {
      return prevAfter === NONE ? initial : prevAfter
    },
    start(state) {
      initial = state
    },
    at(i) {
      if (before.has(i)) return { before: before.get(i), after: after.get(i) }
      const b = stateAfter(i - 1)
      return { before: b, after: stateAfter(i) }
    },
  }
}
