// `redux-flight-recorder/devtools`: Redux DevTools import/export files, and the opt-in support for
// stores built with Redux DevTools' instrument.
export { toDevToolsExport, fromDevToolsExport } from './devToolsExport'
export { devToolsInstrument } from './instrument'

export type { DevToolsExport, FromDevToolsOptions } from './devToolsExport'
