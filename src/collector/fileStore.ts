import { randomUUID } from 'node:crypto'
import { link, mkdir, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { isSessionId } from './sessionId'
import { batchName, droppedBefore, END_NAME, HEADER_NAME, parseBatchName, parseEnd, parsePartName, partName, type BatchInfo, type CollectorStore, type StoredSession } from './types'

const TMP = '.tmp'

const code = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code

/**
 * Sessions as files: `<dir>/<session>/<from>-<to>.jsonl`, one file per batch, plus
 * `<dir>/<session>/header.json` (and `end.json` once its `@@end` line is stored). Each file is written in full to `<dir>/.tmp/` first and then
 * hard-linked into place, which fails when the name exists: a file is never seen half-written and
 * never replaced, so collectors sharing the directory (one host, or a shared file system with
 * hard links) need no coordination.
 *
 * @example
 * createCollector({ store: fileStore('sessions') })
 */
export function fileStore(dir: string): CollectorStore {
  if (typeof dir !== 'string' || dir === '') {
    throw new TypeError(`[redux-flight-recorder] Expected \`dir\` of fileStore to be a directory path. Instead, received: ${JSON.stringify(dir) ?? typeof dir}.`)
  }
  const root = resolve(dir)

  /** A session's folder; checked to lie inside the root even though ids are already safe. */
  function sessionDir(session: string): string {
    if (!isSessionId(session)) throw new Error(`[redux-flight-recorder] fileStore refused the session id ${JSON.stringify(session)}.`)
    const path = join(root, session)
    const rel = relative(root, path)
    if (rel !== session || isAbsolute(rel)) throw new Error(`[redux-flight-recorder] fileStore refused the session id ${JSON.stringify(session)}: it leaves the store.`)
    return path
  }

  let tmpReady: Promise<unknown> | undefined

  /** Writes `text` to a fresh temporary file; the folder is made once (and again if removed). */
  async function writeTemp(text: string): Promise<string> {
    const tmpDir = join(root, TMP)
    const tmp = join(tmpDir, randomUUID())
    tmpReady ??= mkdir(tmpDir, { recursive: true })
    await tmpReady
    try {
      await writeFile(tmp, text, { flag: 'wx' })
    } catch (error) {
      if (code(error) !== 'ENOENT') throw error
      tmpReady = mkdir(tmpDir, { recursive: true })
      await tmpReady
      await writeFile(tmp, text, { flag: 'wx' })
    }
    return tmp
  }

  /** Writes `text` to a temporary file, then hard-links it to its name, which fails if the name exists. */
  async function writeOnce(session: string, name: string, text: string): Promise<'stored' | 'exists'> {
    const folder = sessionDir(session)
    const tmp = await writeTemp(text)
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await link(tmp, join(folder, name))
          return 'stored'
        } catch (error) {
          if (code(error) === 'EEXIST') return 'exists'
          // A new session (or one deleted meanwhile): make its folder, then link again.
          if (code(error) === 'ENOENT' && attempt < 3) {
            await mkdir(folder, { recursive: true })
            continue
          }
          throw error
        }
      }
    } finally {
      await unlink(tmp).catch(() => {})
    }
  }

  async function listBatches(session: string): Promise<BatchInfo[]> {
    const folder = sessionDir(session)
    const out: BatchInfo[] = []
    for (const name of await namesOf(session)) {
      const range = parseBatchName(name)
      if (!range) continue
      try {
        const s = await stat(join(folder, name))
        out.push({ ...range, bytes: s.size, storedAt: s.mtimeMs })
      } catch (error) {
        if (code(error) !== 'ENOENT') throw error
      }
    }
    return out
  }

  /** The names in a session's folder (none when there is no folder). */
  async function namesOf(session: string): Promise<string[]> {
    try {
      return await readdir(sessionDir(session))
    } catch (error) {
      if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return []
      throw error
    }
  }

  /** A file's text, or `undefined` when there is none. */
  async function readText(path: string): Promise<string | undefined> {
    try {
      return await readFile(path, 'utf8')
    } catch (error) {
      if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return undefined
      throw error
    }
  }

  return {
    putBatch: (session, from, to, text) => writeOnce(session, batchName(from, to), text),
    putPart: (session, fromSeq, text) => writeOnce(session, partName(fromSeq), text),
    listParts: async (session) => (await namesOf(session)).map(parsePartName).filter((n): n is number => n !== undefined),
    readPart: (session, fromSeq) => readText(join(sessionDir(session), partName(fromSeq))),
    async dropBefore(session, seq) {
      const folder = sessionDir(session)
      for (const name of await namesOf(session)) {
        if (!droppedBefore(name, seq)) continue
        await unlink(join(folder, name)).catch((error: unknown) => {
          if (code(error) !== 'ENOENT') throw error
        })
      }
    },
    listBatches,
    async readBatch(session, from, to) {
      try {
        return await readFile(join(sessionDir(session), batchName(from, to)), 'utf8')
      } catch (error) {
        if (code(error) === 'ENOENT') return undefined
        throw error
      }
    },
    async putHeader(session, json) {
      await writeOnce(session, HEADER_NAME, json)
    },
    getHeader: (session) => readText(join(sessionDir(session), HEADER_NAME)),
    async putEnd(session, seq) {
      await writeOnce(session, END_NAME, JSON.stringify({ seq }))
    },
    getEnd: async (session) => parseEnd(await readText(join(sessionDir(session), END_NAME))),
    async listSessions() {
      let names: string[]
      try {
        names = await readdir(root)
      } catch (error) {
        if (code(error) === 'ENOENT') return []
        throw error
      }
      const sessions: StoredSession[] = []
      for (const id of names) {
        if (!isSessionId(id)) continue
        const batches = await listBatches(id)
        if (batches.length === 0) continue
        let bytes = 0
        let first = Infinity
        let last = 0
        for (const b of batches) {
          bytes += b.bytes
          first = Math.min(first, b.storedAt)
          last = Math.max(last, b.storedAt)
        }
        sessions.push({ id, bytes, batches: batches.length, firstStoredAt: first, lastStoredAt: last })
      }
      return sessions
    },
    async deleteSession(session) {
      const folder = sessionDir(session)
      try {
        await stat(folder)
      } catch (error) {
        if (code(error) === 'ENOENT') return false
        throw error
      }
      await rm(folder, { recursive: true, force: true })
      return true
    },
  }
}
