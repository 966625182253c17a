import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { parseRecording } from 'redux-flight-recorder/replay'
import { added, makeStore } from '../helpers/todoApp'
import { tempDir } from './helpers'

// Two recorders whose fileSinks write one path (the README's snippet copied for a second store)
// overwrite each other's log: the acceptance run (session 32) found one session left in the file,
// with warnings about a rename and a truncated file that did not say why. Now the second one says so.

const message = (path: string) => `Another fileSink in this process writes ${path} for another recorder: the two logs overwrite each other.`

describe('fileSink: two recorders on one path', () => {
  it('says so at once, naming the path and what to do', async () => {
    const path = join(tempDir('fr-same-path-'), 'same.jsonl')
    const errors: string[][] = [[], []]
    const recorders = errors.map((e) => createFlightRecorder({ sinks: [fileSink(path, { processLifecycle: false })], onError: (err) => void e.push(err.message) }))
    const stores = recorders.map((r) => makeStore(r))
    stores[0].dispatch(added({ id: 'a', title: 'a', done: false }))
    stores[1].dispatch(added({ id: 'b', title: 'b', done: false }))
    expect(errors[0]).toEqual([])
    expect(errors[1]).toHaveLength(1)
    expect(errors[1][0]).toContain(message(path))
    expect(errors[1][0]).toContain("fileSink('logs/{session}.jsonl')")
    await Promise.all(recorders.map((r) => r.close()))
  })

  it('says nothing when the first recorder was closed before the next one starts on the path', async () => {
    const path = join(tempDir('fr-same-path-seq-'), 'same.jsonl')
    const errors: string[] = []
    for (const id of ['a', 'b']) {
      const recorder = createFlightRecorder({ sinks: [fileSink(path, { processLifecycle: false })], onError: (err) => void errors.push(err.message) })
      makeStore(recorder).dispatch(added({ id, title: id, done: false }))
      await recorder.close()
    }
    expect(errors).toEqual([])
    // The file holds the second session, whole.
    const log = parseRecording(readFileSync(path, 'utf8'), { strict: true })
    expect(log.entries.map((e) => e.kind)).toEqual(['todos/added'])
    expect(log.end).toBeDefined()
  })
})
