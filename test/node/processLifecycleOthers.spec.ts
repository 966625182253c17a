// The process ends exactly as it would without the recorder when others listen for the signal too
// (acceptance, session 35): signal-exit (loaded by execa, write-file-atomic, ora, ink…), which
// re-raises a signal only when every listener is its own, as the recorder did (so neither did,
// and Ctrl-C no longer ended the process); an app's `process.once` listener added before the
// recorder, which Node removes as it calls it (the recorder, reading the listeners after it, saw
// none of the app's and ended the process in the middle of its graceful shutdown); and a top-level
// await that never settles (Node exits with 13 but gives 'exit' listeners 0).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isActionEntry, parseRecording } from 'redux-flight-recorder/replay'
import { CHILD, requireDist, startChild, tempDir, type Exit } from './helpers'

const N = 10

beforeAll(() => requireDist(), 70_000)

/** Sends `signal` once the child is ready; a child still running 10 s later is killed (SIGKILL: the test then fails on its exit). */
async function signalled(signal: NodeJS.Signals, env: Record<string, string>): Promise<Exit> {
  const child = startChild(CHILD, { N: String(N), ...env })
  await child.waitFor(/ready/)
  child.proc.kill(signal)
  const stuck = setTimeout(() => child.proc.kill('SIGKILL'), 10_000)
  try {
    return await child.exited
  } finally {
    clearTimeout(stuck)
  }
}

function entries(path: string) {
  return parseRecording(readFileSync(path, 'utf8')).entries
}

/** The bodies of the log's `@@lifecycle` entries, in order. */
function lifecycleBodies(path: string): unknown[] {
  return entries(path)
    .filter((e) => e.kind === '@@lifecycle')
    .map((e) => (e as { body?: unknown }).body)
}

describe('recordProcessLifecycle beside other listeners', () => {
  it.each([
    ['3', 'SIGINT'],
    ['3', 'SIGTERM'],
    ['4', 'SIGINT'],
    ['4', 'SIGTERM'],
  ] as const)('with signal-exit v%s loaded, %s still ends the process by the signal, signal-exit\'s callback runs, and the log has it', async (version, signal) => {
    const log = join(tempDir(), 'session.jsonl')
    const [recorded, control] = await Promise.all([signalled(signal, { SIGNAL_EXIT: version, LOG: log }), signalled(signal, { SIGNAL_EXIT: version })])
    expect(control).toMatchObject({ code: null, signal })
    expect(control.stderr).toContain(`signal-exit saw ${signal}`)
    expect(recorded).toMatchObject({ code: null, signal })
    expect(recorded.stderr).toContain(`signal-exit saw ${signal}`)
    const got = entries(log)
    expect(got.filter(isActionEntry)).toHaveLength(N)
    expect(lifecycleBodies(log)).toEqual([{ event: 'signal', signal }])
  })

  it.each(['SIGUSR2', 'SIGQUIT'] as const)('with signal-exit v4 loaded and %s added to the signals (signal-exit listens to it too), it still ends the process by the signal', async (signal) => {
    const log = join(tempDir(), 'session.jsonl')
    const env = { SIGNAL_EXIT: '4', SIGNALS: `SIGINT,SIGTERM,${signal}` }
    const [recorded, control] = await Promise.all([signalled(signal, { ...env, LOG: log }), signalled(signal, env)])
    expect(control).toMatchObject({ code: null, signal })
    expect(recorded).toMatchObject({ code: null, signal })
    expect(recorded.stderr).toContain(`signal-exit saw ${signal}`)
    const bodies = lifecycleBodies(log)
    expect(bodies).toEqual([{ event: 'signal', signal }])
  })

  it("does not take an app's listener for signal-exit's when the app removed signal-exit's: the app's handler runs once and decides", async () => {
    const log = join(tempDir(), 'session.jsonl')
    const env = { SIGNAL_EXIT: '4', REMOVE_ALL: '1' }
    const [recorded, control] = await Promise.all([signalled('SIGTERM', { ...env, LOG: log }), signalled('SIGTERM', env)])
    expect(control).toMatchObject({ code: 4, signal: null })
    expect(recorded).toMatchObject({ code: 4, signal: null })
    expect(recorded.stderr.match(/app handler/g)).toHaveLength(1)
    const bodies = lifecycleBodies(log)
    expect(bodies).toEqual([{ event: 'signal', signal: 'SIGTERM' }, { event: 'exit', code: 4 }])
  })

  it("lets an app's process.once handler, added before the recorder, finish its shutdown", async () => {
    const log = join(tempDir(), 'session.jsonl')
    const [recorded, control] = await Promise.all([signalled('SIGTERM', { ONCE_HANDLER: '1', LOG: log }), signalled('SIGTERM', { ONCE_HANDLER: '1' })])
    expect(control).toMatchObject({ code: 0, signal: null })
    expect(control.stderr).toContain('graceful done')
    expect(recorded).toMatchObject({ code: 0, signal: null })
    expect(recorded.stderr).toContain('graceful done')
    const bodies = lifecycleBodies(log)
    expect(bodies).toEqual([{ event: 'signal', signal: 'SIGTERM' }, { event: 'exit', code: 0 }])
  })

  it("records the signal when an app's listener, added before the recorder, exits at once", async () => {
    const log = join(tempDir(), 'session.jsonl')
    const exit = await signalled('SIGTERM', { EXIT_HANDLER: '1', LOG: log })
    expect(exit).toMatchObject({ code: 5, signal: null })
    const bodies = lifecycleBodies(log)
    expect(bodies).toEqual([{ event: 'signal', signal: 'SIGTERM' }, { event: 'exit', code: 5 }])
  })

  it('records the exit code Node ends with after a top-level await that never settles (13)', async () => {
    const log = join(tempDir(), 'session.jsonl')
    const [recorded, control] = await Promise.all([startChild(CHILD, { MODE: 'tla', N: String(N), LOG: log }).exited, startChild(CHILD, { MODE: 'tla', N: String(N) }).exited])
    expect(control).toMatchObject({ code: 13, signal: null })
    expect(recorded).toMatchObject({ code: 13, signal: null })
    const last = entries(log).at(-1) as { kind: string; body?: unknown }
    expect(last).toMatchObject({ kind: '@@lifecycle', body: { event: 'exit', code: 13 } })
  })
})
