// Jest 30's default `globalsCleanup` ("soft") replaces the properties of objects a test file left on
// `globalThis` with accessors when the file ends, and a later write through such a setter recursed
// without end (RangeError; the Jest run crashed: see test/jest/leftOpen.test.cjs for the slice
// scheduler). The process listeners' shared state is one such object: here Jest's treatment is
// applied to it by hand (every own configurable property of what the package put on `globalThis`
// becomes an accessor whose setter calls itself), then recorders start and stop recording the
// process, which writes that state.
import { describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { recordProcessLifecycle } from 'redux-flight-recorder/node'
import { makeStore, added } from '../helpers/todoApp'

function softDelete(holder: Record<PropertyKey, unknown>): number {
  let wrapped = 0
  for (const key of Reflect.ownKeys(holder)) {
    const d = Object.getOwnPropertyDescriptor(holder, key)
    if (!d?.configurable) continue
    let value = d.value
    const accessor: PropertyDescriptor = {
      configurable: true,
      get: () => value,
      set(v: unknown) {
        // jest-util's soft-deleted setter (Jest 30): it assigns through itself.
        ;(holder as Record<PropertyKey, unknown>)[key] = v
        value = v
      },
    }
    Object.defineProperty(holder, key, accessor)
    wrapped++
  }
  return wrapped
}

describe('recordProcessLifecycle after a Jest test file ended', () => {
  it('keeps nothing on globalThis that a late write could trip over', async () => {
    const first = createFlightRecorder()
    makeStore(first).dispatch(added({ id: 'a', title: 'a', done: false }))
    recordProcessLifecycle(first)
    const keys = Object.getOwnPropertySymbols(globalThis).filter((k) => String(k.description).startsWith('redux-flight-recorder.processLifecycle.'))
    expect(keys.length).toBeGreaterThan(0)
    const holders = keys.map((k) => (globalThis as Record<symbol, Record<PropertyKey, unknown>>)[k])
    for (const h of holders) softDelete(h)
    // What a late close(), a new recorder and its close() do to the shared state.
    await first.close()
    const second = createFlightRecorder()
    makeStore(second).dispatch(added({ id: 'b', title: 'b', done: false }))
    const dispose = recordProcessLifecycle(second)
    expect(process.listeners('exit').length).toBeGreaterThan(0)
    dispose()
    await second.close()
    expect(second.stats().closed).toBe(true)
  })
})
