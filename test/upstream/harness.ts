/**
 * Issue 13 (4): Redux's and Redux Toolkit's own specs, vendored under test/upstream/, run both ways:
 * without the recorder, and with it installed as the README says (`recorder.enhancer` innermost,
 * `recorder.middleware` first). The vendored files import `describe`, `it`, … from here and
 * `createStore`, `applyMiddleware`, `configureStore` from ./redux.ts and ./toolkit.ts instead of
 * 'vitest', 'redux' and '@reduxjs/toolkit'; nothing else in them changes.
 *
 * Every top-level `describe` is registered once per mode, with the mode in its name. A test listed in
 * ./known-failures.ts (it fails without the recorder too, in this repository's setup) does not run in
 * any mode: it shows as skipped with the LISTED mark, and the count leaves it out.
 */
import * as vitest from 'vitest'
import { createFlightRecorder, type FlightRecorder } from 'redux-flight-recorder'
import { KNOWN_FAILURES } from './known-failures'

export interface Mode {
  readonly name: string
  /** Install a recorder in every store the spec creates. */
  readonly recorded: boolean
}
export const MODES: readonly Mode[] = [
  { name: 'without the recorder', recorded: false },
  // The README's order for both APIs: createStore(reducer, compose(applyMiddleware(recorder.middleware,
  // …), …, recorder.enhancer)) and configureStore({ middleware: (g) => g().prepend(recorder.middleware),
  // enhancers: (g) => g().concat(recorder.enhancer) }).
  { name: 'with the recorder (enhancer innermost, middleware first)', recorded: true },
]

let current: Mode = MODES[0]
export const mode = (): Mode => current

/** Recorders made for the current test, closed after it. */
const recorders: FlightRecorder[] = []
export const faults: unknown[] = []
export function newRecorder(): FlightRecorder {
  const recorder = createFlightRecorder({ onError: (e) => void faults.push(e) })
  recorders.push(recorder)
  return recorder
}
/** The recorders made so far for the current test (for the harness's own spec). */
export const recordersOfThisTest = (): readonly FlightRecorder[] => recorders
async function closeRecorders() {
  for (const r of recorders.splice(0)) await r.close()
}

/**
 * The names of the describes whose body is being collected, outermost first (the mode left out), or
 * null outside any. Vitest may run a nested describe's body after its parent's body returned, so
 * each body restores the path and mode it was declared with.
 */
let path: string[] | null = null
const listed = (name: string) => KNOWN_FAILURES[[...(path ?? []), name].join(' > ')] !== undefined

type Fn = (...args: any[]) => any

function body(fullPath: string[], m: Mode, fn: Fn): () => unknown {
  return () => {
    const saved = [path, current] as const
    path = fullPath
    // Some specs create stores while collecting (in a describe body): the mode is set then too.
    current = m
    try {
      return fn()
    } finally {
      ;[path, current] = saved
    }
  }
}

function makeDescribe(register: Fn) {
  return (name: string, fn: Fn, ...rest: unknown[]) => {
    if (path !== null) return register(name, body([...path, name], current, fn), ...rest)
    for (const m of MODES) {
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
  return name.replace(/%[sdijo#$%]/g, (m) => (m === '%%' ? '%' : m === '%#' ? String(i) : String(args[k++])))
}

/**
 * Marks a listed test, registered as skipped (a describe must hold a test); scripts/count-tests.mjs
 * counts such a test neither as passed nor as failed, also under CI=true.
 */
export const LISTED = '[listed: fails without the recorder too]'
function makeIt(register: Fn) {
  return (name: string, fn?: Fn, ...rest: unknown[]) => {
    // UPSTREAM_RUN_LISTED=1 runs the listed tests too, to check the list still holds.
    if (listed(name) && !process.env.UPSTREAM_RUN_LISTED) return vitest.it.skip(`${LISTED} ${name}`, () => {})
    return register(name, fn, ...rest)
  }
}
export const it = Object.assign(makeIt(vitest.it), {
  skip: vitest.it.skip,
  todo: vitest.it.todo,
  each:
    (cases: readonly unknown[]) =>
    (name: string, fn: Fn, ...rest: unknown[]) =>
      (cases as unknown[]).forEach((c, i) => {
        const args = Array.isArray(c) ? c : [c]
        makeIt(vitest.it)(formatName(name, args, i), () => fn(...args), ...rest)
      }),
})
export const test = it
export { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest'
export type { Mock } from 'vitest'
