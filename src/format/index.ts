// The log format's reader and encoder, built as a file of its own (dist/format.js) that the replay
// and browser entries import by a relative path: one copy of `LineParser`, and an app whose
// browser code loads `redux-flight-recorder/replay` lazily does not get all of it up front for
// `loadFromIndexedDb` and `downloadRecording`. Inside the package, import these from
// '../format/index.js' (tsup.config.ts turns that into the shared file).
export { DEFAULT_MAX_LINE_BYTES, LineParser, eachLine, parseRecording, parseText } from './parse'
export type { ParseOptions, ParsedLine } from './parse'
export { encodeRecording } from './encode'
// The bounded line splitter under every streaming reader (replayStream, the Node readers, the CLI):
// one copy, here.
export { LineSplitter, splitLines, tooLongReason } from '../internal/lineSplitter'
export type { LineTarget } from '../internal/lineSplitter'
