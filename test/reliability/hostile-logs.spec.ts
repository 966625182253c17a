/**
 * Issue 8 (1): the hostile values the fuzzers found or might miss, placed deliberately in every
 * position a log can hold a value, read by every reader. Deterministic, so CI checks them on every
 * run whatever the fuzz seed. Only FlightRecorderErrors may come out.
 */
import { describe, expect, it } from 'vitest'
import { encodeRecording, formatDivergence, parseRecording, replay, replayStream, type ReplayStore } from 'redux-flight-recorder/replay'
import { fromDevToolsExport } from 'redux-flight-recorder/devtools'
import { deepArray } from './fuzz-inputs'
import { expectNoPrototypePollution, ownErrorsOnly, ownErrorsOnlyAsync } from './helpers'

const header = (state: string, extra = '') => `{"kind":"@@session","v":1,"session":"s","hash_alg":"fr64","from_seq":1,"state":${state},"hash":null${extra}}`
const action = (seq: number, payload = '1', hash = '"0000000000000000"', type = '"inc"') =>
  `{"seq":${seq},"kind":"inc","action":{"type":${type},"payload":${payload}},"hash":${hash}}`
const reducer = (s: any = { n: 0 }, a: any) => (a.type === 'inc' ? { n: (s?.n ?? 0) + 1 } : a.type === 'set' ? a.payload : s)
const storeOf = (preloaded: unknown): ReplayStore => {
  let state = preloaded
  return { getState: () => state, dispatch: (a: unknown) => void (state = reducer(state, a)), replaceReducer() {} }
}

/** Each log puts `V` (a hostile value) in one place a log can hold a value. */
const PLACES: Record<string, (V: string) => string[]> = {
  'header state': (V) => [header(V), action(1)],
  'header state and @@end state': (V) => [header(V), `{"kind":"@@end","seq":1,"count":0,"state":${V},"hash":null}`],
  'checkpoint state (no hash: compared as JSON)': (V) => [header('{"n":0}'), `{"seq":1,"kind":"@@checkpoint","state":${V},"hash":null}`],
  'checkpoint state after a divergence (diffed)': (V) => [header('{"n":0}'), action(1), `{"seq":2,"kind":"@@checkpoint","state":${V},"hash":null}`],
  'resume checkpoint (rebased)': (V) => [header('{"n":0}'), action(1, '1', 'null'), `{"seq":2,"kind":"@@checkpoint","state":${V},"hash":null,"reason":"resume"}`, action(3)],
  'resume checkpoint after a divergence': (V) => [header('{"n":0}'), action(1), `{"seq":2,"kind":"@@checkpoint","state":${V},"hash":null,"reason":"resume"}`],
  'lifecycle entry with a state': (V) => [header('{"n":0}'), `{"seq":1,"kind":"@@lifecycle","body":{"event":"devtools"},"state":${V}}`, action(2)],
  '@@end state after a divergence': (V) => [header('{"n":0}'), action(1), `{"kind":"@@end","seq":2,"count":1,"state":${V},"hash":null}`],
  '@@end state with a hash': (V) => [header('{"n":0}'), `{"kind":"@@end","seq":1,"count":0,"state":${V},"hash":"0000000000000000"}`],
  'payload the reducer makes the state (hashed)': (V) => [header('{"n":0}'), action(1, V, '"0000000000000000"', '"set"')],
  'payload made the state, compared at @@end': (V) => [header('{"n":0}'), action(1, V, 'null', '"set"'), `{"kind":"@@end","seq":2,"count":1,"state":{"n":1},"hash":null}`],
  'action type': (V) => [header('{"n":0}'), `{"seq":1,"action":{"type":${V}},"hash":"0"}`],
  'omission detail': (V) => [header('{"n":0}'), `{"seq":1,"kind":"inc","action":{"type":"inc"},"recordable":false,"omitted":[{"path":"x","kind":"function","detail":${V}}],"hash":"0"}`],
  'mark body': (V) => [header('{"n":0}'), `{"seq":1,"kind":"@@mark","label":"x","body":${V}}`, action(2)],
  'error body': (V) => [header('{"n":0}'), `{"seq":1,"kind":"@@error","body":{"source":"x","message":${V}}}`, action(2)],
  'header meta': (V) => [header('{"n":0}', `,"meta":{"a":${V}}`), action(1)],
  'state under redaction paths': (V) => [header(`{"a":${V},"secret":1}`, ',"redact":{"state":["**.x","secret"],"actions":["**.y"]}'), action(1)],
  'unknown hash_alg': (V) => [`{"kind":"@@session","v":1,"session":"s","hash_alg":"custom","from_seq":1,"state":${V}}`, action(1), `{"kind":"@@end","seq":2,"count":1,"state":${V}}`],
  'no hashes at all': (V) => [`{"kind":"@@session","v":1,"session":"s","hash_alg":"none","from_seq":1,"state":{"n":0}}`, `{"kind":"@@end","seq":1,"count":0,"state":${V}}`],
  'after a replaced reducer': (V) => [header('{"n":0}'), `{"seq":1,"kind":"@@replaceReducer","hash":"0"}`, action(2, V, '"0"', '"set"')],
}

const VALUES: Record<string, string> = {
  'nesting 3,000 deep (JSON.stringify copes, the hash does not)': deepArray(3_000),
  'nesting 20,000 deep (JSON.parse copes, nothing recursive does)': deepArray(20_000),
  'an object whose toString is data': '{"toString":1,"valueOf":{}}',
  '__proto__ keys': '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
}

describe('hostile values in every place a log can hold one', () => {
  for (const [valueName, V] of Object.entries(VALUES)) {
    it(`reads and replays logs with ${valueName} anywhere, throwing only its own errors`, async () => {
      for (const [place, build] of Object.entries(PLACES)) {
        const text = build(V).join('\n') + '\n'
        const what = (reader: string) => `${reader} with ${valueName} in the ${place}`
        const parsed = ownErrorsOnly(what('parseRecording'), () => parseRecording(text))
        if (parsed.ok) ownErrorsOnly(what('encodeRecording'), () => encodeRecording(parsed.value))
        const readers: Array<[string, () => unknown]> = [
          ['replay', () => formatDivergence(replay(text, { reducer, onReplaceReducer: () => reducer }))],
          ['replay into a store', () => formatDivergence(replay(text, { createStore: storeOf, onReplaceReducer: () => reducer }))],
          ['replay until seq 1', () => formatDivergence(replay(text, { reducer, until: 1 }))],
          ['replay with onStep', () => formatDivergence(replay(text, { reducer, onStep: () => {} }))],
          ['replay with onNonRecordable: fail', () => formatDivergence(replay(text, { reducer, onNonRecordable: 'fail' }))],
        ]
        for (const [name, read] of readers) ownErrorsOnly(what(name), read)
        const streamed = await ownErrorsOnlyAsync(what('replayStream'), () => replayStream([text], { reducer, input: 'text' }))
        if (streamed.ok) ownErrorsOnly(what('formatDivergence'), () => formatDivergence(streamed.value))
        expectNoPrototypePollution()
      }
    })
  }

  it('describes a replay whose omission detail or action type cannot be turned into text without throwing', () => {
    const text = [header('{"n":0}'), '{"seq":1,"kind":"inc","action":{"type":"inc"},"recordable":false,"omitted":[{"path":"x","kind":"function","detail":{"toString":1}}],"hash":"0"}'].join('\n')
    const result = replay(text, { reducer, onNonRecordable: 'fail' })
    expect(result.divergence?.reason).toBe('non-recordable')
    expect(formatDivergence(result)).toMatch(/x: function \(\[object Object\]\)/)
    // A missing kind falls back to the action type, also when the type is an object with a data toString.
    expect(parseRecording([header('{"n":0}'), '{"seq":1,"action":{"type":{"toString":1}}}'].join('\n')).entries[0].kind).toBe('[object Object]')
  })

  it('encodeRecording explains a recording it cannot encode with its own error', () => {
    const rec = parseRecording([header(deepArray(100_000)), action(1)].join('\n'))
    expect(() => encodeRecording(rec)).toThrow(expect.objectContaining({ name: 'FlightRecorderError', code: 'unencodable' }))
    expect(() => encodeRecording(rec)).toThrow(/Line 1 of the recording cannot be encoded as JSON/)
  })
})

describe('fromDevToolsExport on hostile exports', () => {
  const lifted = (extra: Record<string, string>) =>
    '{' +
    Object.entries({
      actionsById: '{"0":{"action":{"type":"@@INIT"}},"1":{"action":{"type":"inc"},"timestamp":1}}',
      computedStates: '[{"state":{"n":0}},{"state":{"n":1}}]',
      stagedActionIds: '[0,1]',
      ...extra,
    })
      .map(([k, v]) => `"${k}":${v}`)
      .join(',') +
    '}'

  it.each([
    ['skippedActionIds that is not an array', lifted({ skippedActionIds: '0' })],
    ['a computed state that is not an object', lifted({ computedStates: '[null,1]' })],
    ['a staged id naming an inherited key', lifted({ stagedActionIds: '[0,"constructor"]' })],
    ['a staged id naming __proto__', lifted({ stagedActionIds: '[0,"__proto__"]' })],
    ['a timestamp Date cannot represent', lifted({ actionsById: '{"0":{"action":{"type":"@@INIT"}},"1":{"action":{"type":"inc"},"timestamp":1e308}}' })],
    ['a computed state nested 100,000 deep', lifted({ computedStates: `[{"state":{"n":0}},{"state":${deepArray(100_000)}}]` })],
    ['an action type whose toString is data', '{"payload":"[{\\"type\\":{\\"toString\\":1}}]"}'],
  ])('reads or rejects (with its own error) an export with %s', (_name, input) => {
    const outcome = ownErrorsOnly('fromDevToolsExport', () => fromDevToolsExport(input))
    if (outcome.ok) ownErrorsOnly('replay', () => formatDivergence(replay(outcome.value, { reducer })))
    else expect(outcome.error.code).toBe('bad-devtools-export')
  })

  it('imports lifted states it cannot hash without hashes instead of failing', () => {
    const rec = fromDevToolsExport(lifted({ computedStates: `[{"state":{"n":0}},{"state":${deepArray(100_000)}}]` }))
    expect(rec.header.hash_alg).toBe('none')
    expect(rec.entries.map((e) => e.kind)).toEqual(['inc'])
  })
})
