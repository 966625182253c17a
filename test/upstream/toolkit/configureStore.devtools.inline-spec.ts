// Redux Toolkit's configureStore spec with @redux-devtools/instrument, without the recorder: one mode per file, since the spec spies on
// `console.error` while its describes are collected (test/upstream/harness.ts, `runModes`).
import { runModes } from '../harness'

runModes((m) => !m.recorded && m.devtools !== 'none')
await import('./configureStore.upstream')
