// Every import the panel UI makes from the package, in one place: replay and the format come from
// the package by name (external in the build, so there is one copy of each class at run time).
export { diffStates, encodeRecording, formatDivergence, replayStream } from 'redux-flight-recorder/replay'
export type { ReplayResult, ReplayStep, StateDifference } from 'redux-flight-recorder/replay'
export { stateHash } from 'redux-flight-recorder'
export type { FlightRecorder, Recording } from 'redux-flight-recorder'
export { deleteFromIndexedDb, loadFromIndexedDb } from 'redux-flight-recorder/browser'
export type { StoredSession } from 'redux-flight-recorder/browser'
