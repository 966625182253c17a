import { describe, expect, it } from 'vitest'
import { memorySink } from 'redux-flight-recorder'
import { partsOf } from '../../src/internal/lineParts'
import type { Line } from '../../src/recorder/lines'
import { SinkQueue, type Batch, type SinkHost } from '../../src/recorder/sinkQueue'
import type { Sink } from '../../src/recorder/types'

// The sink queue alone: no recorder, no store. The host is a small recording object, the sinks
// are real (memorySink) or written here to fail the way real sinks fail.

function host() {
  const events: string[] = []
  const faults: string[] = []
  let written = 0
  let collects = 0
  const h: SinkHost = {
    session: 'session-1',
    collect: () => void collects++,
    header: (at: Batch | undefined) => `H${at ? at.fromSeq : 'now'}`,
    requestCheckpoint: () => void events.push('checkpoint'),
    reportDropped: (count, reason) => void events.push(`dropped ${count} ${reason}`),
    fault: (error) => void faults.push((error as Error).message),
    written: (bytes) => void (written += bytes),
    statesReady: () => Promise.resolve(),
  }
  return { h, events, faults, written: () => written, collects: () => collects }
}

const batch = (fromSeq: number, ...lines: string[]): Batch => ({ fromSeq, base: null, lines, bytes: lines.reduce((n, l) => n + l.length + 1, 0) })

describe('SinkQueue', () => {
  it('hands a sink lines in parts as their text, with the parts beside at the right index (header, several batches, drain)', () => {
    const got: { lines: string[]; parts: [number, string][] }[] = []
    const record = (lines: string[]) => got.push({ lines: [...lines], parts: [...(partsOf(lines) ?? new Map())].map(([i, p]) => [i, p.join('|')]) })
    const sink: Sink = { write: (lines) => void record(lines), writeSync: (lines) => void record(lines) }
    const { h } = host()
    const parted = (text: string): Line => ({ text, parts: text.split('') })
    const q = new SinkQueue(sink, { ...h, header: () => parted('HS') }, 1 << 20, 1000)
    const lines = (fromSeq: number, ...ls: Line[]): Batch => ({ fromSeq, base: null, lines: ls, bytes: 0 })
    q.push(lines(1, 'a', parted('bc')))
    q.push(lines(3, parted('de'), 'f'))
    q.pump()
    expect(got[0]).toEqual({ lines: ['HS', 'a', 'bc', 'de', 'f'], parts: [[0, 'H|S'], [2, 'b|c'], [3, 'd|e']] })
    // What a sink drains (exit, page hide) comes the same way; a batch with none has none.
    q.push(lines(5, 'g', parted('hi')))
    q.writeSync()
    expect(got[1]).toEqual({ lines: ['g', 'hi'], parts: [[1, 'h|i']] })
    q.push(lines(7, 'j'))
    q.pump()
    expect(got[2]).toEqual({ lines: ['j'], parts: [] })
    // A sink that knows nothing of parts sees plain strings.
    const plain = memorySink()
    const q2 = new SinkQueue(plain, { ...h, header: () => parted('HS') }, 1 << 20, 1000)
    q2.push(lines(1, parted('kl')))
    q2.pump()
    expect(plain.lines).toEqual(['HS', 'kl'])
  })

  it('starts the first write with a header for its first line and writes everything queued in one call', () => {
    const sink = memorySink()
    const calls: number[] = []
    const counted: Sink = { write: (lines, ctx) => (calls.push(lines.length), sink.write(lines, ctx)) }
    const { h, written } = host()
    const q = new SinkQueue(counted, h, 1 << 20, 1000)
    q.push(batch(1, 'a', 'b'))
    q.push(batch(3, 'c'))
    expect(q.pending).toBe(4)
    expect(q.pump()).toBeUndefined()
    expect(sink.lines).toEqual(['H1', 'a', 'b', 'c'])
    expect(calls).toEqual([4])
    expect(written()).toBe(3 + 2 + 2 + 2)
    q.push(batch(4, 'd'))
    q.pump()
    expect(sink.lines).toEqual(['H1', 'a', 'b', 'c', 'd'])
  })

  it('keeps the lines of a write that throws, reports it, and writes them again in order', () => {
    const got: string[] = []
    let fail = true
    const flaky: Sink = {
      write(lines) {
        if (fail) throw new Error('EACCES: permission denied')
        got.push(...lines)
      },
    }
    const { h, faults } = host()
    const q = new SinkQueue(flaky, h, 1 << 20, 1000)
    q.push(batch(1, 'a'))
    q.pump()
    q.push(batch(2, 'b'))
    expect(faults).toEqual(['EACCES: permission denied'])
    expect(q.pending).toBe(3)
    fail = false
    q.pump()
    expect(got).toEqual(['H1', 'a', 'b'])
  })

  it('never has two writes in flight, and flush() waits for the one in flight before writing the rest', async () => {
    const releases: (() => void)[] = []
    const writes: string[][] = []
    const slow: Sink = {
      write: (lines) =>
        new Promise<void>((resolve) => {
          writes.push(lines)
          releases.push(resolve)
        }),
    }
    const { h } = host()
    const q = new SinkQueue(slow, h, 1 << 20, 10_000)
    q.push(batch(1, 'a'))
    expect(q.pump()).toBeInstanceOf(Promise)
    q.push(batch(2, 'b'))
    expect(q.pump()).toBeUndefined()
    expect(writes).toEqual([['H1', 'a']])
    const flushed = q.flush(Date.now() + 10_000)
    releases.shift()!()
    await expect.poll(() => writes.length).toBe(2)
    expect(writes[1]).toEqual(['b'])
    releases.shift()!()
    await flushed
    expect(q.pending).toBe(0)
  })

  it('drops the oldest lines past its byte bound while a write is in flight, counting that write, and says so', () => {
    const never: Sink = { write: () => new Promise<void>(() => {}) }
    const { h, events, faults } = host()
    const q = new SinkQueue(never, h, 10, 1000)
    // In flight: 'H1' and 'x', 5 bytes with their newlines, held by the sink until the write ends.
    q.push(batch(1, 'x'))
    q.pump()
    q.push(batch(2, 'aaaa'))
    q.push(batch(3, 'bbbb'))
    q.push(batch(4, 'cccc'))
    expect(q.pending).toBe(1)
    expect(events).toEqual(['dropped 1 sink-queue-full', 'dropped 1 sink-queue-full'])
    expect(faults[0]).toMatch(/fell behind by more than 10 bytes; 1 lines were dropped/)
  })

  it('reports a write that does not finish by the deadline, naming the lines still queued', async () => {
    const never: Sink = { write: () => new Promise<void>(() => {}) }
    const { h, faults } = host()
    const q = new SinkQueue(never, h, 1 << 20, 25)
    q.push(batch(1, 'a'))
    q.pump()
    q.push(batch(2, 'b'))
    await q.flush(Date.now() + 25)
    expect(faults).toEqual(['A sink did not finish writing within 25 ms (`sinkTimeoutMs`); flush() stopped waiting for it with 1 lines still queued for it.'])
  })

  it('drains synchronously for emergencies, collecting first, with header() describing the first drained line', () => {
    const headers: string[] = []
    const got: string[] = []
    const syncOnly: Sink = {
      write: () => new Promise<void>(() => {}),
      writeSync(lines, ctx) {
        headers.push(ctx.header())
        got.push(...lines)
      },
    }
    const { h, collects } = host()
    const q = new SinkQueue(syncOnly, h, 1 << 20, 1000)
    q.push(batch(5, 'e'))
    q.push(batch(6, 'f'))
    q.writeSync()
    expect(collects()).toBe(1)
    expect(got).toEqual(['H5', 'e', 'f'])
    expect(headers).toEqual(['H5'])
    expect(q.pending).toBe(0)
  })

  it('passes a sink’s own loss report on, ignoring counts that are not positive', () => {
    const { h, events } = host()
    const q = new SinkQueue(memorySink(), h, 1 << 20, 1000)
    q.ctx.reportDropped(0, 'nothing')
    q.ctx.reportDropped(-3, 'nonsense')
    q.ctx.reportDropped(7, 'http-unreachable')
    q.ctx.checkpoint()
    expect(events).toEqual(['dropped 7 http-unreachable', 'checkpoint'])
    expect(q.ctx.session).toBe('session-1')
  })
})
