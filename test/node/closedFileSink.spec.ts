import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink, type FileSink } from 'redux-flight-recorder/node'
import { added, makeStore } from '../helpers/todoApp'
import { tempDir } from './helpers'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

// A server that closes each request's recorder but keeps its fileSink (to report `sink.path` or
// `sink.files` later, say): the closed sink must not keep the recorder, and its store's state, alive.
describe('a closed fileSink', () => {
  it('lets go of its recorder', async () => {
    const dir = tempDir()
    let collected = 0
    const registry = new FinalizationRegistry(() => collected++)
    const kept: FileSink[] = []
    const N = 8
    const request = async (i: number) => {
      const sink = fileSink(join(dir, `r${i}.jsonl`), { processLifecycle: false })
      const recorder = createFlightRecorder({ sinks: [sink] })
      const store = makeStore(recorder)
      store.dispatch(added({ id: `a${i}`, title: 'first', done: false }))
      await recorder.close()
      registry.register(recorder, i)
      return sink
    }
    for (let i = 0; i < N; i++) kept.push(await request(i))
    for (let round = 0; round < 300 && collected < N; round++) {
      await new Promise((r) => setTimeout(r, 10))
      gc()
    }
    expect(collected).toBe(N)
    expect(kept.map((s) => s.path)).toEqual(Array.from({ length: N }, (_, i) => join(dir, `r${i}.jsonl`)))
  })

  it('still refuses a second recorder', async () => {
    const sink = fileSink(join(tempDir(), 'one.jsonl'), { processLifecycle: false })
    const first = createFlightRecorder({ sinks: [sink] })
    makeStore(first).dispatch(added({ id: 'a', title: 'first', done: false }))
    await first.close()
    const faults: string[] = []
    const second = createFlightRecorder({ sinks: [sink], onError: (e) => faults.push(e.message) })
    makeStore(second)
    expect(faults.join('\n')).toMatch(/already writes another recorder's log/)
    await second.close()
  })
})
