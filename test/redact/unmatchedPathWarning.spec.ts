import { combineReducers, configureStore, createSlice } from '@reduxjs/toolkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'

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
