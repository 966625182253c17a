import { AsyncLocalStorage } from 'node:async_hooks'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { asyncTurns, fileSink, loadRecording, recordProcessLifecycle } from 'redux-flight-recorder/node'
import { added, makeStore } from '../helpers/todoApp'
import { tempDir } from './helpers'

// A server that records each request: a recorder, a store and sinks per request, many at once.

afterEach(() => vi.restoreAllMocks())

describe('asyncTurns', () => {
  it('shares one AsyncLocalStorage between recorders, so requests served leave none behind', async () => {
    const storages = new Set<unknown>()
    const run = AsyncLocalStorage.prototype.run
    vi.spyOn(AsyncLocalStorage.prototype, 'run').mockImplementation(function (this: AsyncLocalStorage<unknown>, ...args) {
      storages.add(this)
      return run.apply(this, args as never)
    })
    const request = async (i: number) => {
      const sink = memorySink()
      const recorder = createFlightRecorder({ sinks: [sink], turns: asyncTurns() })
      const store = makeStore(recorder)
      await store.dispatch(async (dispatch: typeof store.dispatch) => {
        dispatch(added({ id: `a${i}`, title: 'first', done: false }))
        await new Promise((r) => setTimeout(r, i % 3))
        dispatch(added({ id: `b${i}`, title: 'second', done: false }))
      })
      store.dispatch(added({ id: `c${i}`, title: 'third', done: false }))
      await recorder.close()
      return recorder.snapshot().entries.filter((e) => 'action' in e).map((e) => e.turn)
    }
    const turns = await Promise.all(Array.from({ length: 20 }, (_, i) => request(i)))
    expect(storages.size).toBe(1)
    // The turn still follows each request's thunk across `await`, and only its own store's.
    for (const [a, b, c] of turns) {
      expect(b).toBe(a)
      expect(c).not.toBe(a)
    }
  })

  it('keeps each recorder’s turn when one recorder’s dispatch runs inside another’s turn', async () => {
    const one = createFlightRecorder({ turns: asyncTurns() })
    const two = createFlightRecorder({ turns: asyncTurns() })
    const a = makeStore(one)
    const b = makeStore(two)
    await a.dispatch(async (dispatchA: typeof a.dispatch) => {
      await b.dispatch(async (dispatchB: typeof b.dispatch) => {
        await null
        dispatchA(added({ id: 'a1', title: 'a after await', done: false }))
        dispatchB(added({ id: 'b1', title: 'b after await', done: false }))
      })
      dispatchA(added({ id: 'a2', title: 'a again', done: false }))
    })
    const turnsOf = (r: typeof one) => r.snapshot().entries.filter((e) => 'action' in e).map((e) => e.turn)
    const [x, y] = turnsOf(one)
    expect(x).toBe(y)
    expect(turnsOf(two)).toHaveLength(1)
    await Promise.all([one.close(), two.close()])
  })
})

describe('fileSink', () => {
  it('adds one process exit listener for any number of sinks without processLifecycle', async () => {
    const dir = tempDir()
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(w.name)
    process.on('warning', onWarning)
    const before = process.listenerCount('exit')
    try {
      const recorders = Array.from({ length: 15 }, (_, i) => {
        const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, `r${i}.jsonl`), { processLifecycle: false })] })
        makeStore(recorder).dispatch(added({ id: `t${i}`, title: 'todo', done: false }))
        return recorder
      })
      expect(process.listenerCount('exit') - before).toBe(1)
      await Promise.all(recorders.map((r) => r.close()))
      expect(process.listenerCount('exit')).toBe(before)
      await new Promise((r) => setImmediate(r))
      expect(warnings).not.toContain('MaxListenersExceededWarning')
      for (let i = 0; i < 15; i++) {
        const log = await loadRecording(join(dir, `r${i}.jsonl`))
        expect(log.end?.count).toBe(1)
      }
    } finally {
      process.off('warning', onWarning)
    }
  })
})

describe('recorders left open with process listeners', () => {
  const ours = (warn: { mock: { calls: unknown[][] } }) => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.startsWith('[redux-flight-recorder]'))

  it('are named once in development when 1,000 are open at once (a server that does not close its per-request recorders)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const open: ReturnType<typeof createFlightRecorder>[] = []
    try {
      // 999 open, then closed: not a leak, no warning.
      for (let i = 0; i < 999; i++) {
        const recorder = createFlightRecorder({ sinks: [memorySink()] })
        recordProcessLifecycle(recorder)
        open.push(recorder)
      }
      expect(ours(warn)).toEqual([])
      await Promise.all(open.splice(0).map((r) => r.close()))
      // 1,000 open at once: one warning, however many more are opened.
      for (let i = 0; i < 1_020; i++) {
        const recorder = createFlightRecorder({ sinks: [memorySink()] })
        recordProcessLifecycle(recorder)
        open.push(recorder)
        if (i === 998) expect(ours(warn)).toEqual([])
      }
      expect(ours(warn)).toEqual([
        "[redux-flight-recorder] 1000 recorders with process listeners (recordProcessLifecycle, fileSink's default) are open at once. Each stays in memory, with its store, until its close(): a server that makes a recorder per request should close it when the request ends, or pass fileSink(…, { processLifecycle: false }); if that many are really in use at once, ignore this. (Warned once, in development only.)",
      ])
      expect(process.listenerCount('SIGTERM')).toBeLessThanOrEqual(2) // still one set of listeners
    } finally {
      await Promise.all(open.map((r) => r.close()))
    }
  })
})
