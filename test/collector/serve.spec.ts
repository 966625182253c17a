import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CLI, TODO_STORE, requireDist, runNode, startChild, tempDir, type Child } from '../node/helpers'
import { ADMIN_TOKEN, INGEST_KEY, admin, deliver, recordBatches } from './helpers'

let recorded: Awaited<ReturnType<typeof recordBatches>>
beforeAll(async () => {
  await requireDist()
  recorded = await recordBatches(40, 1024)
})

let child: Child | undefined
afterEach(async () => {
  if (child && child.proc.exitCode === null && child.proc.signalCode === null) {
    child.proc.kill('SIGTERM')
    await child.exited
  }
  child = undefined
})

/** `flight-recorder serve` on a free port; returns what it printed with --json. */
async function serve(dir: string, extra: string[] = []): Promise<{ url: string; ingest: string; adminToken: string; dir: string }> {
  child = startChild(CLI, {}, ['serve', '--dir', dir, '--port', '0', '--json', '--ingest-key', INGEST_KEY, '--admin-token', ADMIN_TOKEN, ...extra])
  await child.waitFor(/\}\n/)
  return JSON.parse(child.stdout().trim()) as { url: string; ingest: string; adminToken: string; dir: string }
}

describe('flight-recorder serve', () => {
  it('collects into --dir, serves the assembled log that `verify` accepts, and stops on SIGTERM', async () => {
    const dir = tempDir('fr-serve-')
    const info = await serve(join(dir, 'sessions'))
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(info.dir).toBe(join(dir, 'sessions'))
    // `ingest` is the URL httpSink takes as it is: the key is in it.
    expect(new URL(info.ingest).searchParams.get('key')).toBe(INGEST_KEY)
    for (const b of [...recorded.batches].reverse()) expect((await deliver(info.ingest, b, { key: null })).status).toBe(200)
    // One folder per session, and no temporary file left behind.
    expect(readdirSync(join(dir, 'sessions')).sort()).toEqual(['.tmp', recorded.session].sort())
    expect(readdirSync(join(dir, 'sessions', '.tmp'))).toEqual([])

    const res = await admin(`${info.url}/sessions/${recorded.session}`)
    expect(res.status).toBe(200)
    const file = join(dir, 'session.jsonl')
    writeFileSync(file, await res.text())
    const verified = runNode(CLI, ['verify', file, '--store', TODO_STORE, '--strict'])
    expect(verified.stderr).toBe('')
    expect(verified.stdout).toMatch(/^ok {2}.*session\.jsonl: 40 actions replayed/)
    expect(verified.code).toBe(0)

    child!.proc.kill('SIGTERM')
    const exit = await child!.exited
    expect(exit.code).toBe(0)
  })

  it('serves a log with a missing batch that `verify` accepts and `--strict` refuses for its gap', async () => {
    const dir = tempDir('fr-serve-')
    const info = await serve(join(dir, 'sessions'))
    const missing = recorded.batches[4]
    for (const b of recorded.batches) if (b !== missing) await deliver(info.ingest, b)
    const res = await admin(`${info.url}/sessions/${recorded.session}`)
    expect(res.headers.get('flight-recorder-gaps')).toBe(`${missing.from}-${missing.to}`)
    const file = join(dir, 'gapped.jsonl')
    writeFileSync(file, await res.text())
    const lenient = runNode(CLI, ['verify', file, '--store', TODO_STORE])
    expect(lenient.code).toBe(0)
    expect(lenient.stdout + lenient.stderr).toContain(`Entries ${missing.from}–${missing.to} are missing`)
    const strict = runNode(CLI, ['verify', file, '--store', TODO_STORE, '--strict'])
    expect(strict.code).toBe(1)
  })

  it('prints a made-up admin token when none is given, and refuses bad options in one line', () => {
    const bad = runNode(CLI, ['serve', '--port', 'eighty'])
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect(bad.stderr).toMatch(/--port expects an integer/)
    const short = runNode(CLI, ['serve', '--ingest-key', 'short'])
    expect(short.code).toBe(2)
    expect(short.stderr).toMatch(/--ingest-key must be at least 8 characters/)
    const help = runNode(CLI, ['serve', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: flight-recorder serve/)
  })

  it('prints the address and a random admin token that works', async () => {
    const dir = tempDir('fr-serve-')
    child = startChild(CLI, { FLIGHT_RECORDER_ADMIN_TOKEN: undefined }, ['serve', '--dir', dir, '--port', '0'])
    await child.waitFor(/admin token \(reads, deletes\): \S+\n/)
    const out = child.stdout()
    const url = /at (http:\/\/\S+)\n/.exec(out)![1]
    const token = /admin token \(reads, deletes\): (\S+)\n/.exec(out)![1]
    expect(token.length).toBeGreaterThanOrEqual(20)
    expect((await fetch(`${url}/sessions`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    expect((await fetch(`${url}/sessions`, { headers: { authorization: 'Bearer guessed-token' } })).status).toBe(401)
    expect(child.stderr()).toMatch(/no --ingest-key/)
  })
})
