import { instrument } from '@redux-devtools/instrument'
import { combineReducers, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { createStore } from 'redux'
import { describe, expect, it } from 'vitest'
import { encodeRecording, replay } from 'redux-flight-recorder/replay'
import { fromDevToolsExport } from 'redux-flight-recorder/devtools'

/**
 * A Redux DevTools export holds the app's secrets as the DevTools saw them; imported with
 * `redact`, the log holds none of them and still replays verified (acceptance, session 27: an
 * import could not be redacted, so a converted export was no safer to share than the export).
 */

const TOKEN = 'tok-3f9a-very-secret'
const CARD = '4111111111111111'

const auth = createSlice({
  name: 'auth',
  initialState: { user: '', token: '', loggedIn: false },
  reducers: {
    loggedIn(s, a: PayloadAction<{ user: string; token: string }>) {
      s.user = a.payload.user
      s.token = a.payload.token
      s.loggedIn = true
    },
  },
})
const checkout = createSlice({
  name: 'checkout',
  initialState: { card: '', paid: false },
  reducers: {
    paid(s, a: PayloadAction<{ card: string }>) {
      s.card = a.payload.card
      s.paid = true
    },
  },
})
const reducer = combineReducers({ auth: auth.reducer, checkout: checkout.reducer })

function liftedExport(): object {
  const store = createStore(reducer, instrument() as never) as ReturnType<typeof createStore> & { liftedStore: { getState(): unknown } }
  store.dispatch(auth.actions.loggedIn({ user: 'ada', token: TOKEN }))
  store.dispatch(checkout.actions.paid({ card: CARD }))
  return JSON.parse(JSON.stringify(store.liftedStore.getState())) as object
}

describe('fromDevToolsExport with redact', () => {
  it('writes no redacted value, lists the paths in the header, and replays verified', () => {
    const lifted = liftedExport()
    expect(JSON.stringify(lifted)).toContain(TOKEN)
    const rec = fromDevToolsExport(lifted, { redact: { state: ['auth.token', 'checkout.card'], actions: ['payload.token', 'payload.card'] } })
    const text = encodeRecording(rec)
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain(CARD)
    expect(rec.header.redact).toEqual({ state: ['auth.token', 'checkout.card'], actions: ['payload.token', 'payload.card'] })
    // The reducer stores the (redacted) payload values: the state's redacted paths hash alike.
    expect(replay(text, { reducer })).toMatchObject({ ok: true, verified: true, checked: 3 })
    // Still checks the rest: a regression in an unredacted value is caught at its step.
    const regressed = combineReducers({ auth: auth.reducer, checkout: (s: ReturnType<typeof checkout.reducer> | undefined, a: { type: string }) => ({ ...checkout.reducer(s, a as never), paid: false }) })
    expect(replay(text, { reducer: regressed }).divergence?.seq).toBe(2)
  })

  it('without redact, the import is as before (the values as exported)', () => {
    const rec = fromDevToolsExport(liftedExport())
    expect(encodeRecording(rec)).toContain(TOKEN)
    expect(rec.header.redact).toEqual({ state: [], actions: [] })
  })

  it('refuses a misspelt redact key or a bad path instead of importing unredacted', () => {
    expect(() => fromDevToolsExport(liftedExport(), { redact: { sate: ['auth.token'] } as never })).toThrow(/Expected `redact` to be \{ state\?: string\[\], actions\?: string\[\] \}/)
    expect(() => fromDevToolsExport(liftedExport(), { redact: { state: ["auth['token']"] } })).toThrow(/redact\.state/)
  })
})
