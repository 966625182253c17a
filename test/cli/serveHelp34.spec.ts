import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { run } from '../../src/cli/run'

// An acceptance run (session 34) gave `serve --ingest-key` a short key and learned of the minimum
// only from the refusal: the help now says it.

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const cwd = mkdtempSync(join(tmpdir(), 'fr-serve-help-'))
  const code = await run(args, { out: (t) => void out.push(t), err: (t) => void err.push(t), tty: false, columns: 100, cwd })
  return { code, out: out.join(''), err: err.join('') }
}

it("serve --help gives the ingest key's and the admin token's minimum length, which a shorter one is refused for", async () => {
  const help = await cli(['serve', '--help'])
  expect(help.code).toBe(0)
  const option = (name: string) => help.out.slice(help.out.indexOf(`  --${name} `)).split(/\n {2}--/)[0].replace(/\s+/g, ' ')
  expect(option('ingest-key')).toContain('at least 8 characters')
  expect(option('admin-token')).toContain('at least 8 characters')
  for (const name of ['ingest-key', 'admin-token']) {
    const refused = await cli(['serve', `--${name}`, 'short', '--port', '0'])
    expect(refused.code, name).toBe(2)
    expect(refused.err + refused.out).toContain(`--${name} must be at least 8 characters long.`)
  }
})
