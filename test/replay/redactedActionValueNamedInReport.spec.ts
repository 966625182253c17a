import { combineReducers, configureStore, createSlice, type PayloadAction, type Reducer } from '@reduxjs/toolkit'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { formatDivergence, replay } from 'redux-flight-recorder/replay'

/**
 * A value redacted in an action (`redact.actions`) is "[redacted]" in the log, and replay
 * dispatches that: a reducer that computes state from it reaches another state with no regression
 * at all (docs/concepts.md, "Redaction"). The report must say so, not only suggest updating the log.
 */

async function record(reducer: Reducer, run: (dispatch: (a: unknown) => void) => void, state: string[] = []): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], clock: () => 1_700_000_000_000, redact: { actions: ['payload.password'], state } })
  const store = configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
  run((a) => store.dispatch(a as never))
  await recorder.close()
  return sink.text()
}

const auth = (step: number) =>
  createSlice({
    name: 'auth',
    initialState: { user: '', passwordLength: 0, visits: 0 },
    reducers: {
      loggedIn(s, a: PayloadAction<{ user: string; password: string }>) {
        s.user = a.payload.user
        s.passwordLength = a.payload.password.length
      },
      visited(s) {
        s.visits += step
      },
    },
  })

const session = (dispatch: (a: unknown) => void) => {
  const { loggedIn, visited } = auth(1).actions
  dispatch(visited())
  dispatch(loggedIn({ user: 'ann', password: 'hunter22' }))
  dispatch(visited())
}

describe('replay of a log with redacted action values', () => {
  it('names the redacted values of the diverging action and what they mean', async () => {
    const log = await record(auth(1).reducer, session)
    expect(log).not.toContain('hunter22')
    const result = replay(log, { reducer: auth(1).reducer })
    const d = result.divergence!
    expect(d.seq).toBe(2)
    expect(d.hint).toContain('payload.password')
    const text = formatDivergence(result)
    expect(text).toContain('hint: ')
    expect(text).toContain('payload.password')
    expect(text).toContain('redact.state')
  })

  it('gives no such hint when the redacted values do not reach the state (the change is elsewhere in the step)', async () => {
    // The reducer copies the password into the state, where `redact.state` hides it; the regression
    // is in the user name the same action sets: the redaction explains nothing here.
    const slice = (upper: boolean) =>
      createSlice({
        name: 'auth',
        initialState: { user: '', password: '' },
        reducers: {
          loggedIn(s, a: PayloadAction<{ user: string; password: string }>) {
            s.user = upper ? a.payload.user.toUpperCase() : a.payload.user
            s.password = a.payload.password
          },
        },
      })
    const log = await record(combineReducers({ auth: slice(false).reducer }), (dispatch) => dispatch(slice(false).actions.loggedIn({ user: 'ann', password: 'hunter22' })), ['auth.password'])
    expect(log).not.toContain('hunter22')
    // The same reducer replays the log verified: the redacted password changes no hash.
    expect(replay(log, { reducer: combineReducers({ auth: slice(false).reducer }) })).toMatchObject({ ok: true, verified: true })
    const result = replay(log, { reducer: combineReducers({ auth: slice(true).reducer }) })
    expect(result.divergence!.seq).toBe(1)
    expect(result.divergence!.hint).toBeUndefined()
    expect(formatDivergence(result)).not.toContain('redact.state')
    expect(formatDivergence(result)).toContain('auth.user')
  })

  it('adds no such hint at an action without redacted values', async () => {
    const log = await record(auth(1).reducer, session)
    const d = replay(log, { reducer: auth(2).reducer }).divergence!
    expect(d.seq).toBe(1)
    expect(d.hint).toBeUndefined()
  })
})
