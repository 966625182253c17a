/**
 * For RTK Query's infiniteQueries spec, which answers `fetch` with msw (`server.use(http.get(url,
 * resolver))`, `HttpResponse.json`): msw is not a dependency here, so this stands in for the part
 * the spec uses, the way msw does it in Node, by intercepting `fetch`. The spec's URLs
 * (https://example.com/…) cannot be reached from here; what it fetches goes through Redux Toolkit's
 * real `fetchBaseQuery`, `Request` and `Response`. As upstream's setup (`onUnhandledRequest: 'error'`),
 * a request no handler matches fails; handlers added with `server.use` are reset after each test.
 */
import { afterAll, afterEach, beforeAll, vi } from '../../harness'

type Resolver = (info: { request: Request }) => Response | Promise<Response>
interface Handler {
  method: string
  url: string
  resolver: Resolver
}

let handlers: Handler[] = []

export const http = {
  get: (url: string, resolver: Resolver): Handler => ({ method: 'GET', url, resolver }),
}

export const HttpResponse = {
  json: (body: unknown, init?: ResponseInit): Response =>
    new Response(JSON.stringify(body), { ...init, headers: { 'Content-Type': 'application/json', ...(init?.headers as Record<string, string>) } }),
}

export const server = {
  use: (...added: Handler[]): void => {
    // msw: handlers added later take precedence.
    handlers = [...added, ...handlers]
  },
}

async function interceptedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request && init === undefined ? input : new Request(input, init)
  const url = new URL(request.url)
  const handler = handlers.find((h) => h.method === request.method && h.url === `${url.origin}${url.pathname}`)
  if (!handler) throw new TypeError(`[msw stand-in] no handler for ${request.method} ${request.url} (onUnhandledRequest: 'error')`)
  return handler.resolver({ request })
}

beforeAll(() => {
  vi.stubGlobal('fetch', interceptedFetch)
})
afterEach(() => {
  handlers = []
})
afterAll(() => {
  vi.unstubAllGlobals()
})
