// The one place the peer sessions import the package from: recording from the root entry, replay
// and its adapters from `redux-flight-recorder/replay` (DESIGN.md's entries by use).
export { createFlightRecorder } from 'redux-flight-recorder'
export { replay, reduxPersist } from 'redux-flight-recorder/replay'
export { devToolsInstrument } from 'redux-flight-recorder/devtools'
// The same recorder with its core loaded after creation (what is dispatched before it arrives is queued).
export { createFlightRecorder as createLazyFlightRecorder } from 'redux-flight-recorder/lazy'
