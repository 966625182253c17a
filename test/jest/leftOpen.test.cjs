// A recorder left open at the end of a test file, its last dispatch's hash still waiting for a
// turn (a module-level store, as apps keep them): Jest 30's default `globalsCleanup` ("soft")
// wraps the properties of objects put on `globalThis` during the file in accessors whose setter
// recurses forever. The recorder's turn then ran after the teardown and wrote one of them
// (`RangeError: Maximum call stack size exceeded`, the Jest process crashed). Nothing here may
// set `testEnvironmentOptions.globalsCleanup`: the default is what apps get.
const { createFlightRecorder, memorySink } = require('redux-flight-recorder')
const { makeReducer, makeStore } = require('./todoApp.cjs')

const { actions } = makeReducer()

const recorder = createFlightRecorder({ sinks: [memorySink()] })
const store = makeStore(recorder)

test('a recorder left open with a hash pending when the file ends', () => {
  store.dispatch(actions.added({ id: 'a', title: 'left open', done: false }))
  expect(recorder.stats()).toMatchObject({ actions: 1, closed: false })
})
