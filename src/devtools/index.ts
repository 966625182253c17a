// `redux-flight-recorder/devtools`: Redux DevTools import/export files.
export { toDevToolsExport, fromDevToolsExport } from './devToolsExport'

export type { DevToolsExport } from './devToolsExport'
