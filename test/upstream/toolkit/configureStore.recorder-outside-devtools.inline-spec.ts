// Redux Toolkit's configureStore spec with the recorder outside @redux-devtools/instrument (the extension's order): one mode per file, since the spec spies on
// `console.error` while its describes are collected (test/upstream/harness.ts, `runModes`).
import { runModes } from '../harness'

runModes((m) => m.recorded && m.devtools === 'innermost')
await import('./configureStore.upstream')
