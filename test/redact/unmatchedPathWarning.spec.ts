import { combineReducers, combineSlices, configureStore, createSlice } from '@reduxjs/toolkit'
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
      "[redux-flight-recorder] `redact.state` paths 'state.prefs.secretNote', 'Prefs.secretNote', 'secretNote', 'prefs.secretNote ' start with no key of the store's state ('prefs', 'auth'), or have a space at the end of a key: as written, they redact nothing. Paths start at the state's root (no `state.` prefix). If that key is added to the state later (an optional key, a slice injected later), ignore this.",
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

describe('a redact.state path under a slice injected later (combineSlices, session 40)', () => {
  // With Redux Toolkit's `combineSlices(…).inject`, a slice may join the state after the store is
  // made: the check of a path that starts with no key of the first state waits for the first flush
  // tick or full state written after an action (a checkpoint, `@@end`). A path under the injected slice is then
  // never named; a misspelt one still is, once.
  const vault = createSlice({ name: 'vault', initialState: { pin: 'SECRET-PIN-1', label: 'v' }, reducers: { touch: (s) => ({ ...s }) } })
  const session = createSlice({ name: 'session', initialState: { token: 'SECRET-TOKEN-3' }, reducers: { ping: (s) => ({ ...s }) } })

  async function run(paths: string[], options: { inject: boolean; checkpointEvery?: number; lazy?: 'before-core' | 'after-core' }) {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const ours = () => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('redact.state'))
    const rootReducer = combineSlices(session).withLazyLoadedSlices<{ vault: ReturnType<typeof vault.reducer> }>()
    const sink = memorySink()
    const create = options.lazy ? (vi.resetModules(), (await import('redux-flight-recorder/lazy')).createFlightRecorder) : createFlightRecorder
    const recorder = create({ sinks: [sink], redact: { state: paths }, checkpointEvery: options.checkpointEvery ?? 0 })
    const ready = () => (recorder as unknown as { ready(): Promise<void> }).ready()
    if (options.lazy === 'after-core') await ready()
    const store = configureStore({ reducer: rootReducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    const atCreation = ours()
    store.dispatch(session.actions.ping())
    if (options.inject) rootReducer.inject(vault)
    store.dispatch(vault.actions.touch())
    if (options.lazy) await ready()
    const beforeClose = ours()
    await recorder.close()
    const all = ours()
    warn.mockRestore()
    return { atCreation, beforeClose, all, text: sink.text() }
  }

  it('never names a correct path under the injected slice, and names a misspelt top-level key once', async () => {
    const { atCreation, all, text } = await run(['vault.pin', 'sesion.token', 'session.token'], { inject: true })
    expect(atCreation).toEqual([])
    expect(all).toHaveLength(1)
    expect(all[0]).toContain("path 'sesion.token' starts with no key of the store's state ('session', 'vault')")
    expect(all[0]).not.toContain("'vault.pin'")
    // The injected slice's secret is redacted (the misspelt path redacts nothing: what the warning is for).
    expect(text).toContain('"vault":{"pin":"[redacted]"')
    expect(text).not.toContain('SECRET-PIN-1')
  })

  it.each(['before-core', 'after-core'] as const)('the same with /lazy (store made %s the core arrives)', async (lazy) => {
    const { all, text } = await run(['vault.pin', 'sesion.token'], { inject: true, lazy })
    expect(all).toHaveLength(1)
    expect(all[0]).toContain("path 'sesion.token' starts with no key of the store's state ('session', 'vault')")
    expect(text).not.toContain('SECRET-PIN-1')
  })

  it('names the misspelt key at the first checkpoint after an action, not again at @@end', async () => {
    // (The slice is injected after the first action; the first checkpoint comes after the second.)
    const { atCreation, beforeClose, all } = await run(['vault.pin', 'sesion.token'], { inject: true, checkpointEvery: 2 })
    expect(atCreation).toEqual([])
    expect(beforeClose).toHaveLength(1)
    expect(beforeClose[0]).toContain("'sesion.token'")
    expect(beforeClose[0]).not.toContain("'vault.pin'")
    expect(all).toEqual(beforeClose)
  })

  it('names the misspelt key at the first flush tick after an action, without waiting for a checkpoint or close (review, helper-167 #2)', async () => {
    // (Every combineSlices reducer can inject: with checkpointEvery 0, waiting for a full state meant
    // warning at close, in a browser at pagehide, when nobody reads the console.)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const ours = () => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('redact.state'))
    try {
      const rootReducer = combineSlices(session).withLazyLoadedSlices<{ vault: ReturnType<typeof vault.reducer> }>()
      const recorder = createFlightRecorder({ sinks: [memorySink()], redact: { state: ['vault.pin', 'sesion.token'] }, flushIntervalMs: 10 })
      const store = configureStore({ reducer: rootReducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
      expect(ours()).toEqual([])
      rootReducer.inject(vault)
      store.dispatch(vault.actions.touch())
      await vi.waitFor(() => expect(ours()).toHaveLength(1), { timeout: 10_000, interval: 5 })
      expect(ours()[0]).toContain("path 'sesion.token' starts with no key of the store's state ('session', 'vault')")
      expect(ours()[0]).not.toContain("'vault.pin'")
      await recorder.close()
      expect(ours()).toHaveLength(1)
    } finally {
      warn.mockRestore()
    }
  })

  it('names a path under a slice never injected once, at @@end; a trailing space at once', async () => {
    const { atCreation, all } = await run(['vault.pin', 'session.token '], { inject: false })
    expect(atCreation).toHaveLength(1)
    expect(atCreation[0]).toContain("path 'session.token ' starts")
    expect(all).toHaveLength(2)
    expect(all[1]).toContain("path 'vault.pin' starts with no key of the store's state ('session')")
  })
})

describe('a redact.state path whose first key the state gains later (session 42)', () => {
  // The check named `session.token` at store creation on a state that starts `{ calls: 0 }` and
  // gains `session` at login, saying to ignore it if the key comes later (a false alarm). A path
  // that starts no key yet is now checked again as the state changes: named if it then looks
  // mistaken next to the state's keys (`sesion` once `session` is there), or at @@end if it never
  // matched; never for a key that comes.
  type S = { calls: number; session?: { token: string; user: string } }
  const app = (s: S = { calls: 0 }, a: { type: string; token?: string }): S =>
    a.type === 'auth/login' ? { ...s, session: { token: a.token!, user: 'ada' } } : a.type === 'ping' ? { ...s, calls: s.calls + 1 } : s

  /** ping, ping, login (the 3rd action), ping; the warnings after each action and after close, and the log. */
  async function session(paths: string[]) {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const ours = () => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('redact.state'))
    try {
      const sink = memorySink()
      // (A checkpoint after each action: the check runs at each full state, not at a timer's tick.)
      const recorder = createFlightRecorder({ sinks: [sink], redact: { state: paths, actions: ['token'] }, checkpointEvery: 1 })
      const store = configureStore({ reducer: app, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
      const after: string[][] = [ours()]
      for (const action of [{ type: 'ping' }, { type: 'ping' }, { type: 'auth/login', token: 'SECRET-TOKEN-42' }, { type: 'ping' }]) {
        store.dispatch(action)
        after.push(ours())
      }
      expect(store.getState().session?.token).toBe('SECRET-TOKEN-42')
      await recorder.close()
      return { after, all: ours(), text: sink.text() }
    } finally {
      warn.mockRestore()
    }
  }

  it('says nothing for a path under a key the state gains at the 3rd action, and redacts it', async () => {
    const { all, text } = await session(['session.token'])
    expect(all).toEqual([])
    expect(text).toContain('"session":{"token":"[redacted]","user":"ada"}')
    expect(text).not.toContain('SECRET-TOKEN-42')
  })

  it('names a misspelt one once, when the key it misspells comes (the 3rd action)', async () => {
    const { after, all, text } = await session(['sesion.token'])
    expect(after.map((w) => w.length)).toEqual([0, 0, 0, 1, 1])
    expect(all).toEqual([
      "[redux-flight-recorder] `redact.state` path 'sesion.token' starts with no key of the store's state ('calls', 'session'), or has a space at the end of a key: as written, it redacts nothing. Paths start at the state's root (no `state.` prefix). If that key is added to the state later (an optional key, a slice injected later), ignore this.",
    ])
    // (What the warning is for: the misspelt path redacts nothing; the action's token is redacted.)
    expect(text).toContain('SECRET-TOKEN-42')
  })

  it('names a path that never matched once, at @@end', async () => {
    const { after, all } = await session(['vault.pin', 'session.token'])
    expect(after.every((w) => w.length === 0)).toBe(true)
    expect(all).toEqual([
      "[redux-flight-recorder] `redact.state` path 'vault.pin' starts with no key of the store's state ('calls', 'session'), or has a space at the end of a key: as written, it redacts nothing (checked as the state changed, up to the end of the recording). Paths start at the state's root (no `state.` prefix).",
    ])
  })
})
