import fc from 'fast-check'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createCollector, fileStore, isSessionId } from 'redux-flight-recorder/collector'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, INGEST_KEY, filesUnder, listen, recordBatches, tempDir, type Listening } from './helpers'

/**
 * Bad input of every shape, through real HTTP: the collector answers 200 or a 4xx with a reason,
 * never a 5xx; everything it writes is complete, valid lines, under the store directory, at a
 * path made of a safe session id and a batch name.
 */
describe('createCollector under fuzzed input', () => {
  let parent: { dir: string; remove(): Promise<void> }
  let storeDir: string
  let server: Listening
  let recorded: Awaited<ReturnType<typeof recordBatches>>
  const errors: unknown[] = []

  beforeAll(async () => {
    recorded = await recordBatches(20, 1024)
    parent = await tempDir('rfr-fuzz-')
    storeDir = join(parent.dir, 'store')
    const collector = createCollector({
      store: fileStore(storeDir),
      ingestKey: INGEST_KEY,
      adminToken: ADMIN_TOKEN,
      limits: { maxBodyBytes: 8192, client: { requests: 1e9, perMs: 1 }, session: { requests: 1e9, perMs: 1 } },
      onError: (e) => errors.push(e),
    })
    server = await listen(collector)
  })
  afterAll(async () => {
    await server.close()
    await parent.remove()
  })

  const valid = () => recorded.batches

  /** A batch body changed in one of the ways a broken client or an attacker would. */
  const mutatedBody = fc.oneof(
    fc.tuple(fc.nat(), fc.nat()).map(([i, cut]) => {
      const b = valid()[i % valid().length].body
      return b.slice(0, cut % (b.length + 1))
    }),
    fc.tuple(fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 8 })).map(([i, at, s]) => {
      const b = valid()[i % valid().length].body
      const p = at % (b.length + 1)
      return b.slice(0, p) + s + b.slice(p)
    }),
    fc.tuple(fc.nat(), fc.nat(), fc.jsonValue()).map(([i, at, v]) => {
      const lines = valid()[i % valid().length].body.split('\n').slice(0, -1)
      lines[at % lines.length] = JSON.stringify(v) ?? 'null'
      return lines.join('\n') + '\n'
    }),
    fc.array(fc.jsonValue(), { maxLength: 4 }).map((vs) => vs.map((v) => JSON.stringify(v)).join('\n') + '\n'),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constant('{"seq":1,"kind":"@@mark","__proto__":{"polluted":true}}\n'),
    fc.constant('x'.repeat(9000) + '\n'),
  )

  const sessionIds = fc.oneof(
    fc.constantFrom('../../escape', '..', '.', '/etc/passwd', 'a/../../b', 'C:\\x', '%2e%2e', 'a\u0000b', 'ok-id'),
    fc.string({ maxLength: 140 }),
    fc.string({ unit: fc.constantFrom('.', '/', '\\', 'a', '-', '%', '\u0000', 'é'), maxLength: 12 }),
  )

  const seqText = fc.oneof(fc.nat({ max: 200 }).map(String), fc.constantFrom('-1', '1e3', '0x10', '', '9007199254740993', 'NaN', ' 1'))

  it('answers every request with 200 or a 4xx and a reason, and writes only complete valid lines inside the store', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          session: fc.option(sessionIds, { nil: undefined }),
          from: fc.option(seqText, { nil: undefined }),
          to: fc.option(seqText, { nil: undefined }),
          key: fc.constantFrom(INGEST_KEY, INGEST_KEY, INGEST_KEY, 'wrong-key-value', undefined),
          body: fc.option(mutatedBody, { nil: undefined, freq: 4 }),
          useReal: fc.boolean(),
          realIndex: fc.nat(),
          contentType: fc.constantFrom('text/plain;charset=UTF-8', 'application/x-ndjson', 'application/json', 'image/png', undefined),
        }),
        async (r) => {
          const real = valid()[r.realIndex % valid().length]
          const url = new URL(`${server.url}/ingest`)
          const set = (k: string, v: string | undefined) => v !== undefined && url.searchParams.set(k, v)
          set('session', r.useReal ? real.session : r.session)
          set('from', r.useReal ? String(real.from) : r.from)
          set('to', r.useReal ? String(real.to) : r.to)
          set('key', r.key)
          const body = r.body ?? real.body
          const res = await fetch(url, { method: 'POST', body, headers: r.contentType ? { 'content-type': r.contentType } : {} })
          const text = await res.text()
          expect(res.status === 200 || (res.status >= 400 && res.status < 500), `${res.status} ${text}`).toBe(true)
          if (res.status !== 200) {
            const answer = JSON.parse(text) as { error: string; code: string }
            expect(answer.error).toMatch(/^\[redux-flight-recorder\] \S/)
            expect(answer.code).toMatch(/^[a-z-]+$/)
          }
        },
      ),
      { numRuns: 400, seed: 20261202 },
    )
    expect(errors).toEqual([])
    expect(Object.prototype).not.toHaveProperty('polluted')

    // Nothing outside the store directory; inside it, safe names only and whole, valid lines.
    expect(await readdir(parent.dir)).toEqual(['store'])
    const files = await filesUnder(storeDir)
    // Some requests were whole batches: the checks below looked at real writes.
    expect(files.filter((f) => f.endsWith('.jsonl')).length).toBeGreaterThan(3)
    for (const f of files) {
      const [id, name, ...rest] = f.split('/')
      expect(rest, f).toEqual([])
      expect(isSessionId(id), f).toBe(true)
      expect(name, f).toMatch(/^(\d{16}-\d{16}\.jsonl|header\.json|end\.json)$/)
      const content = await readFile(join(storeDir, f), 'utf8')
      // Where a session's stored @@end is (the collector refuses batches after it).
      if (name === 'end.json') expect(JSON.parse(content), f).toEqual({ seq: expect.any(Number) })
      if (name.endsWith('.jsonl')) {
        expect(content.endsWith('\n'), f).toBe(true)
        for (const line of content.slice(0, -1).split('\n')) expect(() => JSON.parse(line), f).not.toThrow()
      }
    }
    expect(await readdir(join(storeDir, '.tmp')).catch(() => [])).toEqual([])
  })

  it('never serves or deletes anything for a session id it would not store', async () => {
    await fc.assert(
      fc.asyncProperty(sessionIds, fc.constantFrom('GET', 'DELETE'), async (id, method) => {
        const res = await fetch(`${server.url}/sessions/${encodeURIComponent(id)}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
        await res.arrayBuffer()
        if (!isSessionId(id)) expect([400, 404, 405], `${id} ${res.status}`).toContain(res.status)
        else expect([200, 404, 409], `${id} ${res.status}`).toContain(res.status)
      }),
      { numRuns: 200, seed: 7 },
    )
    expect(await readdir(parent.dir)).toEqual(['store'])
    expect((await filesUnder(storeDir)).every((f) => isSessionId(f.split('/')[0]))).toBe(true)
  })
})
