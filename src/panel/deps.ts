// Every import the panel UI makes from the package, in one place: replay and the format come from
// the package by name (external in the build, so there is one copy of each class at run time).
export { diffStates, encodeRecording, formatDivergence, replayStream } from 'redux-flight-recorder/replay'
export type { ReplayResult, ReplayStep, StateDifference } from 'redux-flight-recorder/replay'
// stateHash through the root entry: an app that records with it shares one chunk of the recorder
// with the panel's UI (split by file, fr64 alone in a chunk of its own cost the first load ~0.6 KB
// of compression); in a 'redux-flight-recorder/lazy' app only the UI reaches the root entry.
export { stateHash } from 'redux-flight-recorder'
export type { FlightRecorder, Recording } from 'redux-flight-recorder'
// (From its own file of dist/, not through the browser entry, which the page may hold already.)
export { deleteFromIndexedDb, loadFromIndexedDb } from '../browser/stored'
export type { StoredSession } from 'redux-flight-recorder/browser'
