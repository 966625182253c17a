// @vitest-environment jsdom
import { combineReducers, configureStore, createSlice } from '@reduxjs/toolkit'
import { act, createElement, StrictMode, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, type FlightRecorder } from 'redux-flight-recorder'
import { createFlightRecorder as createLazyRecorder } from 'redux-flight-recorder/lazy'
import { replay } from 'redux-flight-recorder/replay'

// React's StrictMode calls a `useState` or `useMemo` initializer twice in development and keeps
// the first result: an app that makes its store there makes two, and uses the first. The recorder
// followed the newest store (the one React threw away) and recorded nothing of the app (found by
// the acceptance run, session 32). Now an earlier store that dispatches before any store made
// after it has is followed again; a hot reload's old store, once the new one has dispatched, is not.

const counter = createSlice({ name: 'counter', initialState: { n: 0 }, reducers: { added: (s, a: { payload: number }) => void (s.n += a.payload) } })
const makeStore = (recorder: Pick<FlightRecorder, 'enhancer' | 'middleware'>) =>
  configureStore({ reducer: { counter: counter.reducer }, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
const actionTypes = (rec: ReturnType<FlightRecorder['snapshot']>) => rec.entries.filter((e) => e.action !== undefined).map((e) => `${e.kind}:${JSON.stringify(e.action!.payload)}`)

afterEach(() => void vi.restoreAllMocks())

describe('a store made twice (React StrictMode), the first one kept', () => {
  it('records the first store when it dispatches before the second has: the log replays to its state', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const recorder = createFlightRecorder()
    const kept = makeStore(recorder)
    makeStore(recorder) // React calls the initializer again and throws this one away
    kept.dispatch(counter.actions.added(2))
    kept.dispatch(counter.actions.added(3))
    const log = recorder.snapshot({ finalState: true })
    expect(actionTypes(log)).toEqual(['counter/added:2', 'counter/added:3'])
    const result = replay(log, { reducer: combineReducers({ counter: counter.reducer }) })
    expect(result).toMatchObject({ ok: true, verified: true, state: kept.getState() })
    expect(kept.getState().counter.n).toBe(5)
  })

  it('still follows the newest store once it has dispatched: the earlier one is then not recorded (a hot reload)', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const recorder = createFlightRecorder()
    const before = makeStore(recorder)
    before.dispatch(counter.actions.added(1))
    const after = makeStore(recorder)
    after.dispatch(counter.actions.added(10))
    before.dispatch(counter.actions.added(100))
    after.dispatch(counter.actions.added(20))
    const log = recorder.snapshot({ finalState: true })
    expect(actionTypes(log)).toEqual(['counter/added:1', 'counter/added:10', 'counter/added:20'])
    expect(replay(log, { reducer: combineReducers({ counter: counter.reducer }) })).toMatchObject({ ok: true, verified: true, state: after.getState() })
  })

  it('the same with the /lazy recorder before its core has arrived', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const recorder = createLazyRecorder()
    const kept = makeStore(recorder)
    makeStore(recorder)
    kept.dispatch(counter.actions.added(4))
    await recorder.ready()
    kept.dispatch(counter.actions.added(5))
    const log = recorder.snapshot({ finalState: true })
    expect(actionTypes(log)).toEqual(['counter/added:4', 'counter/added:5'])
    expect(replay(log, { reducer: combineReducers({ counter: counter.reducer }) })).toMatchObject({ ok: true, verified: true, state: kept.getState() })
  })

  it('records an app under <StrictMode> that makes its store in useState (react-dom in jsdom)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
    const recorder = createFlightRecorder()
    let used: ReturnType<typeof makeStore> | undefined
    function App() {
      const [store] = useState(() => makeStore(recorder))
      used = store
      const [n, setN] = useState(0)
      useEffect(() => store.subscribe(() => setN(store.getState().counter.n)), [store])
      return createElement('button', { onClick: () => store.dispatch(counter.actions.added(1)) }, `Add (${n})`)
    }
    const host = document.createElement('div')
    document.body.append(host)
    const root = createRoot(host)
    await act(async () => root.render(createElement(StrictMode, null, createElement(App))))
    const button = host.querySelector('button')!
    await act(async () => button.click())
    await act(async () => button.click())
    expect(button.textContent).toBe('Add (2)')
    // React made the store twice and kept the first: that one is recorded, and nothing is said
    // (React's StrictMode needs nothing; the warning on every page load was noise, session 34).
    expect(warn.mock.calls.some(([m]) => String(m).includes('applied to another store'))).toBe(false)
    const log = recorder.snapshot({ finalState: true })
    expect(actionTypes(log)).toEqual(['counter/added:1', 'counter/added:1'])
    expect(replay(log, { reducer: combineReducers({ counter: counter.reducer }) })).toMatchObject({ ok: true, verified: true, state: used!.getState() })
    await act(async () => root.unmount())
    host.remove()
  })
})
