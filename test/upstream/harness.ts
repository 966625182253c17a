/**
 * Issue 13 (4): Redux's and Redux Toolkit's own specs, vendored under test/upstream/, run both ways:
 * without the recorder, and with it installed in each composition order the README allows. The
 * vendored files import `describe`, `it`, … from here and `createStore`, `applyMiddleware`,
 * `configureStore` from ./redux.ts and ./toolkit.ts instead of 'vitest', 'redux' and
 * '@reduxjs/toolkit'; nothing else in them changes.
 *
 * Every top-level `describe` is registered once per mode, with the mode in its name. The modes come
 * in two setups, each with its own baseline: the store alone, and the store with
 * `@redux-devtools/instrument` (the engine of the Redux DevTools extension) composed innermost, as
 * the extension's compose puts it. A test listed in ./known-failures.ts as failing in a baseline
 * (without the recorder too, in this repository's setup) does not run in that setup's modes: it
 * shows as skipped with the LISTED mark, and the count leaves it out. A test listed there as
 * behaving differently with the recorder by design runs as `it.fails` in the recorded modes named,
 * with the DIFFERS mark, so the list stays checked.
 */
import { inspect } from 'node:util'
import * as vitest from 'vitest'
import { createFlightRecorder, type FlightRecorder } from 'redux-flight-recorder'
import { devToolsInstrument } from 'redux-flight-recorder/devtools'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'
import { DEVTOOLS_KNOWN_FAILURES, KNOWN_FAILURES, RECORDED_DIFFERENCES, REPLAY_EXCEPTIONS } from './known-failures'

export interface Mode {
  readonly name: string
  /** Install a recorder in every store the spec creates. */
  readonly recorded: boolean
  /**
   * `@redux-devtools/instrument` in every store: `'innermost'` right around `createStore` (the
   * extension's order; a recorder goes outside it), `'outside'` outside the recorder (README: "the
   * other order"), or `'none'`.
   */
  readonly devtools: 'none' | 'innermost' | 'outside'
}
export const MODES: readonly Mode[] = [
  { name: 'without the recorder', recorded: false, devtools: 'none' },
  // The README's order for both APIs: createStore(reducer, compose(applyMiddleware(recorder.middleware,
  // …), …, recorder.enhancer)) and configureStore({ middleware: (g) => g().prepend(recorder.middleware),
  // enhancers: (g) => g().concat(recorder.enhancer) }).
  { name: 'with the recorder (enhancer innermost, middleware first)', recorded: true, devtools: 'none' },
  { name: 'with @redux-devtools/instrument, without the recorder', recorded: false, devtools: 'innermost' },
  // README "With Redux DevTools": the extension's compose puts instrument innermost, the recorder's
  // enhancer right outside it: compose(applyMiddleware(recorder.middleware, …), recorder.enhancer, instrument()).
  { name: "with the recorder outside @redux-devtools/instrument (the extension's order)", recorded: true, devtools: 'innermost' },
  // README "The other order": compose(applyMiddleware(recorder.middleware, …), instrument(), recorder.enhancer).
  { name: '@redux-devtools/instrument outside the recorder', recorded: true, devtools: 'outside' },
]

/** The modes the describes registered from now on run in (all unless `runModes` narrowed them). */
let selected: readonly Mode[] = MODES
/**
 * Narrows the modes of the specs imported after this call. A spec that spies while its describes
 * are collected (Redux Toolkit's configureStore spec spies on `console.error` in a describe body)
 * shares those spies between the modes registered in one file, so it runs one mode per file.
 */
export function runModes(filter: (m: Mode) => boolean): void {
  selected = MODES.filter(filter)
}

let current: Mode = MODES[0]
export const mode = (): Mode => current

/** Recorders made for the current test, closed after it. */
const recorders: FlightRecorder[] = []
const reducers = new Map<FlightRecorder, (state: any, action: any) => any>()
export const faults: unknown[] = []
export function newRecorder(reducer?: (state: any, action: any) => any): FlightRecorder {
  const recorder = createFlightRecorder({ devtools: devToolsInstrument(), onError: (e) => void faults.push(e) })
  recorders.push(recorder)
  if (reducer) reducers.set(recorder, reducer)
  return recorder
}
/** Leaves the current test's recorders out of the replay check (the harness's own spec: a log it broke on purpose). */
export const skipReplayCheck = (): void => reducers.clear()
/** The recorders made so far for the current test (for the harness's own spec). */
export const recordersOfThisTest = (): readonly FlightRecorder[] => recorders
async function closeRecorders() {
  const problems: string[] = []
  for (const r of recorders.splice(0)) {
    await r.close()
    const reducer = reducers.get(r)
    reducers.delete(r)
    if (reducer) {
      const problem = replayProblem(r, reducer)
      if (problem) problems.push(problem)
    }
  }
  checkFaults()
  if (problems.length > 0) throw new Error(problems.join('\n'))
}

/**
 * What is wrong with the log a recorder wrote during the test, replayed into the reducer the spec
 * gave its store: it must replay verified, or stop where the spec replaced the reducer (replay
 * needs `onReplaceReducer` there, which these specs cannot give). A spec listed in
 * REPLAY_EXCEPTIONS (./known-failures.ts) is exempt, with the reason.
 */
function replayProblem(recorder: FlightRecorder, reducer: (state: any, action: any) => any): string | null {
  // The test's full name with its mode left out: the key the lists use.
  const name = (vitest.expect.getState().currentTestName ?? '').replace(/ \[[^\]]*\]/, '')
  if (REPLAY_EXCEPTIONS[name] !== undefined) return null
  let log: ReturnType<FlightRecorder['snapshot']>
  try {
    log = recorder.snapshot()
  } catch (error) {
    // The spec's store was never made (configureStore threw on the spec's bad options): no log.
    if (/has no store yet/.test(String((error as Error)?.message))) return null
    throw error
  }
  const result = replay(log, { reducer })
  if (result.ok && result.verified) return null
  if (!result.divergence && result.stopped && /replaces the reducer/.test(result.stopped.reason)) return null
  return `The log the recorder wrote during this test does not replay verified into the spec's reducer:\n${result.divergence ? formatDivergence(result) : (result.stopped?.reason ?? result.warnings.join(' '))}`
}
/**
 * Fails the test when a recorder reported a fault while it ran (an error in hashing, serialising,
 * a sink, or a misuse it noticed): upstream's own uses of Redux must not make any.
 */
export function checkFaults(): void {
  const reported = faults.splice(0)
  if (reported.length > 0) {
    throw new Error(`The recorder reported ${reported.length} fault(s) during this test: ${reported.map((f) => (f instanceof Error ? f.message : String(f))).join('; ')}`)
  }
}

/**
 * The names of the describes whose body is being collected, outermost first (the mode left out), or
 * null outside any. Vitest may run a nested describe's body after its parent's body returned, so
 * each body restores the path and mode it was declared with.
 */
let path: string[] | null = null
const key = (name: string) => [...(path ?? []), name].join(' > ')
/** Fails in the current mode's baseline (without the recorder, same setup). */
const listed = (name: string) => KNOWN_FAILURES[key(name)] !== undefined || (current.devtools !== 'none' && DEVTOOLS_KNOWN_FAILURES[key(name)] !== undefined)
/** Behaves differently with the recorder, by design, in the current mode. */
const differs = (name: string) => {
  const entry = RECORDED_DIFFERENCES[key(name)]
  return current.recorded && entry !== undefined && (entry.devtools ?? ['none', 'innermost', 'outside']).includes(current.devtools)
}

type Fn = (...args: any[]) => any

function body(fullPath: string[], m: Mode, fn: Fn): () => unknown {
  return () => {
    const saved = [path, current] as const
    path = fullPath
    // Some specs create stores while collecting (in a describe body): the mode is set then too.
    current = m
    const restore = () => void ([path, current] = saved)
    let result: unknown
    try {
      result = fn()
    } catch (error) {
      restore()
      throw error
    }
    // An async body (RTK's configureStore spec awaits imports in it) declares its nested describes
    // after an await; Vitest awaits it before collecting anything else.
    if (result && typeof (result as Promise<unknown>).then === 'function') return (result as Promise<unknown>).finally(restore)
    restore()
    return result
  }
}

function makeDescribe(register: Fn) {
  return (name: string, fn: Fn, ...rest: unknown[]) => {
    if (path !== null) return register(name, body([...path, name], current, fn), ...rest)
    for (const m of selected) {
      register(
        `${name} [${m.name}]`,
        body([name], m, () => {
          vitest.beforeAll(() => void (current = m))
          vitest.beforeEach(() => void (current = m))
          vitest.afterEach(closeRecorders)
          return fn()
        }),
        ...rest,
      )
    }
  }
}

export const describe = Object.assign(makeDescribe(vitest.describe), {
  skip: makeDescribe(vitest.describe.skip),
  each:
    (cases: readonly unknown[]) =>
    (name: string, fn: Fn, ...rest: unknown[]) =>
      (cases as unknown[]).forEach((c, i) => {
        const args = Array.isArray(c) ? c : [c]
        makeDescribe(vitest.describe)(formatName(name, args, i), () => fn(...args), ...rest)
      }),
})

function formatName(name: string, args: unknown[], i: number) {
  let k = 0
  // `%j` and `%o` as JSON, as Vitest prints them (Redux Toolkit's autoBatchEnhancer spec names its
  // cases by their options), so each case's describe has its own name.
  const format = (m: string) => (m === '%j' || m === '%o' ? JSON.stringify(args[k++]) : String(args[k++]))
  const named = name.replace(/%[sdijo#$%]/g, (m) => (m === '%%' ? '%' : m === '%#' ? String(i) : format(m)))
  // `$key` names a property of an object case (RTK Query's buildMiddleware spec: `tags=$tags`), shown
  // as Vitest shows it.
  const [only] = args
  if (args.length !== 1 || typeof only !== 'object' || only === null || Array.isArray(only)) return named
  return named.replace(/\$([A-Za-z_]\w*)/g, (m, k: string) => (k in only ? inspect((only as Record<string, unknown>)[k], { breakLength: Infinity }) : m))
}

/**
 * Marks a listed test, registered as skipped (a describe must hold a test); scripts/count-tests.mjs
 * counts such a test neither as passed nor as failed, also under CI=true.
 */
export const LISTED = '[listed: fails without the recorder too]'
/** Marks a test that fails with the recorder by design (./known-failures.ts says why); it runs as `it.fails`. */
export const DIFFERS = '[differs with the recorder, by design]'
function makeIt(register: Fn) {
  return (name: string, fn?: Fn, ...rest: unknown[]) => {
    // UPSTREAM_RUN_LISTED=1 runs the listed tests too, to check the list still holds.
    if (listed(name) && !process.env.UPSTREAM_RUN_LISTED) return vitest.it.skip(`${LISTED} ${name}`, () => {})
    if (differs(name) && !process.env.UPSTREAM_RUN_LISTED) return (vitest.it.fails as Fn)(`${DIFFERS} ${name}`, fn, ...rest)
    return register(name, fn, ...rest)
  }
}
export const it = Object.assign(makeIt(vitest.it), {
  skip: vitest.it.skip,
  todo: vitest.it.todo,
  // Typed when given a type, as Vitest's is (`it.each<Case>([…])` in Redux Toolkit's fork spec);
  // otherwise the cases' arguments are `any`, as before.
  each:
    <T = any>(cases: readonly NoInfer<T>[]) =>
    (name: string, fn: (...args: T extends readonly unknown[] ? T : [T]) => unknown, ...rest: unknown[]) =>
      (cases as unknown[]).forEach((c, i) => {
        const args = Array.isArray(c) ? c : [c]
        makeIt(vitest.it)(formatName(name, args, i), () => (fn as Fn)(...args), ...rest)
      }),
})
export const test = it
export { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest'
export type { Mock } from 'vitest'
