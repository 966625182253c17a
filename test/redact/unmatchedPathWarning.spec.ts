import { combineReducers, configureStore, createSlice } from '@reduxjs/toolkit'
import { legacy_createStore, type Reducer, type StoreEnhancer } from 'redux'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'

// Acceptance, session 39 (helper-155): a misspelt `redact.state` path redacts nothing, with no word
// (`state.prefs.secretNote`, `Prefs.secretNote`, `secretNote`, a trailing space), and the secret is in
// every log. In development the recorder now names a path that no key of the store's first state
// can start, or that has a space at the end of a key.

const prefs = createSlice({ name: 'prefs', initialState: { secretNote: 'n0te', theme: 'dark' }, reducers: {} })
const auth = createSlice({ name: 'auth', initialState: { token: null as string | null }, reducers: {} })
const reducer = combineReducers({ prefs: prefs.reducer, auth: auth.reducer })

afterEach(() => vi.restoreAllMocks())

function warningsFor(paths: string[]): string[] {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  const recorder = createFlightRecorder({ redact: { state: paths } })
  configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
  void recorder.close()
  const ours = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('redact.state'))
  warn.mockRestore()
  return ours
}

describe('a redact.state path that cannot match the store (development)', () => {
  it('is named, with the state keys, for a state. prefix, another case, a missing slice and a trailing space', () => {
    const found = warningsFor(['state.prefs.secretNote', 'Prefs.secretNote', 'secretNote', 'prefs.secretNote ', 'auth.token'])
    expect(found).toEqual([
      "[redux-flight-recorder] `redact.state` paths 'state.prefs.secretNote', 'Prefs.secretNote', 'secretNote', 'prefs.secretNote ' start with no key of the store's state ('prefs', 'auth'), or have a space at the end of a key: as written, they redact nothing. Paths start at the state's root (no `state.` prefix). If the slice is added later (injected), ignore this.",
    ])
  })

  it('says nothing for paths that can match: exact, wildcards, a key not there yet under a slice that is', () => {
    expect(warningsFor(['prefs.secretNote', 'auth.token', '*.token', '**.password', 'auth.refresh', 'prefs["a.b"]'])).toEqual([])
  })

  it('says nothing in production', () => {
    vi.stubEnv('NODE_ENV', 'production')
    try {
      expect(warningsFor(['state.prefs.secretNote'])).toEqual([])
    } finally {
      vi.unstubAllEnvs()
    }
  })
})

describe('a redact.state path checked against the state as redaction sees it (review, helper-159)', () => {
  // Redaction matches paths in what `serializeState` returns and in what a root `toJSON` returns
  // (an Immutable.js root): the warning named the working path, with the container's own keys, and
  // said it redacts nothing (a path "fixed" to those keys would then leak).
  const wrapped = (inner: Record<string, unknown>) => ({ size: 1, _root: inner, toJSON: () => inner })
  const warned = async (options: Parameters<typeof createFlightRecorder>[0], state: unknown) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], ...options })
    const store = legacy_createStore(((s = state) => s) as Reducer, recorder.enhancer as StoreEnhancer)
    store.dispatch({ type: 'x' })
    await recorder.close()
    const ours = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('redact.state'))
    warn.mockRestore()
    return { ours, text: sink.text() }
  }

  it('is not given for a path of a root toJSON form, which redaction matches', async () => {
    const { ours, text } = await warned({ redact: { state: ['auth.token'] } }, wrapped({ auth: { token: 'SECRET-TOKEN-1' } }))
    expect(text).not.toContain('SECRET-TOKEN-1')
    expect(ours).toEqual([])
  })

  it('is not given for a path of what serializeState returns, and is for one that matches nothing there', async () => {
    const state = { size: 1, _root: { auth: { token: 'SECRET-TOKEN-2' } } }
    const { ours, text } = await warned({ redact: { state: ['auth.token'] }, serializeState: (s) => (s as typeof state)._root }, state)
    expect(text).not.toContain('SECRET-TOKEN-2')
    expect(ours).toEqual([])
    expect((await warned({ redact: { state: ['_root.auth.token'] }, serializeState: (s) => (s as typeof state)._root }, state)).ours).toHaveLength(1)
  })
})

describe('the redact.state check never breaks store creation (review, helper-159)', () => {
  it('with a serializeState that throws (the check now calls it: the writers report the failure, not createStore)', async () => {
    const recorder = createFlightRecorder({ redact: { state: ['auth.token'] }, serializeState: () => { throw new Error('not yet') }, onError: () => {} })
    expect(() => legacy_createStore(((s = { auth: { token: 't' } }) => s) as Reducer, recorder.enhancer as StoreEnhancer)).not.toThrow()
    await recorder.close().catch(() => {})
  })
})
