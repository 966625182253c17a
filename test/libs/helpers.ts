import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApi, fetchBaseQuery } from '@reduxjs/toolkit/query'
import { afterAll, beforeAll } from 'vitest'

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

export interface Todo {
  id: number
  title: string
}

/**
 * A todo server on 127.0.0.1 for the file's tests (GET /todos, POST /todos adds one; started
 * before them, closed after) and the RTK Query api the RTK Query replay specs make over it:
 * `backend.todos` is what the server holds (a test sets it).
 */
export function todoBackend() {
  const backend = {
    todos: [] as Todo[],
    server: undefined as unknown as TestServer,
    makeApi: () =>
      createApi({
        reducerPath: 'api',
        baseQuery: fetchBaseQuery({ baseUrl: backend.server.url }),
        tagTypes: ['Todo'],
        endpoints: (b) => ({
          getTodos: b.query<Todo[], void>({ query: () => '/todos', providesTags: ['Todo'] }),
          addTodo: b.mutation<Todo, string>({ query: (title) => ({ url: '/todos', method: 'POST', body: { title } }), invalidatesTags: ['Todo'] }),
        }),
      }),
  }
  beforeAll(async () => {
    backend.server = await startServer((req, body, res) => {
      if (req.method === 'GET' && req.url === '/todos') return json(res, 200, backend.todos)
      if (req.method === 'POST' && req.url === '/todos') {
        const todo = { id: backend.todos.length + 1, title: JSON.parse(body).title }
        backend.todos.push(todo)
        return json(res, 201, todo)
      }
      json(res, 500, { error: 'unexpected' })
    })
  })
  afterAll(() => backend.server.close())
  return backend
}
