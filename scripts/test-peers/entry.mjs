// The one place the peer sessions import the package from. When `replay` and the adapters move to
// their own entry (`redux-flight-recorder/replay`, DESIGN.md), change the second import only.
export { createFlightRecorder } from 'redux-flight-recorder'
export { replay, reduxPersist } from 'redux-flight-recorder'
