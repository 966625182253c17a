/**
 * Where a recorded dispatch's work runs at a large state, in the bench's 10 MB shape (one dispatch,
 * then one event-loop turn, as bench/run.mjs's `batch: 1`): per dispatch, the recorder's time on
 * the dispatch path (the dispatch minus the bench reducer's own time) and the time of the slices
 * that ran between dispatches (src/slices.ts's shared turn, timed from outside through its
 * `globalThis` state). Each build in its own process gives figures that do not mix: builds loaded
 * together share one slicer (the first build's `turn`).
 *
 *   node --expose-gc bench/dispatch-share.mjs '{"bytes":1e7,"n":30,"rounds":4}' dist
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { actionMaker, makeReducer, makeState } from './state.mjs'

process.env.NODE_ENV = 'production'
const { bytes = 1e7, n: N = 30, rounds = 4 } = JSON.parse(process.argv[2] ?? '{}')
const dist = process.argv[3] ?? 'dist'
const core = await import(pathToFileURL(resolve(dist, 'index.js')).href)
const node = await import(pathToFileURL(resolve(dist, 'node.js')).href)
const { applyMiddleware, compose, legacy_createStore: createStore } = await import('redux')
const base = makeState(bytes)
const dir = mkdtempSync(join(tmpdir(), 'fr-share-'))
const tick = () => new Promise((r) => setImmediate(r))
let sliceMs = 0
let turns = 0
for (let round = 0; round < rounds; round++) {
  const reducer = makeReducer(structuredClone(base))
  let reducerMs = 0
  const timed = (s, a) => {
    const t = performance.now()
    const next = reducer(s, a)
    reducerMs += performance.now() - t
    return next
  }
  const recorder = core.createFlightRecorder({ sinks: [node.fileSink(join(dir, `r${round}.jsonl`), { processLifecycle: false })] })
  const store = createStore(timed, compose(applyMiddleware(recorder.middleware), recorder.enhancer))
  const S = globalThis[Symbol.for('redux-flight-recorder.slices.3')]?.s
  if (!S) throw new Error('The slicer shape changed: update the key above (src/slices.ts SHAPE).')
  if (!S.timed) {
    const turn = S.turn
    S.turn = () => {
      const t = performance.now()
      turn()
      sliceMs += performance.now() - t
      turns++
    }
    S.timed = true
  }
  const mk = actionMaker(base.ids)
  const actions = Array.from({ length: N }, mk)
  await tick()
  reducerMs = sliceMs = turns = 0
  let dispatchMs = 0
  for (const action of actions) {
    const t = performance.now()
    store.dispatch(action)
    dispatchMs += performance.now() - t
    await tick()
  }
  const inSlices = sliceMs
  const slices = turns
  await recorder.close()
  console.log(`round ${round}: recorder on the dispatch path ${((dispatchMs - reducerMs) / N).toFixed(1)} ms per dispatch (reducer ${(reducerMs / N).toFixed(1)} ms); slices between dispatches ${(inSlices / N).toFixed(1)} ms per dispatch (${slices} turns)`)
}
rmSync(dir, { recursive: true, force: true })
