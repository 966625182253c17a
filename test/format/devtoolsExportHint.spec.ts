// A Redux DevTools export given to the log reader (acceptance, session 31: loaded in the panel's
// "Load a file…") failed with "the first line has no `kind`" and did not say to convert it. The
// reader now recognises the shapes `fromDevToolsExport` reads (an export's `payload`, a lifted
// state's `actionsById`/`computedStates`) and says how to convert one; anything else is as before.
import { instrument } from '@redux-devtools/instrument'
import { createStore } from 'redux'
import { fromDevToolsExport, toDevToolsExport } from 'redux-flight-recorder/devtools'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { describe, expect, it } from 'vitest'
import { recordText } from '../helpers/recordText'
import { added, rootReducer, toggled } from '../helpers/todoApp'

const HINT =
  'looks like a Redux DevTools export: convert it with `flight-recorder convert <file> --from devtools` (or `fromDevToolsExport` from redux-flight-recorder/devtools).'

async function recording() {
  return parseRecording(await recordText(rootReducer, (dispatch) => {
    dispatch(added({ id: 'todo-1', title: 'Milk', done: false }))
    dispatch(toggled('todo-1'))
  }))
}

describe('a Redux DevTools export given to the log reader', () => {
  it('says an export ({ payload, preloadedState }) is one, and how to convert it', async () => {
    const text = JSON.stringify(toDevToolsExport(await recording()))
    // The file converts (the hint is not a guess about something else).
    expect(fromDevToolsExport(text).entries).toHaveLength(2)
    expect(() => parseRecording(text)).toThrow(`Line 1 of the recording is not valid: expected the @@session header first. Instead, the first line ${HINT}`)
    // replay (the panel's timeline, verify, inspect: every reader reads lines with LineParser) says the same.
    expect(() => replay(text, { reducer: rootReducer })).toThrow(HINT)
    expect(() => parseRecording(text, { strict: false })).toThrow(HINT)
  })

  it("says a lifted state (@redux-devtools/instrument's actionsById, computedStates) is one", () => {
    const store = createStore((s: { n: number } = { n: 0 }, a: { type: string }) => (a.type === 'inc' ? { n: s.n + 1 } : s), instrument() as never) as unknown as {
      dispatch(a: { type: string }): void
      liftedStore: { getState(): unknown }
    }
    store.dispatch({ type: 'inc' })
    store.dispatch({ type: 'inc' })
    const lifted = JSON.stringify(store.liftedStore.getState())
    expect(fromDevToolsExport(lifted).entries.map((e) => e.kind)).toEqual(['inc', 'inc'])
    expect(() => parseRecording(lifted)).toThrow(HINT)
    // With only the computed states (no actionsById), as `convert` recognises one too.
    expect(() => parseRecording(JSON.stringify({ computedStates: [{ state: { n: 0 } }] }))).toThrow(HINT)
  })

  it('says of any other first line without `kind` what it said before', () => {
    expect(() => parseRecording('{"hello":"world"}\n')).toThrow('the first line has no `kind`: it is not a flight-recorder log line.')
    // A `payload` that is not a string is no DevTools export.
    expect(() => parseRecording('{"payload":[1]}\n')).toThrow('the first line has no `kind`: it is not a flight-recorder log line.')
  })
})
