import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface TestServer {
  url: string
  /** Every request the server received, as `METHOD /path`. */
  requests: string[]
  close(): Promise<void>
}

/** A real HTTP server on 127.0.0.1 that records every request it receives. */
export async function startServer(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<TestServer> {
  const requests: string[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`)
      handler(req, body, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(value))
}

export const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms))

/**
 * Resolves once `holds(store.getState())` is true, checked now and after every dispatch: waits for
 * what the test needs instead of a fixed time. A deadline turns a hang into a failure that says what
 * it waited for and the state it saw.
 */
export function stateWhen<S>(store: { getState(): S; subscribe(listener: () => void): () => void }, holds: (state: S) => boolean, what: string, deadlineMs = 10_000): Promise<S> {
  return new Promise((resolve, reject) => {
    if (holds(store.getState())) return resolve(store.getState())
    const timer = setTimeout(() => {
      unsubscribe()
      reject(new Error(`[redux-flight-recorder] Expected ${what} within ${deadlineMs} ms, but the state is still ${JSON.stringify(store.getState())}.`))
    }, deadlineMs)
    const unsubscribe = store.subscribe(() => {
      if (!holds(store.getState())) return
      clearTimeout(timer)
      unsubscribe()
      resolve(store.getState())
    })
  })
}
