// Redux Toolkit's configureStore spec with @redux-devtools/instrument outside the recorder: one mode per file, since the spec spies on
// `console.error` while its describes are collected (test/upstream/harness.ts, `runModes`).
import { runModes } from '../harness'

runModes((m) => m.recorded && m.devtools === 'outside')
await import('./configureStore.upstream')
