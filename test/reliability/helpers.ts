/**
 * Shared by the reliability specs (test/reliability/**): fuzz run counts, the "only our own errors"
 * check, the prototype-pollution check, and a corpus of real logs to mutate.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Reducer } from 'redux'
import { createFlightRecorder, FlightRecorderError, memorySink, type FlightRecorder } from 'redux-flight-recorder'
import { fixtureReducer } from '../fixtures/v1/reducer'
import { added, makeReducer, makeStore, removed, renamed, rootReducer, syncTodos, failingSync, toggled } from '../helpers/todoApp'

/**
 * Cases per fuzz property. The normal suite (and CI) runs a small number on every run;
 * `node scripts/fuzz.mjs` sets FUZZ_RUNS=100000.
 */
export const FUZZ_RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 1500) | 0)
/** A fixed seed replays a failing run (fast-check prints the seed and path of every failure). */
export const FUZZ_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined
export const fuzzParams = (runs = FUZZ_RUNS) => ({ numRuns: runs, ...(FUZZ_SEED !== undefined ? { seed: FUZZ_SEED } : {}), endOnFailure: true })

/** What came out of one call: a value, or a FlightRecorderError. Anything else fails the test. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: FlightRecorderError }

/** Runs `fn` and fails (with the input in the message) unless it returns or throws one of the package's own errors. */
export function ownErrorsOnly<T>(what: string, fn: () => T): Outcome<T> {
  try {
    return { ok: true, value: fn() }
  } catch (error) {
    if (error instanceof FlightRecorderError) return { ok: false, error }
    throw new Error(`${what} threw something other than a FlightRecorderError: ${(error as Error)?.name}: ${(error as Error)?.message}`, { cause: error })
  }
}

export async function ownErrorsOnlyAsync<T>(what: string, fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() }
  } catch (error) {
    if (error instanceof FlightRecorderError) return { ok: false, error }
    throw new Error(`${what} threw something other than a FlightRecorderError: ${(error as Error)?.name}: ${(error as Error)?.message}`, { cause: error })
  }
}

const PROTOTYPES: Array<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
]
const baseline = new Map(PROTOTYPES.map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort().join(',')]))

/** Keys added to a built-in prototype since the module loaded, per prototype (removing them again). */
function cleanPrototypes(): string[] {
  const found: string[] = []
  for (const [name, proto] of PROTOTYPES) {
    const before = new Set(baseline.get(name)!.split(','))
    for (const key of Reflect.ownKeys(proto)) {
      if (!before.has(String(key))) {
        found.push(`${name}.${String(key)}`)
        delete (proto as Record<PropertyKey, unknown>)[key]
      }
    }
  }
  return found
}

/**
 * Replay runs the log's actions through the app's reducer: a reducer that indexes objects by an
 * action's payload (`state.entities[action.payload].done = …` with payload "__proto__", as an
 * Immer reducer does) pollutes `Object.prototype` itself. That is the reducer's doing, not the
 * package's, so the fuzz specs run reducers inside this guard: pollution inside the reducer is
 * undone and turned into a reducer error (which replay reports as 'reducer-threw'), and any
 * pollution found afterwards was done by the package.
 */
export function guardReducer<R extends Reducer<any, any>>(reducer: R): R {
  return ((state: unknown, action: unknown) => {
    const next = (reducer as Reducer)(state, action as never)
    const polluted = cleanPrototypes()
    if (polluted.length > 0) throw new Error(`The reducer itself polluted ${polluted.join(', ')} (action ${JSON.stringify(action)?.slice(0, 80)}).`)
    return next
  }) as R
}

/** Fails if any built-in prototype gained, lost or changed a key, or `{}` sees a key it should not. */
export function expectNoPrototypePollution(): void {
  for (const [name, proto] of PROTOTYPES) {
    const now = Reflect.ownKeys(proto).map(String).sort().join(',')
    if (now !== baseline.get(name)) {
      const found = cleanPrototypes()
      throw new Error(`${name} was polluted by the package (${found.join(', ') || 'keys removed'}); its keys were ${baseline.get(name)}`)
    }
  }
  const probe = {} as Record<string, unknown>
  for (const key of ['polluted', 'isAdmin', 'hash', 'seq', 'kind', 'action', 'state']) {
    if (probe[key] !== undefined) throw new Error(`Object.prototype now answers \`${key}\``)
  }
  if (Object.getPrototypeOf({}) !== Object.prototype) throw new Error('`{}` no longer has Object.prototype as its prototype')
}

export interface CorpusLog {
  name: string
  text: string
  reducer: Reducer<any, any>
  /** Reducer for `@@replaceReducer` entries, if the log has one. */
  next?: Reducer<any, any>
}

const fixturesDir = fileURLToPath(new URL('../fixtures/v1/', import.meta.url))

/** The frozen v1 fixtures (never regenerated). */
export function fixtureLogs(): CorpusLog[] {
  return readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => ({ name: `fixtures/v1/${f}`, text: readFileSync(fixturesDir + f, 'utf8'), reducer: guardReducer(fixtureReducer as Reducer) }))
}

/**
 * Logs freshly recorded from the real RTK todo app: thunks across awaits, a listener, marks,
 * lifecycle entries, checkpoints, a replaced reducer, a non-recordable action, a fault, a trimmed
 * buffer and a paused stretch — every line kind the recorder writes.
 */
export async function recordedLogs(): Promise<CorpusLog[]> {
  const logs: CorpusLog[] = []

  {
    const sink = memorySink()
    const errors: unknown[] = []
    const recorder = createFlightRecorder({ sinks: [sink], checkpointEvery: 3, meta: { app: 'fuzz@1' }, onError: (e) => errors.push(e) })
    const store = makeStore(recorder)
    await drive(store, recorder)
    await recorder.close()
    logs.push({ name: 'recorded/full-session', text: sink.text(), reducer: guardReducer(rootReducer) })
  }
  {
    // Trimmed buffer (header from_seq > 1, trimmed) with redaction paths, through toJSONL().
    const recorder = createFlightRecorder({ maxEntries: 8, redact: { state: ['todos.entities.*.title'], actions: ['payload.title'] } })
    const store = makeStore(recorder)
    await drive(store, recorder)
    logs.push({ name: 'recorded/trimmed-redacted', text: recorder.toJSONL(), reducer: guardReducer(rootReducer) })
  }
  {
    const recorder = createFlightRecorder({ hash: false })
    const store = makeStore(recorder)
    await drive(store, recorder)
    await recorder.close()
    logs.push({ name: 'recorded/unhashed', text: recorder.toJSONL(), reducer: guardReducer(rootReducer) })
  }
  {
    const next = makeReducer({ buggyToggle: true })
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'a', done: false }))
    store.replaceReducer(next)
    store.dispatch(toggled('a'))
    recorder.pause()
    store.dispatch(added({ id: 'p', title: 'while paused', done: false }))
    recorder.resume()
    store.dispatch(renamed({ id: 'p', title: 'after resume' }))
    await recorder.close()
    logs.push({ name: 'recorded/replace-pause', text: recorder.toJSONL(), reducer: guardReducer(rootReducer), next: guardReducer(next) })
  }
  return logs
}

async function drive(store: ReturnType<typeof makeStore>, recorder: FlightRecorder): Promise<void> {
  store.dispatch(added({ id: 'a', title: 'milk', done: false }))
  store.dispatch(added({ id: 'b', title: 'eggs "quoted" \u2028 ü', done: false }))
  recorder.mark('opened settings', { tab: 'general', nested: { list: [1, 2, 3] } })
  store.dispatch(toggled('a'))
  recorder.lifecycle('visibilitychange', { state: 'hidden' })
  await store.dispatch(syncTodos(3))
  await store.dispatch(failingSync())
  store.dispatch({ type: 'weird', payload: { fn: () => 1, big: 10n, when: new Date(0) } } as never)
  store.dispatch(removed('b'))
  store.dispatch(renamed({ id: 'a', title: 'oat milk' }))
  store.dispatch({ type: '@@redux-undo/UNDO' })
}
