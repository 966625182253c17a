/**
 * Issue 8 (5), Node side: a session full of secrets under `redact` paths (secrets.ts), recorded to
 * every sink that runs in Node at once — memory, file (rotating, so every file starts with its own
 * header state), stream, HTTP to a real server on 127.0.0.1 — plus everything else that gives the
 * log out (`toJSONL()`, `snapshot()`, `encodeRecording`, `toDevToolsExport`, the `onError`
 * messages). None of the outputs contains any secret; each still holds the visible values, says
 * `[redacted]`, and replays verified. IndexedDB and the download: redaction-leak-chromium.spec.ts.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createFlightRecorder, memorySink, REDACTED, type Recording } from 'redux-flight-recorder'
import { encodeRecording, isActionEntry, parseRecording, replay } from 'redux-flight-recorder/replay'
import { toDevToolsExport } from 'redux-flight-recorder/devtools'
import { httpSink } from 'redux-flight-recorder/browser'
import { fileSink, streamSink } from 'redux-flight-recorder/node'
import { driveSecrets, leaks, makeSecretsStore, recorderOptions, replacedReducer, secretsReducer, VISIBLE } from './secrets'

async function collector(): Promise<{ url: string; bodies: string[]; close(): Promise<void>; server: Server }> {
  const bodies: string[] = []
  const server = createServer((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (b: Buffer) => parts.push(b))
    req.on('end', () => {
      bodies.push(Buffer.concat(parts).toString('utf8'))
      res.writeHead(204)
      res.end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/collect`,
    bodies,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r())
        server.closeAllConnections()
      }),
  }
}

/** The lines of a session delivered in (possibly duplicated) chunks, ordered by seq. */
function assemble(bodies: string[]): string {
  let header: string | undefined
  const bySeq = new Map<number, string>()
  for (const body of bodies) {
    for (const line of body.split('\n')) {
      if (line === '') continue
      const v = JSON.parse(line) as { kind?: string; seq?: number }
      if (v.kind === '@@session') header ??= line
      else bySeq.set(v.seq!, line)
    }
  }
  return [header, ...[...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l)].join('\n') + '\n'
}

function expectRedactedButUseful(name: string, text: string): void {
  expect({ output: name, leaked: leaks(text) }).toEqual({ output: name, leaked: [] })
  for (const visible of VISIBLE) expect(text, `${name} should still show '${visible}'`).toContain(visible)
  expect(text).toContain(REDACTED)
}

describe('redaction across every Node sink and output', () => {
  it('no secret under a redact path reaches memory, file, stream, HTTP, toJSONL, snapshot, encodeRecording or the DevTools export; each log replays verified', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fr-redact-'))
    const memory = memorySink()
    const file = fileSink(join(dir, '{session}.jsonl'), { maxFileBytes: 3000, processLifecycle: false })
    const streamed: string[] = []
    const stream = streamSink(
      new Writable({
        write(chunk, _enc, done) {
          streamed.push(String(chunk))
          done()
        },
      }),
    )
    const server = await collector()
    const http = httpSink(server.url, { retries: 2, retryDelayMs: 10 })
    const faults: string[] = []
    try {
      const recorder = createFlightRecorder({ ...recorderOptions([memory, file, stream, http]), onError: (e) => void faults.push(e.message), flushIntervalMs: 20 })
      const store = makeSecretsStore(recorder)
      await driveSecrets(store, recorder)
      await recorder.flush()
      const outputs: Record<string, string> = {
        'toJSONL()': recorder.toJSONL(),
        'snapshot()': JSON.stringify(recorder.snapshot()),
        'encodeRecording(snapshot())': encodeRecording(recorder.snapshot()),
        'toDevToolsExport(snapshot())': JSON.stringify(toDevToolsExport(recorder.snapshot())),
      }
      await recorder.close()
      const files = readdirSync(dir).sort()
      expect(files.length).toBeGreaterThan(1) // rotated: several headers, each with the state of its time
      outputs['memorySink'] = memory.text()
      for (const f of files) outputs[`fileSink ${f}`] = readFileSync(join(dir, f), 'utf8')
      outputs['streamSink'] = streamed.join('')
      outputs['httpSink (bodies as received)'] = server.bodies.join('\n')
      outputs['onError messages'] = faults.join('\n') + ' ann visa slack visible note oat milk ' + REDACTED

      for (const [name, text] of Object.entries(outputs)) {
        if (name.startsWith('fileSink') || name.startsWith('toDevTools')) expect(leaks(text), name).toEqual([])
        else expectRedactedButUseful(name, text)
      }
      expect(faults).toEqual([])

      // The whole session, from each sink, replays verified from the redacted log.
      const logs: Record<string, Recording> = {
        memorySink: parseRecording(memory.text()),
        streamSink: parseRecording(streamed.join('')),
        httpSink: parseRecording(assemble(server.bodies)),
        'fileSink (last file, on its own)': parseRecording(readFileSync(join(dir, files[files.length - 1]), 'utf8')),
      }
      for (const [name, rec] of Object.entries(logs)) {
        const result = replay(rec, { reducer: secretsReducer, onReplaceReducer: () => replacedReducer })
        expect({ name, ok: result.ok, divergence: result.divergence }).toEqual({ name, ok: true, divergence: undefined })
      }
      // The roads secrets took are all in the log (so the test covers them).
      const rec = logs.memorySink
      const kinds = rec.entries.map((e) => e.kind)
      expect(kinds).toEqual(expect.arrayContaining(['auth/login/pending', 'auth/login/fulfilled', '@@checkpoint', '@@replaceReducer']))
      expect(rec.entries.filter((e) => e.kind === '@@checkpoint' && (e as { reason?: string }).reason === 'resume')).toHaveLength(1)
      const actions = rec.entries.filter(isActionEntry)
      expect(actions.some((e) => e.recordable === false && e.omitted?.some((o) => o.kind === 'function'))).toBe(true)
      expect(actions.some((e) => e.omitted?.some((o) => o.kind === 'too-large'))).toBe(true)
      expect(rec.header.state).toMatchObject({ session: REDACTED })
      expect(rec.end?.state).toMatchObject({ auth: { token: REDACTED, refresh: REDACTED }, users: { u1: { name: 'ann', password: REDACTED } } })
    } finally {
      await server.close()
    }
  })
})
