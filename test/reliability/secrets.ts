/**
 * A session full of secrets under `redact` paths, shared by the Node and Chromium redaction leak
 * specs (no Node or DOM imports: the browser fixture bundles it). Every secret goes through a
 * different road into the log: the preloaded state (header), an async thunk's `meta.arg`, payloads
 * at fixed and `**` paths, array elements, a whole subtree, a non-recordable action, an action too
 * large to keep, state changed while paused (resume checkpoint), interval checkpoints, a replaced
 * reducer, and the final state (`@@end`).
 */
import { combineReducers, configureStore, createAsyncThunk, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import type { FlightRecorder, FlightRecorderOptions } from 'redux-flight-recorder'

/** Unique strings: none may appear anywhere in any output. */
export const SECRETS = {
  preloadedCookie: 'LEAK-cookie-0a1b2c',
  loginPassword: 'LEAK-login-pw-3d4e5f',
  loginToken: 'LEAK-token-6a7b8c',
  refreshToken: 'LEAK-refresh-9d0e1f',
  userPassword: 'LEAK-user-pw-2a3b4c',
  cardNumber: 'LEAK-card-4111111111111111',
  apiKey: 'LEAK-apikey-5d6e7f',
  sessionCookie: 'LEAK-session-8a9b0c',
  nonRecordable: 'LEAK-nonrecordable-1d2e3f',
  tooLarge: 'LEAK-too-large-4a5b6c',
  whilePaused: 'LEAK-paused-7d8e9f',
  afterReplace: 'LEAK-after-replace-0a0b0c',
} as const

/** Values that must still be there (so a leak test cannot pass by writing nothing). */
export const VISIBLE = ['ann', 'visa', 'slack', 'visible note', 'oat milk'] as const

export const REDACT: NonNullable<FlightRecorderOptions['redact']> = {
  state: ['auth.token', 'auth.refresh', 'users.*.password', 'payments.cards.*.number', '**.apiKey', 'session'],
  actions: ['payload.password', 'payload.token', 'payload.refresh', 'payload.card.number', '**.apiKey', 'meta.arg.password', 'payload.session'],
}

interface User {
  name: string
  password: string
}
interface Card {
  brand: string
  number: string
}

export const login = createAsyncThunk('auth/login', async (arg: { user: string; password: string }) => {
  await new Promise((r) => setTimeout(r, 1))
  return { user: arg.user, token: SECRETS.loginToken, refresh: { value: SECRETS.refreshToken } }
})

const auth = createSlice({
  name: 'auth',
  initialState: { user: null as string | null, token: null as string | null, refresh: null as { value: string } | null },
  reducers: {},
  extraReducers: (b) =>
    b.addCase(login.fulfilled, (s, a) => {
      s.user = a.payload.user
      s.token = a.payload.token
      s.refresh = a.payload.refresh
    }),
})
const users = createSlice({
  name: 'users',
  initialState: {} as Record<string, User>,
  reducers: {
    added: (s, a: PayloadAction<{ id: string; name: string; password: string }>) => {
      s[a.payload.id] = { name: a.payload.name, password: a.payload.password }
    },
    renamed: (s, a: PayloadAction<{ id: string; name: string }>) => {
      if (s[a.payload.id]) s[a.payload.id].name = a.payload.name
    },
  },
})
const payments = createSlice({
  name: 'payments',
  initialState: { cards: [] as Card[] },
  reducers: {
    cardAdded: (s, a: PayloadAction<{ card: Card }>) => {
      s.cards.push(a.payload.card)
    },
  },
})
const settings = createSlice({
  name: 'settings',
  initialState: { integrations: {} as Record<string, { enabled: boolean; apiKey: string }>, notes: [] as string[] },
  reducers: {
    integrationSet: (s, a: PayloadAction<{ name: string; config: { enabled: boolean; apiKey: string } }>) => {
      s.integrations[a.payload.name] = a.payload.config
    },
    noted: (s, a: PayloadAction<string>) => {
      s.notes.push(a.payload)
    },
    // The blob is not under a redact path, but larger than maxEntryBytes: the log keeps its type only.
    // The reducer does not read it, so the log still replays.
    blob: (s, _a: PayloadAction<{ blob: string }>) => {
      s.notes.push('blob received')
    },
  },
})
const session = createSlice({
  name: 'session',
  initialState: { owner: 'cookie-owner', cookie: '' },
  reducers: {
    set: (_s, a: PayloadAction<{ session: { owner: string; cookie: string } }>) => a.payload.session,
  },
})

export const secretsReducer = combineReducers({ auth: auth.reducer, users: users.reducer, payments: payments.reducer, settings: settings.reducer, session: session.reducer })
/** The reducer after `replaceReducer` (the same slices; a new function, as hot reloading gives). */
export const replacedReducer = combineReducers({ auth: auth.reducer, users: users.reducer, payments: payments.reducer, settings: settings.reducer, session: session.reducer })

export const preloadedState = {
  auth: { user: null, token: null, refresh: null },
  users: {},
  payments: { cards: [] },
  settings: { integrations: {}, notes: [] },
  session: { owner: 'cookie-owner', cookie: SECRETS.preloadedCookie },
}

/** The recorder options every leak test uses (with its sinks added). */
export const recorderOptions = (sinks: NonNullable<FlightRecorderOptions['sinks']>): FlightRecorderOptions => ({
  sinks,
  redact: REDACT,
  checkpointEvery: 3,
  maxEntryBytes: 4096,
  meta: { app: 'secrets-fixture' },
})

export function makeSecretsStore(recorder: Pick<FlightRecorder, 'enhancer' | 'middleware'>) {
  return configureStore({
    reducer: secretsReducer,
    preloadedState,
    middleware: (g) => g({ serializableCheck: false }).prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
}

/** Drives the session; `recorder` for pause/resume. Returns the final state. */
export async function driveSecrets(store: ReturnType<typeof makeSecretsStore>, recorder: FlightRecorder): Promise<unknown> {
  await store.dispatch(login({ user: 'ann', password: SECRETS.loginPassword }))
  store.dispatch(users.actions.added({ id: 'u1', name: 'ann', password: SECRETS.userPassword }))
  store.dispatch(payments.actions.cardAdded({ card: { brand: 'visa', number: SECRETS.cardNumber } }))
  store.dispatch(settings.actions.integrationSet({ name: 'slack', config: { enabled: true, apiKey: SECRETS.apiKey } }))
  store.dispatch(session.actions.set({ session: { owner: 'cookie-owner', cookie: SECRETS.sessionCookie } }))
  // Not recordable (a function), with a secret beside it.
  store.dispatch({ type: 'users/added', payload: { id: 'u9', name: 'oat milk', password: SECRETS.nonRecordable, onDone: () => 1 } } as never)
  // Larger than maxEntryBytes: written as an omission record.
  store.dispatch(settings.actions.blob({ blob: SECRETS.tooLarge + 'x'.repeat(8000) }))
  recorder.pause()
  store.dispatch(users.actions.added({ id: 'u2', name: 'bob', password: SECRETS.whilePaused }))
  recorder.resume()
  store.replaceReducer(replacedReducer)
  store.dispatch(users.actions.added({ id: 'u3', name: 'cy', password: SECRETS.afterReplace }))
  store.dispatch(users.actions.renamed({ id: 'u1', name: 'ann' }))
  store.dispatch(settings.actions.noted('visible note'))
  return store.getState()
}

/** Every secret found in `text` (an empty list is the only passing answer). */
export function leaks(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, secret]) => text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1)))
    .map(([name]) => name)
}
