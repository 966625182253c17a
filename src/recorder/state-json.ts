// The incremental full-state writer (src/stateJson.ts), as a chunk of its own: the recorder loads
// it with `import('./state-json.js')` when it starts, so an app's bundler can keep it out of the
// bundle that loads with the page. Until it arrives, full states are written by `stateText`,
// which gives the same bytes in one synchronous call (see lines.ts).
export { StateJson } from '../stateJson'
