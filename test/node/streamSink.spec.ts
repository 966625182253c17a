import { readFileSync } from 'node:fs'
import { PassThrough, Writable } from 'node:stream'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, type RecorderFaultError } from 'redux-flight-recorder'
import { isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { streamSink } from 'redux-flight-recorder/node'
import { added, makeStore, rootReducer, toggled } from '../helpers/todoApp'
import { reducer as childReducer } from '../fixtures/cli/todoStore.mjs'
import { FIXTURES, requireDist, runNode, startChild, tempDir } from './helpers'
import { join } from 'node:path'

beforeAll(() => requireDist(), 70_000)

function collect(stream: PassThrough): () => string {
  let text = ''
  stream.setEncoding('utf8')
  stream.on('data', (d: string) => (text += d))
  return () => text
}

describe('streamSink', () => {
  it('writes the log to a stream, waits for it (backpressure), and ends it on close()', async () => {
    const stream = new PassThrough({ highWaterMark: 64 })
    const text = collect(stream)
    let ended = false
    stream.on('finish', () => (ended = true))
    const recorder = createFlightRecorder({ sinks: [streamSink(stream)], flushIntervalMs: 60_000 })
    const store = makeStore(recorder)
    for (let i = 0; i < 30; i++) {
      store.dispatch(added({ id: `a${i}`, title: `todo ${i}`, done: false }))
      if (i % 2) store.dispatch(toggled(`a${i}`))
    }
    await recorder.flush()
    store.dispatch(toggled('a0'))
    await recorder.close()
    expect(ended).toBe(true)
    const rec = parseRecording(text(), { strict: true })
    expect(rec.entries.filter(isActionEntry)).toHaveLength(46)
    expect(replay(rec, { reducer: rootReducer })).toMatchObject({ ok: true, verified: true })
  })

  it('reports a broken stream through onError and never crashes the process', async () => {
    const errors: RecorderFaultError[] = []
    const broken = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error('EPIPE: the reader went away'))
      },
    })
    const recorder = createFlightRecorder({ sinks: [streamSink(broken)], flushIntervalMs: 60_000, onError: (e) => errors.push(e) })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'A', done: false }))
    await recorder.flush()
    await recorder.flush()
    await recorder.close()
    expect(errors.length).toBeGreaterThan(0)
    expect(errors[0].message).toMatch(/Could not write to the stream: EPIPE: the reader went away/)
  })

  it('does not end process.stdout on close(), and rejects what is not a stream', async () => {
    expect(() => streamSink({} as never)).toThrow(/Expected `streamSink` to receive a writable stream/)
    const sink = streamSink(process.stdout)
    await sink.close?.()
    expect(process.stdout.writableEnded).toBe(false)
  })

  it('leaves a complete log on standard output when the process gets SIGTERM', async () => {
    const child = startChild(join(FIXTURES, 'stdoutChild.mjs'), { N: '25' })
    await new Promise<void>((resolve) => {
      const check = () => (child.stderr().includes('ready') ? resolve() : setTimeout(check, 10))
      check()
    })
    child.proc.kill('SIGTERM')
    const exit = await child.exited
    expect(exit.signal).toBe('SIGTERM')
    const rec = parseRecording(exit.stdout, { strict: true })
    expect(rec.entries.filter(isActionEntry)).toHaveLength(25)
    expect(rec.entries[rec.entries.length - 1]).toMatchObject({ kind: '@@lifecycle', body: { event: 'signal', signal: 'SIGTERM' } })
    expect(replay(rec, { reducer: childReducer }).ok).toBe(true)
  })

  it('writes the log to a file stream on an exit right after start, before the stream has opened its file', () => {
    const out = join(tempDir(), 'exit.jsonl')
    const exit = runNode(join(FIXTURES, 'streamFileExitChild.mjs'), [], { env: { OUT: out, N: '25' } })
    expect(exit.code, exit.stderr).toBe(0)
    const rec = parseRecording(readFileSync(out, 'utf8'), { strict: true })
    expect(rec.entries.filter(isActionEntry)).toHaveLength(25)
    expect(replay(rec, { reducer: childReducer }).ok).toBe(true)
  })
})
