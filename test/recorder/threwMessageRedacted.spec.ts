import { combineReducers, configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { isActionEntry } from 'redux-flight-recorder/replay'
import { recordText } from '../helpers/recordText'

/**
 * A reducer that throws with a redacted value in its message (acceptance, session 27: the entry's
 * `threw` carried the token the log redacts everywhere else, and replay's warnings and `verify`
 * quoted it again).
 */

const TOKEN = 'tok-77c1-secret-value'
const PASSWORD = 'hunter2-but-longer'

const auth = createSlice({
  name: 'auth',
  initialState: { user: 'ada', token: TOKEN, tries: 0 },
  reducers: {
    refresh(s) {
      throw new Error(`token ${s.token} expired for ${s.user}`)
    },
    login(s, a: PayloadAction<{ password: string }>) {
      s.tries++
      if (a.payload.password.length > 4) throw new RangeError(`password "${a.payload.password}" rejected (token ${s.token})`)
    },
    ok(s) {
      s.tries = 0
    },
  },
})
const reducer = combineReducers({ auth: auth.reducer })

async function record(redact?: { state?: string[]; actions?: string[] }): Promise<string> {
  return recordText(reducer, (dispatch) => {
    for (const a of [auth.actions.refresh(), auth.actions.login({ password: PASSWORD }), auth.actions.ok()]) {
      try {
        dispatch(a)
      } catch {
        // (the app catches it)
      }
    }
  }, redact ? { redact } : {})
}

describe("a thrown reducer's message in the log", () => {
  it('has the values under redacted state and action paths replaced, and the rest kept', async () => {
    const text = await record({ state: ['auth.token'], actions: ['payload.password'] })
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain(PASSWORD)
    const threw = parseRecording(text).entries.filter(isActionEntry).map((e) => e.threw)
    expect(threw).toEqual([
      { name: 'Error', message: 'token [redacted] expired for ada' },
      { name: 'RangeError', message: 'password "[redacted]" rejected (token [redacted])' },
      undefined,
    ])
    // Replay quotes the recorded message, so without the secret; the log still replays as recorded.
    const result = replay(text, { reducer })
    expect(result.ok).toBe(true)
    expect(JSON.stringify(result.warnings)).not.toContain(TOKEN)
  })

  it('without redaction, the message is written as thrown', async () => {
    const threw = parseRecording(await record()).entries.filter(isActionEntry).map((e) => e.threw)
    expect(threw[0]).toEqual({ name: 'Error', message: `token ${TOKEN} expired for ada` })
  })
  it('finds the value the message holds among many redacted ones, and through toJSON', async () => {
    class Vault {
      #secret: string
      constructor(secret: string) {
        this.#secret = secret
      }
      toJSON() {
        return { secret: this.#secret }
      }
    }
    const users = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`u${i}`, { name: `user ${i}`, password: `secret-pw-${i}` }]))
    const slice = createSlice({
      name: 'users',
      initialState: { users, vault: new Vault('classy-secret-1') },
      reducers: {
        check(s) {
          throw new Error(`wrong ${s.users.u99.password} (vault ${(s.vault.toJSON() as { secret: string }).secret})`)
        },
      },
    })
    const text = await recordText(
      combineReducers({ users: slice.reducer }),
      (dispatch) => {
        try {
          dispatch(slice.actions.check())
        } catch {
          // (the app catches it)
        }
      },
      { redact: { state: ['users.users.*.password', 'users.vault.secret'] } },
      false,
    )
    expect(text).not.toContain('secret-pw-99')
    expect(text).not.toContain('classy-secret-1')
    expect(parseRecording(text).entries.filter(isActionEntry)[0].threw).toEqual({ name: 'Error', message: 'wrong [redacted] (vault [redacted])' })
  })

  it("replaces the action's values when a value under a redacted state path throws as it is read (acceptance, session 39)", async () => {
    // One walk for the state and the action: the state's token threw as JSON read it, and the
    // action's password stayed in the message.
    class Locked {
      toJSON(): never {
        throw new Error('locked')
      }
    }
    const authReducer = (s: { token: unknown } = { token: 't' }, a: { type: string; payload?: { password: string } }) => {
      if (a.type === 'auth/lock') return { token: new Locked() }
      if (a.type === 'auth/login') throw new Error(`Invalid password ${a.payload!.password} for ada`)
      return s
    }
    const text = await recordText(
      combineReducers({ auth: authReducer }),
      (dispatch) => {
        dispatch({ type: 'auth/lock' })
        try {
          dispatch({ type: 'auth/login', payload: { password: PASSWORD } })
        } catch {
          // (the app catches it)
        }
      },
      { redact: { state: ['auth.token'], actions: ['payload.password'] }, onError: () => {} },
      false,
    )
    expect(text).not.toContain(PASSWORD)
    expect(parseRecording(text).entries.filter(isActionEntry)[1].threw).toEqual({ name: 'Error', message: 'Invalid password [redacted] for ada' })
  })

  it('replaces a redacted text of 2-3 characters as a whole word only, and leaves a single character', async () => {
    const card = createSlice({
      name: 'card',
      initialState: { flag: 'y' },
      reducers: {
        pay(s, a: PayloadAction<{ cvv: string }>) {
          throw new Error(`card declined: cvv ${a.payload.cvv} does not match (ref 91234, ${s.flag}es)`)
        },
      },
    })
    const text = await recordText(
      combineReducers({ card: card.reducer }),
      (dispatch) => {
        for (const cvv of ['123', '007']) {
          try {
            dispatch(card.actions.pay({ cvv }))
          } catch {
            // (the app catches it)
          }
        }
      },
      { redact: { state: ['card.flag'], actions: ['payload.cvv'] } },
    )
    expect(parseRecording(text).entries.filter(isActionEntry).map((e) => e.threw?.message)).toEqual([
      'card declined: cvv [redacted] does not match (ref 91234, yes)',
      'card declined: cvv [redacted] does not match (ref 91234, yes)',
    ])
  })
})

describe("an uncaught error's text in a lifecycle entry (recordPageLifecycle, recordProcessLifecycle)", () => {
  it('has the values under redacted paths of the state and of the last actions replaced', async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], redact: { state: ['auth.token'], actions: ['payload.password'] } })
    const store = configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch(auth.actions.login({ password: 'abc' }))
    store.dispatch(auth.actions.ok())
    // What an effect that sent the login would throw, as the page's error listener records it.
    recorder.lifecycle('unhandledrejection', { name: 'Error', message: `login for ada (abc) failed with token ${TOKEN}`, stack: `Error: token ${TOKEN}\n    at login (app.js:1:1)`, line: 1 })
    recorder.lifecycle('error', { message: 'nothing secret here' })
    await recorder.close()
    const text = sink.text()
    expect(text).not.toContain(TOKEN)
    const bodies = parseRecording(text).entries.filter((e) => e.kind === '@@lifecycle').map((e) => (e as { body: unknown }).body)
    expect(bodies).toEqual([
      { event: 'unhandledrejection', name: 'Error', message: 'login for ada ([redacted]) failed with token [redacted]', stack: 'Error: token [redacted]\n    at login (app.js:1:1)', line: 1 },
      { event: 'error', message: 'nothing secret here' },
    ])
  })

  it("leaves a stack frame's line and column alone where they are a short secret's digits, and replaces the secret elsewhere (review, session 39)", async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], redact: { actions: ['payload.pin'] } })
    const store = configureStore({ reducer: (s: { n: number } = { n: 0 }) => s, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch({ type: 'unlock', payload: { pin: '34' } })
    recorder.lifecycle('error', { message: 'wrong pin:34 (tries 34)', stack: 'Error: wrong pin:34\n    at unlock (app.js:34:12)\n    at run (app.js:120:34)' })
    await recorder.close()
    const [body] = parseRecording(sink.text()).entries.filter((e) => e.kind === '@@lifecycle').map((e) => (e as { body: unknown }).body)
    expect(body).toEqual({
      event: 'error',
      message: 'wrong pin:[redacted] (tries [redacted])',
      stack: 'Error: wrong pin:[redacted]\n    at unlock (app.js:34:12)\n    at run (app.js:120:34)',
    })
  })
})
