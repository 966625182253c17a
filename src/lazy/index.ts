// redux-flight-recorder/lazy: the recorder with its core loaded after the page (see
// src/recorder/lazy.ts). Same options and calls as the root entry's `createFlightRecorder`.
export { createFlightRecorder, preloadFlightRecorder } from '../recorder/lazy'
export type { LazyFlightRecorder, LazyFlightRecorderOptions } from '../recorder/lazy'
