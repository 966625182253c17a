import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, type Recording } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { recordProcessLifecycle } from 'redux-flight-recorder/node'
import { rootReducer, makeStore, added } from '../helpers/todoApp'
import { CHILD, ROOT, requireDist, startChild, tempDir, type Exit } from './helpers'
import { reducer as childReducer } from '../fixtures/cli/todoStore.mjs'

const N = 25

beforeAll(() => requireDist(), 70_000)

/** Runs the child program until "ready", sends `signal`, and waits for it to end. */
async function signalled(signal: NodeJS.Signals, env: Record<string, string>): Promise<Exit> {
  const child = startChild(CHILD, { N: String(N), ...env })
  await child.waitFor(/ready/)
  child.proc.kill(signal)
  return child.exited
}

function load(path: string): Recording {
  return parseRecording(readFileSync(path, 'utf8'), { strict: true })
}

function expectAllActions(rec: Recording): void {
  const actions = rec.entries.filter(isActionEntry)
  expect(actions).toHaveLength(N)
  expect(actions.map((a) => a.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1))
  expect(replay(rec, { reducer: childReducer }).ok).toBe(true)
}

function lastEntry(rec: Recording) {
  return rec.entries[rec.entries.length - 1]
}

describe('recordProcessLifecycle', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('records %s, flushes the log and ends the process exactly as without the recorder', async (signal) => {
    const dir = tempDir()
    const log = join(dir, 'session.jsonl')
    const [recorded, control] = await Promise.all([signalled(signal, { LOG: log }), signalled(signal, {})])
    // Killed by the signal itself (no exit code), like the same program without the recorder.
    expect(control).toMatchObject({ code: null, signal })
    expect(recorded.code).toBe(control.code)
    expect(recorded.signal).toBe(control.signal)
    const rec = load(log)
    expectAllActions(rec)
    expect(lastEntry(rec)).toMatchObject({ kind: '@@lifecycle', turn: null, body: { event: 'signal', signal } })
  })

  it('records a normal exit with its code and exits with the same code', async () => {
    const dir = tempDir()
    const log = join(dir, 'session.jsonl')
    const [recorded, control] = await Promise.all([
      startChild(CHILD, { MODE: 'exit', EXIT_CODE: '4', N: String(N), LOG: log }).exited,
      startChild(CHILD, { MODE: 'exit', EXIT_CODE: '4', N: String(N) }).exited,
    ])
    expect(control).toMatchObject({ code: 4, signal: null })
    expect(recorded).toMatchObject({ code: 4, signal: null })
    const rec = load(log)
    expectAllActions(rec)
    expect(lastEntry(rec)).toMatchObject({ kind: '@@lifecycle', body: { event: 'exit', code: 4 } })
  })

  it('leaves the signal to an app that handles it: no re-raise, the app closes the recorder', async () => {
    const dir = tempDir()
    const log = join(dir, 'session.jsonl')
    const exit = await signalled('SIGTERM', { LOG: log, OWN_HANDLER: '1' })
    expect(exit).toMatchObject({ code: 3, signal: null })
    const rec = load(log)
    expectAllActions(rec)
    expect(lastEntry(rec)).toMatchObject({ kind: '@@lifecycle', body: { event: 'signal', signal: 'SIGTERM' } })
    expect(rec.end).toMatchObject({ kind: '@@end', count: N })
  })

  it('records an uncaught exception with uncaughtExceptionMonitor; the process still crashes as before', async () => {
    const dir = tempDir()
    const log = join(dir, 'session.jsonl')
    const [recorded, control] = await Promise.all([
      startChild(CHILD, { MODE: 'throw', N: String(N), LOG: log }).exited,
      startChild(CHILD, { MODE: 'throw', N: String(N) }).exited,
    ])
    expect(control.code).toBe(1)
    expect(recorded).toMatchObject({ code: control.code, signal: control.signal })
    expect(recorded.stderr).toContain('boom in the app')
    const rec = load(log)
    expectAllActions(rec)
    const events = rec.entries.filter((e) => e.kind === '@@lifecycle').map((e) => (e as { body: Record<string, unknown> }).body)
    expect(events[0]).toMatchObject({ event: 'uncaughtException', origin: 'uncaughtException', name: 'Error', message: 'boom in the app' })
    expect(String(events[0].stack)).toContain('recordChild.mjs')
    expect(events[1]).toEqual({ event: 'exit', code: 1 })
  })

  it('never listens to unhandledRejection: an unhandled rejection still crashes the process, and is recorded', async () => {
    const dir = tempDir()
    const log = join(dir, 'session.jsonl')
    const [recorded, control] = await Promise.all([
      startChild(CHILD, { MODE: 'reject', N: String(N), LOG: log }).exited,
      startChild(CHILD, { MODE: 'reject', N: String(N) }).exited,
    ])
    expect(control.code).toBe(1)
    expect(recorded).toMatchObject({ code: control.code, signal: control.signal })
    const rec = load(log)
    expectAllActions(rec)
    expect(rec.entries.find((e) => e.kind === '@@lifecycle')).toMatchObject({
      body: { event: 'uncaughtException', origin: 'unhandledRejection', message: 'nobody handles this' },
    })
  })

  it('re-raises the signal once for two recorders in one process, and both logs get it', async () => {
    const dir = tempDir()
    const a = join(dir, 'a.jsonl')
    const b = join(dir, 'b.jsonl')
    const exit = await signalled('SIGTERM', { LOG: a, SECOND: b })
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' })
    for (const path of [a, b]) {
      const rec = load(path)
      expectAllActions(rec)
      expect(lastEntry(rec)).toMatchObject({ kind: '@@lifecycle', body: { event: 'signal', signal: 'SIGTERM' } })
    }
  })

  it('re-raises the signal once with two copies of the package whose shared state differs (two versions in one process), and both logs get it', async () => {
    // A second copy of the built package, its process-lifecycle key changed as another version's
    // would be: the copies cannot share their listeners' state.
    const dir = tempDir()
    const copy = join(dir, 'node_modules', 'redux-flight-recorder')
    cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true })
    cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'))
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'))
    let patched = 0
    for (const file of ['node.js']) {
      const path = join(copy, 'dist', file)
      const text = readFileSync(path, 'utf8')
      const next = text.replace(/redux-flight-recorder\.processLifecycle[^'"`]*/g, () => (patched++, 'redux-flight-recorder.processLifecycle.other-version'))
      writeFileSync(path, next)
    }
    expect(patched).toBeGreaterThan(0)
    const a = join(dir, 'a.jsonl')
    const b = join(dir, 'b.jsonl')
    const child = startChild(join(ROOT, 'test/fixtures/cli/twoCopiesChild.mjs'), { N: String(N), COPY: copy, LOG_A: a, LOG_B: b })
    await child.waitFor(/ready/)
    child.proc.kill('SIGTERM')
    // Neither copy re-raising would leave the process running: end it another way and fail.
    const guard = setTimeout(() => child.proc.kill('SIGKILL'), 30_000)
    const exit = await child.exited
    clearTimeout(guard)
    expect(exit.stderr).toBe('')
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' })
    for (const path of [a, b]) {
      const rec = load(path)
      expectAllActions(rec)
      expect(rec.entries.filter((e) => e.kind === '@@lifecycle')).toEqual([
        expect.objectContaining({ body: { event: 'signal', signal: 'SIGTERM' } }),
      ])
    }
  }, 60_000)

  it('adds no unhandledRejection listener, and close() removes every listener it added', async () => {
    const events = ['exit', 'SIGINT', 'SIGTERM', 'uncaughtExceptionMonitor', 'unhandledRejection', 'uncaughtException'] as const
    const count = () => Object.fromEntries(events.map((e) => [e, process.listenerCount(e)]))
    const before = count()
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    const dispose = recordProcessLifecycle(recorder)
    expect(recordProcessLifecycle(recorder)).toBe(dispose)
    const during = count()
    expect(during).toEqual({
      ...before,
      exit: before.exit + 1,
      SIGINT: before.SIGINT + 1,
      SIGTERM: before.SIGTERM + 1,
      uncaughtExceptionMonitor: before.uncaughtExceptionMonitor + 1,
    })
    store.dispatch(added({ id: 'a', title: 'A', done: false }))
    await recorder.close()
    expect(count()).toEqual(before)
    expect(replay(recorder.snapshot(), { reducer: rootReducer }).ok).toBe(true)
  })

  it('returns a dispose function that removes the listeners before close', () => {
    const before = process.listenerCount('SIGTERM')
    const recorder = createFlightRecorder()
    makeStore(recorder)
    const dispose = recordProcessLifecycle(recorder, { signals: ['SIGTERM', 'SIGHUP'] })
    expect(process.listenerCount('SIGTERM')).toBe(before + 1)
    expect(process.listenerCount('SIGHUP')).toBeGreaterThan(0)
    dispose()
    expect(process.listenerCount('SIGTERM')).toBe(before)
    expect(process.listenerCount('SIGHUP')).toBe(0)
    void recorder.close()
  })

  it('rejects what is not a recorder, with a sentence', () => {
    expect(() => recordProcessLifecycle({} as never)).toThrow(/Expected `recordProcessLifecycle` to receive a recorder/)
    const recorder = createFlightRecorder()
    expect(() => recordProcessLifecycle(recorder, { signals: ['TERM' as NodeJS.Signals] })).toThrow(/signal names/)
  })
})
