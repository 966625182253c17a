// What README.md must be (issue 18): short, its supported versions those of package.json, and every
// store setup in README and docs/ written in the order that keeps TypeScript's middleware types.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { docFiles, fences } from '../../scripts/check-docs.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

describe('README.md', () => {
  it('is at most 10 KB', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(10 * 1024)
  })

  it('has the consumer install line and the two commands for this repository', () => {
    expect(readme).toContain('npm i redux-flight-recorder\n')
    expect(readme).toMatch(/npm install && npm run demo/)
    expect(readme).toMatch(/npm install && npm test/)
  })

  it('lists, under "Supported versions", every peer dependency with the range package.json gives it', () => {
    const table = /## Supported versions\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? ''
    const rows = table.split('\n').filter((l) => l.startsWith('| `'))
    for (const [name, range] of Object.entries(pkg.peerDependencies as Record<string, string>)) {
      if (name === 'fast-check') continue // an optional peer of one entry, named in the entry table
      const row = rows.find((l) => l.startsWith(`| \`${name}\` |`))?.replaceAll('\\|', '|')
      expect(row, `no row for ${name}`).toBeDefined()
      expect(row).toContain(`\`${range}\``)
    }
    expect(readme).toMatch(/Node 20 or later/)
    expect(pkg.engines.node).toBe('>=20')
  })

  it('says why `middleware` comes before `enhancers`', () => {
    expect(readme).toMatch(/Write `middleware` before `enhancers`: TypeScript infers/)
  })
})

describe('store setups in README.md and docs/', () => {
  it('put `middleware` before `enhancers` in every code block that has both (the other order loses the middleware types)', () => {
    const setups: string[] = []
    const wrong: string[] = []
    for (const doc of docFiles()) {
      for (const f of fences(readFileSync(join(root, doc), 'utf8'))) {
        const m = f.body.search(/\bmiddleware\s*:/)
        const e = f.body.search(/\benhancers\s*:/)
        if (m < 0 || e < 0) continue
        setups.push(`${doc}:${f.line}`)
        if (e < m) wrong.push(`${doc}:${f.line}`)
      }
    }
    expect(setups.length).toBeGreaterThanOrEqual(5)
    expect(setups.some((s) => s.startsWith('README.md:'))).toBe(true)
    expect(wrong).toEqual([])
  })
})
