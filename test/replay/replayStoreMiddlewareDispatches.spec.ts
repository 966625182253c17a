import { combineReducers, configureStore, createListenerMiddleware, createSlice } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'

/**
 * Acceptance run, session 33 (L1): a `createStore` replay store whose own middleware dispatches
 * (RTK's listener middleware) runs its reducer more than once per replayed step, while the log holds
 * what the app's middleware dispatched as entries of their own. The report must name that cause, not
 * a changed reducer, and leave out the advice to update the log (`-u` would write those extra runs in).
 */

const ui = createSlice({
  name: 'ui',
  initialState: { log: [] as string[], echoes: 0 },
  reducers: {
    note: (s, a: { payload: string }) => void s.log.push(a.payload),
    echo: (s) => void s.echoes++,
    quiet: (s) => s,
  },
})
const reducer = combineReducers({ ui: ui.reducer })

/** A store with a listener that dispatches `echo` after each `note` (and `quiet`, which changes nothing, after `echo`). */
function withListener(extra: Parameters<typeof configureStore>[0]['enhancers'] | undefined, preloadedState?: any, recorder?: ReturnType<typeof createFlightRecorder>) {
  const lm = createListenerMiddleware()
  lm.startListening({ actionCreator: ui.actions.note, effect: (_a, api) => void api.dispatch(ui.actions.echo()) })
  lm.startListening({ actionCreator: ui.actions.echo, effect: (_a, api) => void api.dispatch(ui.actions.quiet()) })
  return configureStore({
    reducer,
    preloadedState,
    // (`any`: the two branches' middleware tuples are of different types)
    middleware: ((g: any) => (recorder ? g().prepend(recorder.middleware).concat(lm.middleware) : g().prepend(lm.middleware))) as any,
    ...(extra ? { enhancers: extra } : {}),
  })
}

async function recordApp(): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], clock: () => 1_700_000_000_000 })
  const store = withListener((g) => g().concat(recorder.enhancer), undefined, recorder)
  store.dispatch(ui.actions.note('a'))
  store.dispatch(ui.actions.note('b'))
  await recorder.close()
  return sink.text()
}

describe('replay: a createStore replay store whose middleware dispatches', () => {
  it('names the replay store\'s middleware (how many reducer runs, what they changed) and does not advise updating the log', async () => {
    const log = await recordApp()
    // The app's listener's actions are in the log, each an entry of its own.
    expect(log.match(/"kind":"ui\/echo"/g)).toHaveLength(2)
    // Without the listener in the replay store the log verifies.
    expect(replay(log, { createStore: (pre) => configureStore({ reducer, preloadedState: pre }) }).verified).toBe(true)

    const result = replay(log, { createStore: (pre) => withListener(undefined, pre) })
    const d = result.divergence!
    expect(d.reason).toBe('hash-mismatch')
    expect(d.seq).toBe(1)
    expect(d.hint).toBe(
      "The replay store's middleware dispatched during replay: its reducer ran 3 times for this action (the others changed ui.echoes), and the log holds such actions as entries of their own. Build the replay store without that middleware, or replay with `reducer`.",
    )
    const text = formatDivergence(result)
    expect(text).toContain("  hint: The replay store's middleware dispatched during replay")
    expect(text).not.toContain('run the tests with -u')
  })

  it('adds no such hint for a replay store whose reducer ran once per step (a reducer changed on purpose)', async () => {
    const log = await recordApp()
    const changed = combineReducers({ ui: (s: any, a: any) => (ui.actions.note.match(a) ? { ...s, log: [...s.log, a.payload.toUpperCase()] } : ui.reducer(s, a)) })
    const result = replay(log, { createStore: (pre) => configureStore({ reducer: changed, preloadedState: pre }) })
    expect(result.divergence!.seq).toBe(1)
    expect(result.divergence!.hint).toBeUndefined()
    expect(formatDivergence(result)).toContain('run the tests with -u')
  })
})
