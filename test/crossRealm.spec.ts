/**
 * Plain objects from another realm are plain. Under Jest (and Vitest's vm pools) the test file
 * runs in its own realm while what Node itself makes — `fetch().json()`, `structuredClone`,
 * `JSON.parse` in a library loaded outside the sandbox — comes from Node's: before the fix every
 * such object was reported as a lossy "Object instance", `expectReplay` failed a correct session
 * and the log carried false `lossy` keys. Made here with `node:vm`, as those runners do.
 */
import { runInNewContext } from 'node:vm'
import { createStore } from 'redux'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink, stateHash } from 'redux-flight-recorder'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { findLossy } from '../src/lossy'

const foreign = (json: string): Record<string, unknown> => runInNewContext(`JSON.parse(${JSON.stringify(json)})`) as Record<string, unknown>

describe('objects from another realm', () => {
  it('are plain to the lossy scan; a class instance or Map from there is still lossy', () => {
    const items = foreign('{"items":[{"id":1,"tags":["a"]},{"id":2,"nested":{"x":null}}]}')
    expect(Object.getPrototypeOf(items)).not.toBe(Object.prototype)
    expect(findLossy({ payload: items })).toBeNull()
    expect(findLossy({ m: runInNewContext('new Map()'), c: runInNewContext('new (class Point { constructor() { this.x = 1 } })()') })).toEqual([
      { path: 'm', kind: 'class-instance', detail: 'Map' },
      { path: 'c', kind: 'class-instance', detail: 'Point' },
    ])
  })

  it('a session whose actions and state hold them is recorded without lossy keys and replays verified, with the same hashes as local copies', async () => {
    const mem = memorySink()
    const warn = console.warn
    const warned: unknown[] = []
    console.warn = (...args: unknown[]) => void warned.push(args)
    try {
      const recorder = createFlightRecorder({ sinks: [mem] })
      const reducer = (s: { items: unknown[] } = { items: [] }, a: { type: string; payload?: { items: unknown[] } }) => (a.type === 'loaded' ? { items: a.payload!.items } : s)
      const store = createStore(reducer, recorder.enhancer)
      for (let i = 0; i < 3; i++) store.dispatch({ type: 'loaded', payload: foreign(`{"items":[{"id":${i},"big":{"a":[1,2,{"b":"c"}]}}]}`) as { items: unknown[] } })
      expect(stateHash(store.getState())).toBe(stateHash(JSON.parse(JSON.stringify(store.getState()))))
      await recorder.close()
      expect(mem.text()).not.toContain('"lossy"')
      const result = replay(parseRecording(mem.text()), { reducer })
      expect(result).toMatchObject({ ok: true, verified: true })
      expect(result.warnings).toEqual([])
    } finally {
      console.warn = warn
    }
    expect(warned).toEqual([])
  })
})
