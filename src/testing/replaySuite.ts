import { readdirSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import type { ReplayOptions } from 'redux-flight-recorder'
import { expectReplayFile } from './expectReplay'

type TestFn = (name: string, fn: () => Promise<unknown>, timeout?: number) => unknown

export interface ReplaySuiteOptions extends ReplayOptions {
  /**
   * The test function to declare with (`it` or `test` from your runner). Defaults to the global
   * `test`/`it` (Jest, or Vitest with `globals: true`).
   */
  test?: TestFn
  /** Per-test timeout in milliseconds, passed to the test function. */
  timeout?: number
  /** Base directory for globs. @default process.cwd() */
  cwd?: string
}

function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*'
        i += glob[i + 2] === '/' ? 2 : 1
      } else re += '[^/]*'
    } else if (c === '?') re += '[^/]'
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

function expand(pattern: string, cwd: string): string[] {
  if (!/[*?]/.test(pattern)) return [resolve(cwd, pattern)]
  const parts = pattern.split('/')
  const fixed: string[] = []
  while (parts.length > 1 && !/[*?]/.test(parts[0])) fixed.push(parts.shift()!)
  const base = resolve(cwd, fixed.join('/') || '.')
  const matcher = globToRegExp(parts.join('/'))
  const out: string[] = []
  const walk = (dir: string) => {
    let names: string[]
    try {
      names = readdirSync(dir).sort()
    } catch {
      return
    }
    for (const name of names) {
      const full = join(dir, name)
      if (name === 'node_modules' || name.startsWith('.')) continue
      if (statSync(full).isDirectory()) walk(full)
      else if (matcher.test(relative(base, full).split(sep).join('/'))) out.push(full)
    }
  }
  walk(base)
  return out
}

/**
 * Declares one test per log file, so a corpus of recorded sessions runs across the runner's
 * workers and shards across machines (`vitest --shard`). Returns the files found.
 *
 * @example
 * import { it } from 'vitest'
 * replaySuite('test/sessions/*.jsonl', { reducer, test: it })
 */
export function replaySuite(globOrFiles: string | string[], options: ReplaySuiteOptions): string[] {
  const patterns = typeof globOrFiles === 'string' ? [globOrFiles] : globOrFiles
  if (!Array.isArray(patterns) || patterns.some((p) => typeof p !== 'string')) {
    throw new TypeError('[redux-flight-recorder] Expected replaySuite to receive a glob or an array of file paths.')
  }
  const g = globalThis as { test?: TestFn; it?: TestFn }
  const test = options.test ?? g.test ?? g.it
  if (typeof test !== 'function') {
    throw new TypeError('[redux-flight-recorder] replaySuite needs a test function: pass `test: it` from your runner (Vitest without `globals: true` has no global `it`).')
  }
  const cwd = options.cwd ?? process.cwd()
  const files = [...new Set(patterns.flatMap((p) => expand(p, cwd)))]
  if (files.length === 0) {
    throw new Error(`[redux-flight-recorder] replaySuite found no log files for ${patterns.join(', ')} (from ${cwd}).`)
  }
  const { test: _t, timeout, cwd: _c, ...replayOptions } = options
  for (const file of files) {
    test(`replays ${relative(cwd, file).split(sep).join('/')}`, () => expectReplayFile(file, replayOptions), timeout)
  }
  return files
}
