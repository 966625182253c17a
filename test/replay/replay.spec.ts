import { combineReducers, configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import type { Reducer } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, FlightRecorderError, ReplayDivergenceError, type ActionEntry, type FlightRecorderOptions, type Recording, stateHash } from 'redux-flight-recorder'
import { encodeRecording, formatDivergence, isActionEntry, parseRecording, rehashRecording, replay, shrinkRecording, type ReplayOptions, type ReplayResult, type ReplayStep } from 'redux-flight-recorder/replay'
import { sha256JsonHash } from 'redux-flight-recorder/node'
import { expectReplay } from 'redux-flight-recorder/testing'
import { added, makeReducer, makeStore, removed, renamed, rootReducer, toggled } from '../helpers/todoApp'

/** Records a real todo session (RTK store, listener middleware, thunk) and returns its log. */
async function recordTodos(options: FlightRecorderOptions = {}): Promise<Recording> {
  const recorder = createFlightRecorder(options)
  const store = makeStore(recorder)
  store.dispatch(added({ id: 'a', title: 'milk', done: false }))
  store.dispatch(added({ id: 'b', title: 'eggs', done: false }))
  store.dispatch(renamed({ id: 'b', title: 'bread' }))
  store.dispatch(toggled('a'))
  store.dispatch(added({ id: 'c', title: 'tea', done: false }))
  store.dispatch(removed('b')) // the listener dispatches filter/audited in the same turn
  await recorder.close()
  return recorder.snapshot()
}

const actionEntries = (rec: Recording) => rec.entries.filter((e): e is ActionEntry => isActionEntry(e))

describe('replay', () => {
  it('replays a recorded session on the same reducer with every hash checked', async () => {
    const rec = await recordTodos()
    const result = replay(rec, { reducer: rootReducer })
    expect(result.ok).toBe(true)
    expect(result.verified).toBe(true)
    expect(result.steps).toBe(7)
    expect(result.checked).toBe(8) // 7 actions + @@end
    expect(result.finalHash).toBe(rec.end!.hash)
    expect(result.state).toEqual(rec.end!.state)
    expect(formatDivergence(result)).toBe('Replay ok: 7 steps, 8 checks.')
  })

  it('reports the seq, turn and action type of a changed reducer branch, and the changed key path with both values', async () => {
    const rec = await recordTodos()
    const toggle = actionEntries(rec).find((e) => e.kind === 'todos/toggled')!
    const result = replay(rec, { reducer: makeReducer({ buggyToggle: true }) })
    expect(result.ok).toBe(false)
    const d = result.divergence!
    expect(d).toMatchObject({ reason: 'hash-mismatch', seq: toggle.seq, turn: toggle.turn, kind: 'todos/toggled', action: { type: 'todos/toggled', payload: 'a' } })
    expect(d.turn).toMatch(/^t\d+$/)
    expect(d.expectedHash).toBe(toggle.hash)
    expect(d.actualHash).not.toBe(toggle.hash)
    expect(d.diff).toEqual([{ path: 'todos.entities.a.done', recorded: true, replayed: false }])
    expect(d.diffAtSeq).toBe(rec.end!.seq)
    expect(d.diffAt).toBe('@@end')

    const report = formatDivergence(result)
    expect(report).toContain(`Replay diverged at seq ${toggle.seq} (turn ${toggle.turn}), action 'todos/toggled'`)
    expect(report).toContain('todos.entities.a.done: true → false')
    let thrown: unknown
    try {
      expectReplay(rec, { reducer: makeReducer({ buggyToggle: true }) })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ReplayDivergenceError)
    const error = thrown as ReplayDivergenceError
    // The same report, but for its update hint (a recording in memory: -u cannot update it).
    const [before, after] = report.split(/ {2}if the reducer changed on purpose, update the log: .*/)
    expect(error.message).toContain(before + '  if the reducer changed on purpose, record the session again')
    expect(error.message).toContain('(expectReplayFile and replaySuite update their log files with -u)' + after)
    expect(error).toMatchObject({ code: 'hash-mismatch', seq: toggle.seq, turn: toggle.turn })
  })

  it('takes the diff at the first checkpoint after the divergence', async () => {
    const rec = await recordTodos({ checkpointEvery: 2 })
    const toggle = actionEntries(rec).find((e) => e.kind === 'todos/toggled')!
    const cp = rec.entries.find((e) => e.kind === '@@checkpoint' && e.seq > toggle.seq)!
    const result = replay(rec, { reducer: makeReducer({ buggyToggle: true }) })
    expect(result.divergence).toMatchObject({ seq: toggle.seq, diffAtSeq: cp.seq, diffAt: '@@checkpoint' })
    expect(result.divergence!.diff).toEqual([{ path: 'todos.entities.a.done', recorded: true, replayed: false }])
  })

  it('says so when the log has no full state after the divergence', async () => {
    const rec = await recordTodos()
    const { end: _end, ...cut } = rec
    const result = replay(cut, { reducer: makeReducer({ buggyToggle: true }) })
    expect(result.divergence!.diff).toBeNull()
    expect(result.divergence!.diffAtSeq).toBeNull()
    expect(formatDivergence(result)).toContain('The log has no checkpoint or @@end after this step')
  })

  it('reports a reducer that throws, with its error, and stops there', async () => {
    const rec = await recordTodos()
    const renamedSeq = actionEntries(rec).find((e) => e.kind === 'todos/renamed')!.seq
    const throwing: Reducer = (state, action) => {
      if (action.type === 'todos/renamed') throw new RangeError('title too long')
      return rootReducer(state, action)
    }
    const result = replay(rec, { reducer: throwing })
    expect(result.divergence).toMatchObject({ reason: 'reducer-threw', seq: renamedSeq, error: { name: 'RangeError', message: 'title too long' }, diff: null })
    expect(result.steps).toBe(2)
    expect(formatDivergence(result)).toContain('reducer threw: RangeError: title too long')
  })

  it('accepts JSONL text as well as a Recording', async () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'x', done: false }))
    await recorder.close()
    const text = recorder.toJSONL()
    expect(replay(text, { reducer: rootReducer })).toMatchObject({ ok: true, steps: 1, verified: true })
  })

  it('replays into a store built by createStore', async () => {
    const rec = await recordTodos()
    let built = 0
    const result = replay(rec, {
      createStore: (preloadedState) => {
        built++
        return configureStore({ reducer: rootReducer, preloadedState: preloadedState as never })
      },
    })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 7 })
    expect(built).toBe(1)
  })

  it('calls onStep for every action and stops after `until`', async () => {
    const rec = await recordTodos()
    const steps: ReplayStep[] = []
    const third = actionEntries(rec)[2].seq
    const result = replay(rec, { reducer: rootReducer, until: third, onStep: (s) => steps.push(s) })
    expect(result.ok).toBe(true)
    expect(result.steps).toBe(3)
    expect(steps.map((s) => s.seq)).toEqual(actionEntries(rec).slice(0, 3).map((e) => e.seq))
    expect(steps.every((s) => s.matched === true && s.skipped === false)).toBe(true)
    expect(steps[2].state).toBe(result.state)
  })

  it('gives up the diff, saying why, when `until` comes before the next full state', async () => {
    const rec = await recordTodos()
    const toggle = actionEntries(rec).find((e) => e.kind === 'todos/toggled')!
    const result = replay(rec, { reducer: makeReducer({ buggyToggle: true }), until: toggle.seq + 1 })
    expect(result.divergence!.seq).toBe(toggle.seq)
    expect(result.divergence!.diffNote).toContain('`until`')
  })

  it('stops at a replaced reducer without onReplaceReducer and goes on with it', async () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'x', done: false }))
    const v2 = makeReducer()
    store.replaceReducer(v2)
    store.dispatch(toggled('a'))
    await recorder.close()
    const rec = recorder.snapshot()
    const replaced = rec.entries.find((e) => e.kind === '@@replaceReducer')!
    const stopped = replay(rec, { reducer: rootReducer })
    expect(stopped.ok).toBe(false)
    // Steps after it were not replayed: not verified (acceptance, session 26: `verified: true` beside `ok: false`).
    expect([stopped.verified, stopped.steps]).toEqual([false, 1])
    expect(stopped.stopped).toMatchObject({ seq: replaced.seq })
    expect(formatDivergence(stopped)).toContain('pass `onReplaceReducer`')
    const seen: number[] = []
    const result = replay(rec, { reducer: rootReducer, onReplaceReducer: (e) => (seen.push(e.seq), v2) })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 2 })
    expect(seen).toEqual([replaced.seq])
  })

  it('records a replaced reducer that threw on the replace action (Redux keeps it), and replay takes it there too', async () => {
    // A lazily loaded reducer that fails its first call: the app catches the error and goes on
    // with the new reducer, which Redux installed before dispatching its replace action.
    const counter = (step: number, failFirst: boolean): Reducer<{ n: number }> => {
      let armed = failFirst
      return (state = { n: 0 }, action) => {
        if (action.type.startsWith('@@redux/REPLACE') && armed) {
          armed = false
          throw new Error('lazy reducer init failed')
        }
        return action.type === 'inc' ? { n: state.n + step } : state
      }
    }
    for (const viaStore of [false, true]) {
      const recorder = createFlightRecorder()
      const store = configureStore({
        reducer: counter(1, false),
        middleware: (g) => g().prepend(recorder.middleware),
        enhancers: (g) => g().concat(recorder.enhancer),
      })
      store.dispatch({ type: 'inc' })
      expect(() => store.replaceReducer(counter(10, true))).toThrow('lazy reducer init failed')
      store.dispatch({ type: 'inc' })
      expect(store.getState()).toEqual({ n: 11 })
      await recorder.close()
      const rec = recorder.snapshot()
      expect(rec.entries.map((e) => e.kind)).toEqual(['inc', '@@replaceReducer', 'inc'])
      expect(rec.entries[1]).toMatchObject({ kind: '@@replaceReducer', threw: true, hash: stateHash({ n: 1 }) })
      expect(recorder.toJSONL()).toContain('"kind":"@@replaceReducer","threw":true,"hash":')
      const createStore = viaStore ? (preloadedState: { n: number }) => configureStore({ reducer: counter(1, false), preloadedState }) : undefined
      // The new reducer throws again on replay's replace action, as it did when recorded.
      const result = replay(rec, { reducer: counter(1, false), createStore, onReplaceReducer: () => counter(10, true) })
      expect(result).toMatchObject({ ok: true, verified: true, steps: 2, state: { n: 11 } })
      // A reducer that no longer throws replays the same (its replace action changes nothing).
      expect(replay(rec, { reducer: counter(1, false), createStore, onReplaceReducer: () => counter(10, false) })).toMatchObject({ ok: true, verified: true })
    }
  })

  it('a reducer that mutates its state is named at its step, and changes neither the Recording nor what rehash and shrink write from it', async () => {
    type Stats = { stats: { dispatched: number; byType: Record<string, number> } }
    const pure: Reducer<Stats> = (state = { stats: { dispatched: 0, byType: {} } }, action) =>
      action.type.startsWith('@@') ? state : { stats: { dispatched: state.stats.dispatched + 1, byType: { ...state.stats.byType, [action.type]: (state.stats.byType[action.type] ?? 0) + 1 } } }
    // Changes the state it is given, and returns it: a hand-written reducer outside Immer.
    const mutating: Reducer<Stats> = (state = { stats: { dispatched: 0, byType: {} } }, action) => {
      if (action.type.startsWith('@@')) return state
      state.stats.dispatched += 1
      state.stats.byType[action.type] = (state.stats.byType[action.type] ?? 0) + 2
      return state
    }
    const recorder = createFlightRecorder({ checkpointEvery: 3 })
    const store = configureStore({ reducer: pure, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    for (const type of ['a', 'b', 'a', 'c', 'b']) store.dispatch({ type })
    await recorder.close()
    const rec = recorder.snapshot()
    const original = JSON.stringify(rec)

    const result = replay(rec, { reducer: mutating })
    expect(result.divergence).toMatchObject({ seq: 1, kind: 'a', mutatedInPlace: { seq: 1, after: 0 } })
    expect(result.divergence!.step).toBeUndefined()
    const report = formatDivergence(result)
    expect(report).toContain('The reducer mutated the state in place (at or before seq 1, after seq 0)')
    expect(report).not.toContain('changed nothing')
    // The fix is in the reducer, not in the log.
    expect(report).not.toContain('update the log')
    // The caller's Recording is as it was, so a second replay says the same.
    expect(JSON.stringify(rec)).toBe(original)
    expect(replay(rec, { reducer: mutating }).divergence).toMatchObject({ seq: 1, mutatedInPlace: { seq: 1 } })
    expect(JSON.stringify(rec)).toBe(original)

    // rehash keeps the header as recorded (it wrote the session's last counts into the starting state).
    const rehashed = rehashRecording(rec, { reducer: mutating })
    expect(rehashed.header.state).toEqual({ stats: { dispatched: 0, byType: {} } })
    expect(JSON.stringify(rec)).toBe(original)
    // shrink: every candidate replays from the recorded start, and the shrunk log passes on the baseline.
    const shrunk = shrinkRecording(rec, { reducer: mutating, baseline: pure })
    expect(shrunk.header.state).toEqual({ stats: { dispatched: 0, byType: {} } })
    expect(replay(shrunk, { reducer: pure })).toMatchObject({ ok: true, verified: true })
    expect(JSON.stringify(rec)).toBe(original)

    // Where the hash is not stale (an array changed in place, the same object returned), the step
    // that did it is still named, not reported as having "changed nothing".
    const listRecorder = createFlightRecorder({ checkpointEvery: 2 })
    const listStore = configureStore({
      reducer: (state: { list: number[] } = { list: [] }, action: { type: string; payload?: number }) => (action.type === 'push' ? { list: [...state.list, action.payload!] } : state),
      middleware: (g) => g().prepend(listRecorder.middleware),
      enhancers: (g) => g().concat(listRecorder.enhancer),
    })
    listStore.dispatch({ type: 'push', payload: 1 })
    listStore.dispatch({ type: 'push', payload: 2 })
    const list = replay(listRecorder.toJSONL({ finalState: true }), {
      reducer: (state: { list: number[] } = { list: [] }, action: { type: string; payload?: number }) => {
        if (action.type === 'push') state.list.push(action.payload! * 10)
        return state
      },
    })
    expect(list.divergence).toMatchObject({ seq: 1, mutatedInPlace: { seq: 1, after: 0 }, diff: [{ path: 'list', recorded: [1, 2], replayed: [10, 20] }] })
    const listReport = formatDivergence(list)
    expect(listReport).toContain('The reducer mutated the state in place at seq 1: the replayed state hashes otherwise than before this step')
    expect(listReport).not.toContain('changed nothing')
    expect(listReport).not.toContain('update the log')
    // A reducer that really changes nothing is still said to.
    const noop = replay(listRecorder.toJSONL({ finalState: true }), { reducer: (state: { list: number[] } = { list: [] }) => state })
    expect(noop.divergence!.mutatedInPlace).toBeUndefined()
    expect(formatDivergence(noop)).toContain('this step, replayed: changed nothing')
  })

  it("rehash's error for actions that do not replay carries the replay as `result`, not as an own property", async () => {
    const rec = await recordTodos()
    const throwing: Reducer = (state, action) => {
      if (action.type === 'todos/toggled') throw new Error('boom')
      return rootReducer(state, action)
    }
    let error: (Error & { code?: string; result?: ReplayResult }) | undefined
    try {
      rehashRecording(rec, { reducer: throwing })
    } catch (e) {
      error = e as typeof error
    }
    expect(error).toBeInstanceOf(FlightRecorderError)
    expect(error!.code).toBe('replay-failed')
    expect(error!.result).toMatchObject({ ok: false, divergence: { reason: 'reducer-threw', kind: 'todos/toggled' } })
    expect(Object.getOwnPropertyNames(error)).not.toContain('result')
  })

  it('an action that lost a symbol-keyed property is named as such when its replay diverges', async () => {
    const PRIORITY = Symbol.for('app/priority')
    const reducer: Reducer<{ n: number }> = (state = { n: 0 }, action) => (action.type === 'task/add' ? { n: state.n + ((action as unknown as Record<symbol, unknown>)[PRIORITY] ? 2 : 1) } : state)
    const recorder = createFlightRecorder()
    const store = configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    store.dispatch({ type: 'task/add', [PRIORITY]: true })
    await recorder.close()
    const rec = recorder.snapshot()
    expect(rec.entries[0]).toMatchObject({ recordable: false, omitted: [{ path: '[Symbol(app/priority)]', kind: 'symbol-key' }] })
    const result = replay(rec, { reducer })
    expect(result.divergence).toMatchObject({ seq: 1, omitted: [{ path: '[Symbol(app/priority)]', kind: 'symbol-key' }] })
    expect(formatDivergence(result)).toContain('[Symbol(app/priority)]: symbol-key')
  })

  it('a mutation the cached hashes hid is traced back to the step that made it', async () => {
    type Stats = { dispatched: number }
    const stats = (mutate: boolean): Reducer<Stats> => (state = { dispatched: 0 }, action) => {
      // The regression: a hand-written reducer that changes its state in place on one action.
      if (mutate && action.type === 'checkout/next') {
        state.dispatched += 10
        return state
      }
      return action.type.startsWith('cart/') ? { dispatched: state.dispatched + 1 } : state
    }
    // The same action moves another slice on (a checkout step): the root is a new object, and the
    // stats object, changed in place, keeps its cached hash.
    const other: Reducer<{ n: number }> = (state = { n: 0 }, action) => (action.type.startsWith('ui/') || action.type === 'checkout/next' ? { n: state.n + 1 } : state)
    const make = (mutate: boolean) => combineReducers({ stats: stats(mutate), ui: other })
    const recorder = createFlightRecorder()
    const store = configureStore({ reducer: make(false), middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
    for (const type of ['cart/add', 'ui/a', 'checkout/next', 'ui/b', 'ui/c', 'cart/add']) store.dispatch({ type })
    await recorder.close()
    const rec = recorder.snapshot()
    // Seq 3 changed the stats in place, and its state differs: the report says the state it started
    // from changed (so the mutation may be earlier), and a second pass names seq 3.
    for (const input of [rec, recorder.toJSONL()]) {
      const result = replay(input, { reducer: make(true) })
      expect(result.divergence).toMatchObject({ seq: 3, mutatedInPlace: { seq: 3, after: 2 } })
      const report = formatDivergence(result)
      expect(report).toContain("The reducer mutated the state in place at seq 3 ('checkout/next'): replayed again with every step hashed afresh, seq 3 is the first step whose state was changed in place.")
      expect(report).not.toContain('update the log')
    }
  })

  it('compares full states when the log has no hashes', async () => {
    const rec = await recordTodos({ hash: false })
    expect(rec.header.hash_alg).toBe('none')
    const good = replay(rec, { reducer: rootReducer })
    expect(good).toMatchObject({ ok: true, verified: false, checked: 1 })
    const bad = replay(rec, { reducer: makeReducer({ buggyToggle: true }) })
    expect(bad.divergence).toMatchObject({ reason: 'state-mismatch', seq: rec.end!.seq, kind: '@@end', diff: [{ path: 'todos.entities.a.done', recorded: true, replayed: false }] })
    expect(formatDivergence(bad)).toContain('the step that caused it is unknown')
  })

  it('verifies a log hashed with a custom function when given the same function', async () => {
    const rec = await recordTodos({ hash: sha256JsonHash })
    expect(rec.header.hash_alg).toBe('sha256-json')
    expect(replay(rec, { reducer: rootReducer, hash: sha256JsonHash })).toMatchObject({ ok: true, verified: true, checked: 8 })
    const without = replay(rec, { reducer: rootReducer })
    expect(without).toMatchObject({ ok: true, verified: false, checked: 1 })
    expect(without.warnings.join('\n')).toContain("The log was hashed with 'sha256-json'; pass the same function as `hash` (it is matched by its `algorithm` property, or else its name, which must be 'sha256-json')")
    const other = Object.assign((s: unknown) => JSON.stringify(s), { algorithm: 'json' })
    expect(replay(rec, { reducer: rootReducer, hash: other }).warnings.join('\n')).toContain("the `hash` function given is 'json': pass the one the recorder used")
    expect(replay(rec, { reducer: makeReducer({ buggyToggle: true }), hash: sha256JsonHash }).divergence!.kind).toBe('todos/toggled')
  })

  it('says what an inline hash function is recorded as, and that replay needs it too', async () => {
    const rec = await recordTodos({ hash: (s) => JSON.stringify(s).length.toString(16) })
    expect(rec.header.hash_alg).toBe('hash')
    const warning = replay(rec, { reducer: rootReducer }).warnings.join('\n')
    expect(warning).toContain("a custom hash function (recorded as 'hash': an inline function given as the `hash` option); pass the same function as `hash`")
    expect(replay(rec, { reducer: rootReducer, hash: (s) => JSON.stringify(s).length.toString(16) })).toMatchObject({ ok: true, verified: true })
  })

  it('reports a starting state that does not hash as recorded (a different hash function)', async () => {
    const rec = await recordTodos({ hash: sha256JsonHash })
    const renamedAlg = { ...rec, header: { ...rec.header, hash: 'ffffffffffffffff' } }
    const result = replay(renamedAlg, { reducer: rootReducer, hash: sha256JsonHash })
    expect(result.divergence).toMatchObject({ reason: 'state-mismatch', kind: '@@session', seq: 0, diff: null })
    expect(result.divergence!.diffNote).toContain('the hash function (or `serializeState`) differs')
    expect(result.steps).toBe(0)
  })

  it('shows how a replay store built from the log starts in another state (a slice added), not blaming the hash function', async () => {
    const rec = await recordTodos()
    const wishlist = createSlice({ name: 'wishlist', initialState: { ids: [] as string[] }, reducers: {} })
    const withWishlist: Reducer = (state, action) => {
      const { wishlist: w, ...rest } = state ?? {}
      return { ...rootReducer(state ? (rest as never) : undefined, action), wishlist: wishlist.reducer(w, action) }
    }
    const result = replay(rec, { createStore: (pre) => configureStore({ reducer: withWishlist, preloadedState: pre as never }) })
    const d = result.divergence!
    expect(d).toMatchObject({ reason: 'state-mismatch', kind: '@@session', seq: 0, diffAtSeq: 0, diffAt: '@@session' })
    expect(d.diff).toEqual([{ path: 'wishlist', recorded: undefined, replayed: { ids: [] } }])
    const text = formatDivergence(result)
    expect(text).toContain('    wishlist: (missing) → {"ids":[]}')
    expect(text).toContain("The replay store starts in another state than the log's")
    expect(text).not.toContain('hash function')
  })

  it('replays redacted logs (redaction applied before hashing on both sides)', async () => {
    const rec = await recordTodos({ redact: { state: ['todos.entities.*.title'] } })
    expect(JSON.stringify(rec.end!.state)).toContain('[redacted]')
    expect(replay(rec, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true })
    // A change inside a redacted value cannot be seen, by design.
    const renameBug: Reducer = (s, a) => rootReducer(s, a.type === 'todos/renamed' ? { ...a, payload: { ...(a as unknown as { payload: object }).payload, title: 'other' } } : a)
    expect(replay(rec, { reducer: renameBug }).ok).toBe(true)
  })

  it('resumes at the next checkpoint after missing entries, unverified', async () => {
    const rec = await recordTodos({ checkpointEvery: 3 })
    const firstCp = rec.entries.findIndex((e) => e.kind === '@@checkpoint')
    const holed: Recording = { ...rec, entries: rec.entries.filter((_, i) => i !== firstCp - 1) }
    const result = replay(holed, { reducer: rootReducer })
    expect(result.ok).toBe(true)
    expect(result.verified).toBe(false)
    expect(result.warnings.some((w) => w.includes('missing'))).toBe(true)
    expect(result.finalHash).toBe(rec.end!.hash)
  })
})

/** What a replay gave: the result without stacks, or what it threw. */
function outcome(run: () => ReplayResult): unknown {
  try {
    const r = run()
    const d = r.divergence && { ...r.divergence, error: r.divergence.error && { name: r.divergence.error.name, message: r.divergence.error.message } }
    return { ok: r.ok, steps: r.steps, skipped: r.skipped, checked: r.checked, verified: r.verified, finalHash: r.finalHash, state: r.state, divergence: d, stopped: r.stopped, warnings: r.warnings, header: r.header }
  } catch (error) {
    const e = error as Error & { code?: string; line?: number }
    return { threw: e.name, code: e.code, line: e.line, message: e.message }
  }
}

describe('replay of JSONL text', () => {
  it('says a gap once: where the entries are missing and that replay resumes at the next full state', async () => {
    const rec = await recordTodos({ checkpointEvery: 3 })
    const lines = encodeRecording(rec).split('\n')
    const gapped = lines.filter((_, i) => i !== 2).join('\n')
    const expected = `Entry 2 is missing before line 3 (lost in writing); replay resumes at the next full state (a checkpoint, or @@end).`
    for (const input of [gapped, parseRecording(gapped)]) {
      const result = replay(input, { reducer: rootReducer })
      expect(result.warnings.filter((w) => w.includes('missing'))).toEqual([expected])
      expect(result.verified).toBe(false)
    }
    // Without a reader's warning (entries given directly), the replayer's own stands.
    const entries = parseRecording(lines.join('\n'))
    const direct = replay({ ...entries, entries: entries.entries.filter((e) => e.seq !== 2), warnings: [] }, { reducer: rootReducer })
    expect(direct.warnings.filter((w) => w.includes('missing'))).toEqual(['Entry 2 is missing; replay resumes at the next full state (a checkpoint, or @@end).'])
  })

  it('gives the same result, warnings and errors as replaying the parsed Recording', async () => {
    const rec = await recordTodos({ checkpointEvery: 3 })
    const text = encodeRecording(rec)
    const lines = text.split('\n')
    const toggleAt = lines.findIndex((l) => l.includes('"kind":"todos/toggled"'))
    const texts = [
      text,
      lines.filter((_, i) => i !== 2).join('\n'), // a gap
      lines.slice(0, -2).join('\n') + '\n' + lines.at(-2)!.slice(0, 40), // cut short
      [...lines.slice(0, toggleAt + 2), '{not json', ...lines.slice(toggleAt + 2)].join('\n'), // a bad line after the divergence
      [...lines.slice(0, 2), '{"seq":1,"kind":"x","action":{}}', ...lines.slice(2)].join('\n'), // a bad line early
      [...lines.slice(0, -1), '{"seq":999,"ts":"","t":0,"turn":null,"kind":"x","action":{"type":"x"}}'].join('\n'), // a line after @@end
      lines[0].replace(/"hash":"[0-9a-f]+"/, '"hash":"0000000000000000"') + '\n' + lines.slice(1).join('\n'), // the header hash
      lines[0].replace('"hash_alg":"fr64"', '"hash_alg":"sha-1"') + '\n' + lines.slice(1).join('\n'), // a hash we do not have
      lines.map((l) => l.replace(/"hash":"[0-9a-f]+"/, '"hash":null')).join('\n'), // no hashes
      lines.slice(1).join('\n'), // no header
      '',
    ]
    const throwing: Reducer = (state, action) => {
      if (action.type === 'todos/renamed') throw new RangeError('title too long')
      return rootReducer(state, action)
    }
    const options: ReplayOptions[] = [
      { reducer: rootReducer },
      { reducer: makeReducer({ buggyToggle: true }) },
      { reducer: throwing },
      { reducer: rootReducer, until: 4 },
      { reducer: makeReducer({ buggyToggle: true }), until: rec.entries.at(-1)!.seq },
      { reducer: rootReducer, parse: { strict: true } },
      { reducer: rootReducer, parse: { maxLineBytes: 300 } },
    ]
    for (const t of texts) {
      for (const o of options) {
        const expected = outcome(() => replay(parseRecording(t, { strict: false, ...o.parse }), o))
        expect(outcome(() => replay(t, o))).toEqual(expected)
        // With a callback, replay parses the whole text first: the same again.
        expect(outcome(() => replay(t, { ...o, onStep: () => {} }))).toEqual(expected)
      }
    }
  })

  it('checks every hash against the replayed state, and reports the replayed hash in full', async () => {
    const rec = await recordTodos()
    const toggle = actionEntries(rec).find((e) => e.kind === 'todos/toggled')!
    const buggy = makeReducer({ buggyToggle: true })
    const steps: ReplayStep[] = []
    replay(encodeRecording(rec), { reducer: buggy, onStep: (s) => steps.push(s) })
    expect(steps.length).toBeGreaterThan(3)
    for (const s of steps.filter((s) => s.matched !== null)) {
      expect(s.actualHash).toBe(stateHash(s.state))
      expect(s.matched).toBe(s.actualHash === s.expectedHash)
    }
    expect(steps.find((s) => s.matched === false)?.seq).toBe(toggle.seq)
    const result = replay(encodeRecording(rec), { reducer: buggy, until: toggle.seq })
    expect(result.divergence).toMatchObject({ reason: 'hash-mismatch', seq: toggle.seq, expectedHash: toggle.hash })
    expect(result.divergence!.actualHash).toBe(stateHash(result.state))
    // An upper-case copy of the right hash is not the recorded hash.
    const upper = encodeRecording(rec).replace(`"hash":"${toggle.hash}"`, `"hash":"${toggle.hash!.toUpperCase()}"`)
    expect(replay(upper, { reducer: rootReducer }).divergence).toMatchObject({ seq: toggle.seq, actualHash: toggle.hash })
  })

  it('reports a bad line after the end of the replay, as parseRecording would', async () => {
    const rec = await recordTodos()
    const text = encodeRecording(rec).replace(/\n$/, '') + '\n{"seq":1}\n'
    expect(() => replay(text, { reducer: rootReducer, until: 1 })).toThrow(/Line \d+ of the recording is not valid/)
  })
})

describe('replay of actions the log could not carry', () => {
  const slice = createSlice({
    name: 'form',
    initialState: { submitted: 0, label: '' },
    reducers: {
      submitted: {
        reducer(state, action: PayloadAction<{ label: string; onDone: () => void }>) {
          state.submitted++
          state.label = action.payload.label
          action.payload.onDone()
        },
        prepare: (label: string, onDone: () => void) => ({ payload: { label, onDone } }),
      },
      typed(state, action: PayloadAction<string>) {
        state.label = action.payload
      },
    },
  })

  async function record(): Promise<Recording> {
    const recorder = createFlightRecorder()
    const store = configureStore({
      reducer: slice.reducer,
      middleware: (g) => g({ serializableCheck: false }).prepend(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    store.dispatch(slice.actions.typed('a'))
    store.dispatch(slice.actions.submitted('go', () => {}))
    store.dispatch(slice.actions.typed('b'))
    await recorder.close()
    return recorder.snapshot()
  }

  it('dispatches the projection by default and names the omitted values when that fails', async () => {
    const rec = await record()
    const entry = actionEntries(rec)[1]
    expect(entry).toMatchObject({ recordable: false, omitted: [{ path: 'payload.onDone', kind: 'function' }] })
    const result = replay(rec, { reducer: slice.reducer })
    expect(result.divergence).toMatchObject({ reason: 'reducer-threw', seq: entry.seq, omitted: [{ path: 'payload.onDone', kind: 'function' }] })
    const report = formatDivergence(result)
    expect(report).toContain('values the log could not carry:\n    payload.onDone: function')
    expect(report).toContain('hint: Pass `onNonRecordable: (entry) => action`')
  })

  it("rebuilds the action with an onNonRecordable function", async () => {
    const rec = await record()
    const result = replay(rec, {
      reducer: slice.reducer,
      onNonRecordable: (e) => ({ ...e.action, payload: { ...(e.action.payload as object), onDone: () => {} } }) as never,
    })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 3 })
  })

  it("skips with 'skip' and still checks the skipped entry's hash", async () => {
    const rec = await record()
    const result = replay(rec, { reducer: slice.reducer, onNonRecordable: 'skip' })
    // The skipped action changed the state, so the replay cannot match there.
    expect(result.divergence).toMatchObject({ reason: 'hash-mismatch', seq: actionEntries(rec)[1].seq })
    expect(result.skipped).toBe(1)
    expect(result.divergence!.diff).toEqual([
      { path: 'submitted', recorded: 1, replayed: 0 },
      { path: 'label', recorded: 'b', replayed: 'b' },
    ].filter((d) => d.recorded !== d.replayed))
  })

  it("stops with 'fail', naming the omitted values", async () => {
    const rec = await record()
    const result = replay(rec, { reducer: slice.reducer, onNonRecordable: 'fail' })
    expect(result.divergence).toMatchObject({ reason: 'non-recordable', seq: actionEntries(rec)[1].seq })
    expect(result.steps).toBe(1)
    expect(formatDivergence(result)).toContain("`onNonRecordable` is 'fail'")
  })

  it('rejects bad options with a clear message', () => {
    expect(() => replay('', {} as never)).toThrow(/Expected `reducer` or `createStore`/)
    // A value under `reducer` that is not one is named, with what it looks like.
    expect(() => replay('', { reducer: 42 as never })).toThrow('Expected `reducer` to be a function (state, action) => state. Instead, received: number 42.')
    expect(() => replay('', { reducer: slice as never })).toThrow(/received: an object\. It has a `reducer` function \(a slice\?\): pass that, `slice\.reducer`/)
    expect(() => replay('', { reducer: { todos: slice.reducer } as never })).toThrow(/slice reducers\?\): combine them first, `combineReducers/)
    expect(() => replay('', { createStore: 'store' as never })).toThrow('Expected `createStore` to be a function (preloadedState) => store. Instead, received: \'store\'.')
    expect(() => shrinkRecording('', { reducer: slice as never })).toThrow(/Expected `reducer` to be a function.*`slice\.reducer`/)
    expect(() => replay('', { reducer: rootReducer, onNonRecordable: 'drop' as never })).toThrow(/`onNonRecordable`/)
    expect(() => replay('', { reducer: rootReducer, adapters: [{}] as never })).toThrow(/`adapters`/)
    expect(() => replay(42 as never, { reducer: rootReducer })).toThrow(/Expected a Recording or JSONL text/)
    expect(() => parseRecording('')).toThrow()
  })

  it('goes on from the state after pause()/resume() and from a lifecycle entry that carries a state', async () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'x', done: false }))
    recorder.pause()
    store.dispatch(added({ id: 'hidden', title: 'not in the log', done: false }))
    recorder.resume()
    store.dispatch(toggled('hidden'))
    await recorder.close()
    const rec = recorder.snapshot()
    expect(rec.entries.map((e) => e.kind)).toEqual(['todos/added', '@@checkpoint', 'todos/toggled'])
    expect(replay(rec, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true, steps: 2 })

    // The same jump as a DevTools state change: a @@lifecycle entry with the new state.
    const cp = rec.entries[1] as { state: unknown; hash: string }
    const lifecycle = { ...rec.entries[1], kind: '@@lifecycle', body: { event: 'devtools-state-change' }, state: cp.state }
    const viaLifecycle: Recording = { ...rec, entries: [rec.entries[0], lifecycle as never, rec.entries[2]] }
    expect(replay(viaLifecycle, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true, steps: 2 })
  })

  it('starts from the last full state before the first action', async () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'x', done: false }))
    recorder.clear()
    recorder.pause()
    recorder.resume() // a checkpoint before any action of this buffer
    store.dispatch(toggled('a'))
    await recorder.close()
    const rec = recorder.snapshot()
    expect(rec.entries[0].kind).toBe('@@checkpoint')
    // Even with a header whose state is unusable (a serialisation fault writes null), the checkpoint is the start.
    const broken: Recording = {
      ...rec,
      header: { ...rec.header, state: null, hash: null },
      entries: rec.entries.map((e) => (e.kind === '@@checkpoint' ? { ...e, reason: 'requested' } : e)),
    }
    expect(replay(broken, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true, steps: 1 })
  })
})


describe('a replayed state that cannot be hashed', () => {
  it("stops with reason 'hash-threw' and names the error once", async () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'one', done: false }))
    store.dispatch(added({ id: 'b', title: 'two', done: false }))
    const rec = recorder.snapshot({ finalState: true })
    // A regression that puts a state nested past the stack into the state at the second action.
    // (A cycle no longer stops the hash: it is left out, src/internal/readable.ts.)
    const cyclic: Reducer = (state, action) => {
      const next = rootReducer(state, action) as Record<string, unknown>
      if ((action as { payload?: { id?: string } }).payload?.id !== 'b') return next
      let loop: unknown = 1
      for (let d = 0; d < 20_000; d++) loop = { d: loop }
      return { ...next, loop }
    }
    // At the step, and at the final checkpoint (the steps without their hashes: a shrunk log).
    const unhashed = { ...rec, entries: rec.entries.map((e) => (isActionEntry(e) ? { ...e, hash: null } : e)) }
    for (const [log, seq, kind] of [[rec, 2, 'todos/added'], [unhashed, 3, '@@checkpoint']] as const) {
      const result = replay(log, { reducer: cyclic })
      expect(result.ok).toBe(false)
      expect(result.divergence).toMatchObject({ reason: 'hash-threw', seq, kind })
      const name = result.divergence!.error!.name
      expect(name).toMatch(/Error$/)
      expect(result.divergence!.error!.message.startsWith(name)).toBe(false)
      expect(formatDivergence(result)).not.toContain(`${name}: ${name}`)
    }
  })
})
