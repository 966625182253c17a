import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type FlightRecorderOptions, type Recording } from 'redux-flight-recorder'
import { encodeRecording } from 'redux-flight-recorder/replay'
import { recordSession } from 'redux-flight-recorder/testing'
import { added, makeReducer, makeStore, toggled } from '../helpers/todoApp'

/** The todo reducer with the `toggled` branch changed after recording. */
export const buggy = makeReducer({ buggyToggle: true })

/** A real two-action todo session (added, toggled), closed so it ends with @@end. */
export function session(options: FlightRecorderOptions = {}): Promise<Recording> {
  return recordSession(
    makeStore,
    (store) => {
      store.dispatch(added({ id: 'a', title: 'milk', done: false }))
      store.dispatch(toggled('a'))
    },
    options,
  )
}

/** A temp dir holding one.jsonl, two.jsonl, three.jsonl (the same good session) and notes.txt. */
export async function logDir(): Promise<{ dir: string; good: Recording; goodText: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'fr-testing-'))
  const good = await session()
  const goodText = encodeRecording(good)
  for (const name of ['one.jsonl', 'two.jsonl', 'three.jsonl']) writeFileSync(join(dir, name), goodText)
  writeFileSync(join(dir, 'notes.txt'), 'not a log')
  return { dir, good, goodText, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The divergence report as the testing helpers give it for a recording held in memory (which -u cannot update). */
export const inMemoryReport = (report: string): string =>
  report.replace(
    /  if the reducer changed on purpose, update the log: .* or run the tests with -u/,
    '  if the reducer changed on purpose, record the session again, or update the log this recording was read from: flight-recorder rehash <log> --store <module> --in-place (expectReplayFile and replaySuite update their log files with -u)',
  )
