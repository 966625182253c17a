import { existsSync, readdirSync, utimesSync, watch } from 'node:fs'
import { join } from 'node:path'
import { fileStore } from 'redux-flight-recorder/collector'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, INGEST_KEY, admin, recordBatches } from '../collector/helpers'
import { CLI, requireDist, startChild, tempDir, type Child } from '../node/helpers'

// `flight-recorder serve --max-age`: the command line exits (process.exit, src/cli/main.ts) as soon
// as `serve` returns after SIGINT/SIGTERM, and `serve` returned once the server closed, while the
// collector's retention prune (a timer, every 60 s) could still be deleting sessions: the exit cut
// it off, leaving sessions past retention on disk (and, inside a session, a folder half deleted).
// Now stopping waits for a prune in progress. Session 30.
//
// Retention is applied at the start too (session 32; before, only a minute after it, so a server
// restarted more often never applied it), and every minute after that.

const OLD_SESSIONS = 1500
const FRESH_SESSIONS = 3
const DAY = 86_400_000

let child: Child | undefined
afterEach(async () => {
  if (child && child.proc.exitCode === null && child.proc.signalCode === null) {
    child.proc.kill('SIGKILL')
    await child.exited
  }
  child = undefined
})

let recorded: Awaited<ReturnType<typeof recordBatches>>
beforeAll(async () => {
  await requireDist()
  recorded = await recordBatches(40, 1024)
})

/** Stores a session as the collector does (the file store), its batches last written `ageMs` ago. */
async function storeSession(dir: string, id: string, ageMs: number): Promise<void> {
  const store = fileStore(dir)
  const [headerLine] = recorded.batches[0].body.split('\n')
  await store.putHeader(id, JSON.stringify({ ...JSON.parse(headerLine), session: id }))
  for (const b of recorded.batches) await store.putBatch(id, b.from, b.to, b.body)
  const when = new Date(Date.now() - ageMs)
  for (const name of readdirSync(join(dir, id))) utimesSync(join(dir, id, name), when, when)
}

function serve(dir: string, ...retention: string[]): Child {
  return startChild(CLI, {}, ['serve', '--dir', dir, '--port', '0', '--host', '127.0.0.1', '--json', '--ingest-key', INGEST_KEY, '--admin-token', ADMIN_TOKEN, ...retention])
}

describe('flight-recorder serve --max-age', () => {
  it('applies retention at the start: stopped as soon as it is ready, the sessions past it are gone', async () => {
    const dir = join(tempDir('fr-serve-start-'), 'sessions')
    for (let i = 0; i < 4; i++) await storeSession(dir, `old-${i}`, 40 * DAY)
    await storeSession(dir, 'fresh', 0)
    child = serve(dir, '--max-age', '30d')
    await child.waitFor(/\}\n/)
    // The prune at the start is under way when it says it is ready; stopping waits for it.
    child.proc.kill('SIGTERM')
    const exit = await child.exited
    expect(exit.code).toBe(0)
    expect(exit.stderr).toBe('')
    expect(readdirSync(dir).filter((name) => name !== '.tmp')).toEqual(['fresh'])
  }, 60_000)

  it('stopped while its prune is deleting sessions, finishes the prune before it exits: every session past retention is gone, the others are kept', async () => {
    const dir = join(tempDir('fr-serve-prune-'), 'sessions')
    const old = Array.from({ length: OLD_SESSIONS }, (_, i) => `old-${String(i).padStart(5, '0')}`)
    const fresh = Array.from({ length: FRESH_SESSIONS }, (_, i) => `fresh-${i}`)
    for (const id of old) await storeSession(dir, id, 40 * DAY)
    for (const id of fresh) await storeSession(dir, id, 0)

    child = serve(dir, '--max-age', '30d')
    await child.waitFor(/\}\n/)
    const info = JSON.parse(child.stdout().trim()) as { url: string }
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    // The collector reads the stored sessions while it prunes: the fresh ones are listed.
    const listed = (await (await admin(`${info.url}/sessions?limit=5000`)).json()) as { sessions: { id: string }[] }
    expect(listed.sessions.map((s) => s.id)).toEqual(expect.arrayContaining(fresh))

    // SIGTERM as soon as the prune (the one at the start) has deleted a session (it goes on to the
    // others), or at once if it has already begun deleting before the watch started.
    const doomed = new Set(old)
    const proc = child.proc
    await new Promise<void>((resolve) => {
      const stop = () => {
        watcher.close()
        proc.kill('SIGTERM')
        resolve()
      }
      const watcher = watch(dir, (_event, name) => {
        if (name && doomed.has(String(name)) && !existsSync(join(dir, String(name)))) stop()
      })
      if (old.some((id) => !existsSync(join(dir, id)))) stop()
    })
    const exit = await child.exited
    expect(exit.stderr).toBe('')
    expect(exit.code).toBe(0)

    const left = readdirSync(dir).filter((name) => name !== '.tmp')
    expect(left.filter((name) => doomed.has(name))).toEqual([])
    expect(left.sort()).toEqual(fresh)
  }, 180_000)
})
