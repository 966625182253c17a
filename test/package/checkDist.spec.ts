import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { waitForDist } from '../browser/harness'

// scripts/check-dist.mjs, npm's `prepack`: a tarball packed while dist/ was missing files (not
// built, or emptied by a build under way) installed and then failed with ERR_MODULE_NOT_FOUND.
const root = resolve(__dirname, '../..')
const script = join(root, 'scripts/check-dist.mjs')
let copy: string | undefined
afterEach(() => {
  if (copy) rmSync(copy, { recursive: true, force: true })
  copy = undefined
})

async function builtCopy(): Promise<string> {
  await waitForDist()
  copy = mkdtempSync(join(tmpdir(), 'rfr-check-dist-'))
  cpSync(join(root, 'package.json'), join(copy, 'package.json'))
  cpSync(join(root, 'dist'), join(copy, 'dist'), { recursive: true })
  return copy
}

const check = (dir: string, ...flags: string[]) => spawnSync(process.execPath, [script, '--root', dir, ...flags], { encoding: 'utf8' })

it('is the prepack script', async () => {
  const pkg = (await import('../../package.json')).default as { scripts: Record<string, string> }
  expect(pkg.scripts.prepack).toBe('node scripts/check-dist.mjs')
})

it('passes a complete build, following relative imports to the lazily loaded chunks', async () => {
  const dir = await builtCopy()
  // Silent by default: `npm pack --json` prints prepack's output on its own stdout.
  const quiet = check(dir)
  expect([quiet.status, quiet.stdout, quiet.stderr]).toEqual([0, '', ''])
  const ok = check(dir, '--verbose')
  expect(ok.status).toBe(0)
  // package.json names 9 entries × 2 formats × (module + types) and the CLI; the chunks come from imports.
  const files = Number(/^dist\/ is complete: (\d+) files checked\.\n$/.exec(ok.stdout)?.[1])
  expect(files).toBeGreaterThan(40)
})

it.each([['dist/index.js'], ['dist/state-json.js'], ['dist/panel-ui.cjs'], ['dist/replay.d.ts']])('refuses a build without %s, naming it', async (file) => {
  const dir = await builtCopy()
  rmSync(join(dir, file))
  const failed = check(dir)
  expect(failed.status).toBe(1)
  expect(failed.stderr).toContain(`${file} is missing`)
  expect(failed.stderr).toContain('Run `npm run build` and let it finish first.')
})

it('refuses an empty file', async () => {
  const dir = await builtCopy()
  writeFileSync(join(dir, 'dist/browser.js'), '')
  const failed = check(dir)
  expect(failed.status).toBe(1)
  expect(failed.stderr).toContain('dist/browser.js is empty')
})
