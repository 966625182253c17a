// The readers of stored sessions, a file of their own in dist/ (dist/browser-stored.js): the panel's
// UI, loaded on first open, reads them; an app whose page holds only the sinks then does not get
// the log reader (dist/format.js) with them.
export { loadFromIndexedDb } from './loadFromIndexedDb'
export { deleteFromIndexedDb } from './deleteFromIndexedDb'
