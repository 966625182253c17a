import { batchName, droppedBefore, END_NAME, HEADER_NAME, parseBatchName, parseEnd, parsePartName, partName, type BatchInfo, type CollectorStore, type StoredSession } from './types'
import { isSessionId } from './sessionId'

/** The part of an `S3Client` the store uses (`send`), so the SDK's types stay out of ours. */
export interface S3ClientLike {
  send(command: unknown): Promise<any>
}

export interface S3StoreOptions {
  /** The bucket; it must exist. */
  bucket: string
  /**
   * Key prefix of every object: sessions are `<prefix><session>/<from>-<to>.jsonl`.
   * @default 'sessions/'
   */
  prefix?: string
  /** An `S3Client` from `@aws-sdk/client-s3` you made; otherwise one is made from `clientConfig`. */
  client?: S3ClientLike
  /**
   * The `S3ClientConfig` of the client made when `client` is not given (region, endpoint,
   * credentials, `forcePathStyle: true` for MinIO and most S3-compatible servers).
   */
  clientConfig?: Record<string, unknown>
  /**
   * Writes each batch with `If-None-Match: *`, so a batch already stored is never replaced (AWS S3,
   * MinIO and R2 support it; servers that ignore it overwrite with the same bytes).
   * @default true
   */
  conditionalWrites?: boolean
}

type S3Sdk = typeof import('@aws-sdk/client-s3')

let sdk: Promise<S3Sdk> | undefined

/** `@aws-sdk/client-s3` is an optional peer: loaded on first use, with a clear message when absent. */
function loadSdk(): Promise<S3Sdk> {
  sdk ??= import('@aws-sdk/client-s3').catch((error: unknown) => {
    sdk = undefined
    throw new Error(
      '[redux-flight-recorder] s3Store needs the AWS SDK v3 S3 client: install it with `npm install @aws-sdk/client-s3`.',
      { cause: error },
    )
  })
  return sdk
}

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode
const nameOf = (error: unknown) => (error as { name?: string; Code?: string } | null)?.name

/**
 * Sessions in S3-compatible object storage (AWS S3, MinIO, R2): each batch is one immutable object
 * keyed by session and seq range, and a session is assembled from its objects when read. Collectors
 * share nothing but the bucket, so any number of them can run behind a load balancer.
 * `@aws-sdk/client-s3` is an optional peer dependency, loaded when the store is first used.
 *
 * @example
 * createCollector({ store: s3Store({ bucket: 'flight-logs', clientConfig: { region: 'eu-west-1' } }) })
 */
export function s3Store(options: S3StoreOptions): CollectorStore {
  if (typeof options !== 'object' || options === null || typeof options.bucket !== 'string' || options.bucket === '') {
    throw new TypeError('[redux-flight-recorder] Expected the options of s3Store to have a `bucket` name.')
  }
  const bucket = options.bucket
  const prefix = options.prefix ?? 'sessions/'
  if (typeof prefix !== 'string') throw new TypeError(`[redux-flight-recorder] Expected \`prefix\` of s3Store to be a string. Instead, received: ${typeof prefix}.`)
  const conditional = options.conditionalWrites ?? true
  let client: Promise<S3ClientLike> | undefined

  async function setup(): Promise<{ s3: S3ClientLike; sdk: S3Sdk }> {
    const mod = await loadSdk()
    client ??= Promise.resolve(options.client ?? new mod.S3Client(options.clientConfig ?? {}))
    return { s3: await client, sdk: mod }
  }

  function folder(session: string): string {
    if (!isSessionId(session)) throw new Error(`[redux-flight-recorder] s3Store refused the session id ${JSON.stringify(session)}.`)
    return `${prefix}${session}/`
  }

  /** Every object under `keyPrefix`, page by page. */
  async function* objects(keyPrefix: string): AsyncGenerator<{ Key?: string; Size?: number; LastModified?: Date }> {
    const { s3, sdk } = await setup()
    let token: string | undefined
    do {
      const page = await s3.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: keyPrefix, ContinuationToken: token }))
      for (const object of page.Contents ?? []) yield object
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
  }

  async function put(key: string, text: string, type: string): Promise<'stored' | 'exists'> {
    const { s3, sdk } = await setup()
    try {
      await s3.send(
        new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: type, ...(conditional ? { IfNoneMatch: '*' } : {}) }),
      )
      return 'stored'
    } catch (error) {
      if (statusOf(error) === 412 || nameOf(error) === 'PreconditionFailed') return 'exists'
      // A concurrent conditional write of the same key (S3 answers 409 while another is in progress).
      if (statusOf(error) === 409 && conditional) return 'exists'
      throw error
    }
  }

  async function get(key: string): Promise<string | undefined> {
    const { s3, sdk } = await setup()
    try {
      const out = await s3.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }))
      return await out.Body.transformToString('utf-8')
    } catch (error) {
      if (statusOf(error) === 404 || nameOf(error) === 'NoSuchKey') return undefined
      throw error
    }
  }

  async function remove(keys: string[]): Promise<void> {
    const { s3, sdk } = await setup()
    for (let i = 0; i < keys.length; i += 1000) {
      const chunk = keys.slice(i, i + 1000)
      await s3.send(new sdk.DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }))
    }
  }

  return {
    putBatch: (session, from, to, text) => put(folder(session) + batchName(from, to), text, 'application/jsonl'),
    putPart: (session, fromSeq, text) => put(folder(session) + partName(fromSeq), text, 'application/jsonl'),
    async listParts(session) {
      const base = folder(session)
      const out: number[] = []
      for await (const object of objects(base)) {
        const from = parsePartName((object.Key ?? '').slice(base.length))
        if (from !== undefined) out.push(from)
      }
      return out
    },
    readPart: (session, fromSeq) => get(folder(session) + partName(fromSeq)),
    async dropBefore(session, seq) {
      const base = folder(session)
      const keys: string[] = []
      for await (const object of objects(base)) {
        if (droppedBefore((object.Key ?? '').slice(base.length), seq)) keys.push(object.Key!)
      }
      await remove(keys)
    },
    async listBatches(session) {
      const base = folder(session)
      const out: BatchInfo[] = []
      for await (const object of objects(base)) {
        const range = parseBatchName((object.Key ?? '').slice(base.length))
        if (range) out.push({ ...range, bytes: object.Size ?? 0, storedAt: object.LastModified?.getTime() ?? 0 })
      }
      return out
    },
    readBatch: (session, from, to) => get(folder(session) + batchName(from, to)),
    async putHeader(session, json) {
      await put(folder(session) + HEADER_NAME, json, 'application/json')
    },
    getHeader: (session) => get(folder(session) + HEADER_NAME),
    async putEnd(session, seq) {
      await put(folder(session) + END_NAME, JSON.stringify({ seq }), 'application/json')
    },
    getEnd: async (session) => parseEnd(await get(folder(session) + END_NAME)),
    async listSessions() {
      const byId = new Map<string, StoredSession>()
      for await (const object of objects(prefix)) {
        const rest = (object.Key ?? '').slice(prefix.length)
        const slash = rest.indexOf('/')
        if (slash === -1) continue
        const id = rest.slice(0, slash)
        if (!isSessionId(id) || !parseBatchName(rest.slice(slash + 1))) continue
        const at = object.LastModified?.getTime() ?? 0
        const s = byId.get(id) ?? { id, bytes: 0, batches: 0, firstStoredAt: Infinity, lastStoredAt: 0 }
        s.bytes += object.Size ?? 0
        s.batches++
        s.firstStoredAt = Math.min(s.firstStoredAt, at)
        s.lastStoredAt = Math.max(s.lastStoredAt, at)
        byId.set(id, s)
      }
      return [...byId.values()]
    },
    async deleteSession(session) {
      const keys: string[] = []
      for await (const object of objects(folder(session))) if (object.Key) keys.push(object.Key)
      await remove(keys)
      return keys.length > 0
    },
  }
}
