import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink, type MemorySink } from 'redux-flight-recorder'
import { added, makeStore } from '../helpers/todoApp'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

describe('createFlightRecorder', () => {
  it('lets a recorder nobody closed go with its store, once its sinks have every line', async () => {
    // A store and a recorder per request, never closed: the flush timer must not keep them.
    let collected = 0
    const registry = new FinalizationRegistry(() => collected++)
    const sinks: MemorySink[] = []
    const N = 20
    const request = (i: number) => {
      const sink = memorySink()
      sinks.push(sink)
      const recorder = createFlightRecorder({ sinks: [sink], flushIntervalMs: 5 })
      const store = makeStore(recorder)
      store.dispatch(added({ id: `a${i}`, title: 'first', done: false }))
      store.dispatch(added({ id: `b${i}`, title: 'second', done: false }))
      registry.register(recorder, i)
    }
    for (let i = 0; i < N; i++) request(i)
    for (let round = 0; round < 200 && collected < N; round++) {
      await new Promise((r) => setTimeout(r, 10))
      gc()
    }
    expect(collected).toBe(N)
    // Nothing the sinks were owed was lost on the way: the header and both actions, in each.
    for (const sink of sinks) {
      expect(sink.lines.map((l) => JSON.parse(l).kind)).toEqual(['@@session', 'todos/added', 'todos/added'])
    }
  })
})
