import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// Issue 15, case 7: tsc on consumer fixtures. test/types/consumer/ maps the package to src/ (the
// typings as written); test/types/consumer/built/* are projects that import the package by name
// through its `exports` map, so they check the built dist/*.d.ts and *.d.cts a user gets: the
// matcher augmentation in each form Vitest 4 and Jest 30 users write, and recordSession with a store
// factory that takes the recorder (ESM and CommonJS).
const root = fileURLToPath(new URL('../..', import.meta.url))
const consumer = join(root, 'test/types/consumer')
const built = join(consumer, 'built')
const tsc = (project: string) => spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: root, encoding: 'utf8', timeout: 240_000 })
const projects = readdirSync(built, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()

describe('consumer typings', () => {
  it('compile: Vitest 4 and Jest matcher augmentation, recordSession((rec) => makeStore(rec))', () => {
    const r = tsc(consumer)
    expect(r.stdout + r.stderr).toBe('')
    expect(r.status).toBe(0)
  }, 240_000)

  it('has the built-package projects', () => {
    expect(projects).toEqual([
      'jest-matchers',
      'jest-matchers-r',
      'record-session-cjs',
      'record-session-esm',
      'record-session-node16',
      'vitest-assertion',
      'vitest-assertion-no-default',
      'vitest-matchers',
    ])
  })

  it.each(projects)('compile against the built package: %s', (project) => {
    for (const file of ['dist/index.d.ts', 'dist/index.d.cts', 'dist/testing.d.ts', 'dist/testing.d.cts']) {
      if (!existsSync(join(root, file))) throw new Error(`${file} is missing: the built-package type fixtures check dist/. Run \`npm run build\` first.`)
    }
    const r = tsc(join(built, project))
    expect(r.stdout + r.stderr).toBe('')
    expect(r.status).toBe(0)
  }, 240_000)
})
