import { instrument } from '@redux-devtools/instrument'
import { compose, createStore, type StoreEnhancer } from 'redux'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, type FlightRecorder } from 'redux-flight-recorder'
import { devToolsInstrument } from 'redux-flight-recorder/devtools'
import { createFlightRecorder as createLazyRecorder } from 'redux-flight-recorder/lazy'
import { silencedWarnings } from '../helpers/silencedWarnings'
import { added, makeStore, rootReducer } from '../helpers/todoApp'

// Acceptance run, session 34: "This recorder was applied to another store…" appeared on every
// React <StrictMode> development page load (React builds the store twice and keeps the first,
// which the recorder follows again), though the docs say StrictMode needs nothing. It is now said
// once it is clear that the store used is not the first one made; real second stores (a hot
// reload, a store per test, two apps) still get it, once.

const NEW_STORE = '[redux-flight-recorder] This recorder was applied to another store.'

const warnings = silencedWarnings()

/** How many times the new-store warning was given. */
const said = () => warnings().mock.calls.filter(([m]) => String(m).startsWith(NEW_STORE)).length
const todo = (id: string) => added({ id, title: id, done: false })

describe.each([
  ['createFlightRecorder', false],
  ['createFlightRecorder from /lazy (before its core arrives)', true],
])('the new-store warning, %s', (_, lazy) => {
  /** Runs `script` on a fresh recorder; with /lazy, waits for the core (which gives the warning). */
  async function run(script: (recorder: Pick<FlightRecorder, 'enhancer' | 'middleware'>) => void): Promise<number> {
    const recorder = lazy ? createLazyRecorder() : createFlightRecorder()
    script(recorder)
    if (lazy) await (recorder as ReturnType<typeof createLazyRecorder>).ready()
    return said()
  }

  it('React StrictMode: two stores, the first kept and dispatched to: no warning, also later', async () => {
    expect(
      await run((recorder) => {
        const kept = makeStore(recorder)
        makeStore(recorder) // the one React throws away
        kept.dispatch(todo('a'))
        kept.dispatch(todo('b'))
      }),
    ).toBe(0)
  })

  it('a hot reload (the old store was used): said at once, before the new store dispatches', async () => {
    expect(
      await run((recorder) => {
        makeStore(recorder).dispatch(todo('a'))
        makeStore(recorder)
      }),
    ).toBe(1)
  })

  it('a hot reload after an action the reducer threw on (the old store was used): said at once', async () => {
    expect(
      await run((recorder) => {
        const old = makeStore(recorder)
        expect(() => old.dispatch({ type: 'todos/added', payload: null })).toThrow()
        makeStore(recorder)
      }),
    ).toBe(1)
  })

  it('two stores, neither used, the newer one dispatches: said then, once', async () => {
    let before = -1
    expect(
      await run((recorder) => {
        makeStore(recorder)
        const newer = makeStore(recorder)
        before = said()
        newer.dispatch(todo('a'))
        newer.dispatch(todo('b'))
      }),
    ).toBe(1)
    if (!lazy) expect(before).toBe(0)
  })

  it('React StrictMode, then a hot reload that builds the store twice again: said once, at the reload', async () => {
    expect(
      await run((recorder) => {
        const kept = makeStore(recorder)
        makeStore(recorder)
        kept.dispatch(todo('a'))
        const reloaded = makeStore(recorder)
        makeStore(recorder)
        reloaded.dispatch(todo('b'))
      }),
    ).toBe(1)
  })

  it('two StrictMode apps on one recorder (four stores), the second app dispatching first: said', async () => {
    expect(
      await run((recorder) => {
        const first = makeStore(recorder)
        makeStore(recorder)
        const second = makeStore(recorder)
        makeStore(recorder)
        second.dispatch(todo('a'))
        first.dispatch(todo('b')) // unrecorded: the reason for the warning
      }),
    ).toBe(1)
  })

  it('the first store follows again after the newer one was made, then the newer one dispatches: said', async () => {
    expect(
      await run((recorder) => {
        const first = makeStore(recorder)
        const newer = makeStore(recorder)
        first.dispatch(todo('a'))
        newer.dispatch(todo('b'))
      }),
    ).toBe(1)
  })

  it('nothing in production', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    expect(
      await run((recorder) => {
        makeStore(recorder).dispatch(todo('a'))
        makeStore(recorder).dispatch(todo('b'))
      }),
    ).toBe(0)
  })
})

it('with the devtools option (which never follows an earlier store): said when the second store is made', () => {
  const recorder = createFlightRecorder({ devtools: devToolsInstrument() })
  const make = () => createStore(rootReducer, compose(instrument() as StoreEnhancer, recorder.enhancer) as StoreEnhancer)
  make()
  expect(said()).toBe(0)
  make()
  expect(said()).toBe(1)
})
