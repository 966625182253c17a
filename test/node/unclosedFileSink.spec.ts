import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { replay } from 'redux-flight-recorder/replay'
import { added, makeStore } from '../helpers/todoApp'
import { FIXTURES, makeUnwritable, requireDist, runNode, tempDir } from './helpers'
import { reducer } from '../fixtures/cli/todoStore.mjs'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const kinds = (file: string) =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l).kind as string)

// A server that builds a store and a recorder with a fileSink per request and forgets close():
// fileSink's shared exit writer must not keep each request's recorder (and its states) alive
// until the process exits, nor lose the lines a recorder had not written yet when it does.
describe('fileSink without close()', () => {
  it('lets its recorder go with its store once every line is in the file, and leaves no exit listener behind', async () => {
    const dir = tempDir()
    const exitListeners = process.listenerCount('exit')
    let collected = 0
    const registry = new FinalizationRegistry(() => collected++)
    const N = 12
    const request = (i: number) => {
      const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, `r${i}.jsonl`), { processLifecycle: false })], flushIntervalMs: 5 })
      const store = makeStore(recorder)
      store.dispatch(added({ id: `a${i}`, title: 'first', done: false }))
      store.dispatch(added({ id: `b${i}`, title: 'second', done: false }))
      registry.register(recorder, i)
    }
    for (let i = 0; i < N; i++) request(i)
    expect(process.listenerCount('exit')).toBe(exitListeners + 1)
    for (let round = 0; round < 300 && (collected < N || process.listenerCount('exit') > exitListeners); round++) {
      await new Promise((r) => setTimeout(r, 10))
      gc()
    }
    expect(collected).toBe(N)
    // The last sink collected took the shared listener with it.
    expect(process.listenerCount('exit')).toBe(exitListeners)
    for (let i = 0; i < N; i++) expect(kinds(join(dir, `r${i}.jsonl`))).toEqual(['@@session', 'todos/added', 'todos/added'])
  })

  it('keeps a recorder whose writes fail, retrying, until its lines are written; then lets it go', async () => {
    // Decided (item 2 of the sinks session): a sink nobody closes does not stop retrying while it
    // has lines to write, even though nobody else holds its recorder: letting the recorder go
    // would lose them. The queue stays bounded by `sinkQueueBytes`, and a disk that recovers gets them.
    const dir = tempDir()
    const logDir = join(dir, 'logs')
    mkdirSync(logDir)
    writeFileSync(join(logDir, 'old.jsonl'), '')
    const file = join(logDir, 'r.jsonl')
    const unwritable = makeUnwritable(logDir)
    let restored = false
    try {
      let collected = false
      const registry = new FinalizationRegistry(() => (collected = true))
      const faults: string[] = []
      const request = () => {
        const recorder = createFlightRecorder({
          sinks: [fileSink(file, { processLifecycle: false, retry: { minDelayMs: 5, maxDelayMs: 10 } })],
          flushIntervalMs: 5,
          onError: (e) => faults.push(e.message),
        })
        const store = makeStore(recorder)
        store.dispatch(added({ id: 'a', title: 'first', done: false }))
        store.dispatch(added({ id: 'b', title: 'second', done: false }))
        registry.register(recorder, 0)
      }
      request()
      for (let round = 0; round < 300 && faults.length < 5; round++) {
        await new Promise((r) => setTimeout(r, 10))
        gc()
      }
      expect(faults.length, unwritable.how).toBeGreaterThanOrEqual(5)
      expect(faults[0]).toContain('Could not write')
      expect(collected).toBe(false)
      unwritable.restore()
      restored = true
      for (let round = 0; round < 300 && !collected; round++) {
        await new Promise((r) => setTimeout(r, 10))
        gc()
      }
      expect(collected).toBe(true)
      expect(kinds(file).filter((k) => k !== '@@error')).toEqual(['@@session', 'todos/added', 'todos/added'])
    } finally {
      if (!restored) unwritable.restore()
    }
  })

  describe('in a process that ends without close()', () => {
    beforeAll(requireDist)

    it('keeps a recorder with unwritten lines until the exit and writes them then; one with none left goes', () => {
      const dir = tempDir()
      const exit = runNode(join(FIXTURES, 'unclosedExitChild.mjs'), [], { env: { LOG_DIR: dir } })
      expect(exit.stderr).toBe('')
      expect(exit.code).toBe(0)
      // Collected before the exit: only the recorder whose lines were all written.
      expect(JSON.parse(exit.stdout)).toEqual(['written'])
      const expected = { pending: 3, partial: 4, written: 2 }
      for (const [name, actions] of Object.entries(expected)) {
        const file = join(dir, `${name}.jsonl`)
        expect(kinds(file), name).toEqual(['@@session', ...Array(actions).fill(expect.stringMatching(/^todos\//))])
        const result = replay(readFileSync(file, 'utf8'), { reducer })
        expect([result.ok, result.verified, result.steps], name).toEqual([true, true, actions])
      }
    })

    it('says so through onError when the write at exit fails', () => {
      const exit = runNode(join(FIXTURES, 'exitWriteFailsChild.mjs'), [])
      expect(exit.code).toBe(0)
      // The header and the three actions.
      expect(exit.stdout).toContain('onError: [redux-flight-recorder] sink failed: A sink dropped 4 lines (write-failed-at-exit).')
    })
  })
})
