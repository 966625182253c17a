import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** The repository root (the package's directory). */
export const packageRoot = resolve(__dirname, '../..')

/**
 * `npm pack` of the built package into `dest`: the tarball users install. Returns its path and the
 * list of files it holds (`package/…`). Needs dist/ (`npm run build`; `npm test` builds first).
 */
export function packTarball(dest: string): { tarball: string; files: string[] } {
  if (!existsSync(join(packageRoot, 'dist/index.js'))) throw new Error('[redux-flight-recorder] expected the built package in dist/ before packing it, but dist/index.js is missing: run `npm run build` first (`npm test` does).')
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest, '--loglevel=error'], { cwd: packageRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const packed = JSON.parse(out)[0] as { filename: string; files: { path: string }[] }
  return { tarball: join(dest, packed.filename), files: packed.files.map((f) => `package/${f.path}`) }
}
