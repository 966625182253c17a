import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { SERVER_OPTIONS } from '../../src/cli/serve'

describe('flight-recorder serve: timeouts', () => {
  it('checks requestTimeout and headersTimeout every second, so they hold as documented (30 s, 10 s)', () => {
    // Before the fix Node's default 30 s check interval made a slow body's 408 come after 57.6 s
    // and slow headers' after 27.7 s. (The interval itself is what is checked: no clocks here.)
    expect(SERVER_OPTIONS).toMatchObject({ requestTimeout: 30_000, headersTimeout: 10_000 })
    expect(SERVER_OPTIONS.connectionsCheckingInterval).toBeLessThanOrEqual(1_000)
    // Node takes the options as given.
    const server = createServer(SERVER_OPTIONS)
    expect(server.requestTimeout).toBe(30_000)
    expect(server.headersTimeout).toBe(10_000)
    server.close()
  })
})
