/**
 * A TypeScript project with `"module": "commonjs"` (the usual ts-jest setup) resolves packages the
 * old way (node10), without `exports`: before `typesVersions`, every subpath entry was TS2307
 * "Cannot find module 'redux-flight-recorder/testing'". A project beside the package, as a user's
 * node_modules holds it, type-checks an import of every entry. Checks the built dist/*.d.cts.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { requireDist } from '../node/helpers'

const root = join(import.meta.dirname, '../..')

beforeAll(() => requireDist())

it('every entry type-checks under "module": "commonjs" (node10 resolution)', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }
  const entries = Object.keys(pkg.exports).filter((k) => k !== './package.json')
  expect(entries.length).toBeGreaterThan(8)
  const dir = mkdtempSync(join(tmpdir(), 'fr-node10-'))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(root, join(dir, 'node_modules/redux-flight-recorder'), 'dir')
  const names = entries.map((e) => 'redux-flight-recorder' + e.slice(1))
  writeFileSync(join(dir, 'index.ts'), names.map((n, i) => `import * as e${i} from '${n}'\nexport const k${i}: string[] = Object.keys(e${i})\n`).join('') + "import { expectReplay } from 'redux-flight-recorder/testing'\nexport const f: typeof expectReplay = expectReplay\n")
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, esModuleInterop: true, typeRoots: [join(root, 'node_modules/@types')], types: ['node'] }, files: ['index.ts'] }))
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8', timeout: 240_000 })
  expect(r.stdout + r.stderr).toBe('')
  expect(r.status).toBe(0)
}, 240_000)
