// s3Store under Jest (CommonJS, modules in a vm context without a dynamic-import callback): the
// collector's CommonJS build loads its optional peer `@aws-sdk/client-s3` on first use. With
// `import()` there, every call failed with "s3Store needs the AWS SDK v3 S3 client: install it"
// although the SDK was installed. A real S3-compatible server (s3rver) on 127.0.0.1.
const { mkdtempSync, rmSync } = require('node:fs')
const { tmpdir } = require('node:os')
const path = require('node:path')
const S3rver = require('s3rver')
const { CreateBucketCommand, S3Client } = require('@aws-sdk/client-s3')
const { s3Store } = require('redux-flight-recorder/collector')

const BUCKET = 'jest-sessions'
let server
let dir
let clientConfig

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rfr-jest-s3-'))
  server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true })
  const { port } = await server.run()
  clientConfig = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  }
  await new S3Client(clientConfig).send(new CreateBucketCommand({ Bucket: BUCKET }))
})

afterAll(async () => {
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

test('s3Store loads the AWS SDK it was not handed, and stores and reads a batch', async () => {
  const store = s3Store({ bucket: BUCKET, prefix: 'jest/', clientConfig })
  const session = 's-jest-1'
  const text = '{"seq":1,"kind":"a"}\n{"seq":2,"kind":"b"}\n'
  await expect(store.putBatch(session, 1, 2, text)).resolves.toBe('stored')
  await expect(store.readBatch(session, 1, 2)).resolves.toBe(text)
  const sessions = await store.listSessions()
  expect(sessions.map((s) => s.id)).toEqual([session])
  expect(sessions[0]).toMatchObject({ batches: 1, bytes: Buffer.byteLength(text) })
})
