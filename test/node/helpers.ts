import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const FIXTURES = join(ROOT, 'test/fixtures/cli')
export const CHILD = join(FIXTURES, 'recordChild.mjs')
export const TODO_STORE = join(FIXTURES, 'todoStore.mjs')
export const CLI = join(ROOT, 'dist/cli.js')

/**
 * Child programs import the built package (dist/); `npm test` builds it first. A build running at
 * the same moment (tsup empties dist/ first) gets a minute to finish.
 */
export async function requireDist(): Promise<void> {
  const files = ['dist/index.js', 'dist/node.js', 'dist/cli.js'].map((f) => join(ROOT, f))
  for (let waited = 0; !files.every((f) => existsSync(f)); waited += 250) {
    if (waited >= 60_000) {
      const missing = files.filter((f) => !existsSync(f)).map((f) => f.slice(ROOT.length + 1))
      throw new Error(`${missing.join(', ')} missing: run \`npm run build\` first (npm test does).`)
    }
    await sleep(250)
  }
}

/**
 * A project of its own for running a real `vitest` (e.g. `vitest run -u`) on the built package: a
 * temporary folder whose node_modules link this package and `deps` from ours, an ES module package.
 */
export function vitestProject(prefix: string, deps: string[] = ['vitest', 'redux', '@reduxjs/toolkit']): string {
  const project = tempDir(prefix)
  mkdirSync(join(project, 'node_modules/@reduxjs'), { recursive: true })
  symlinkSync(ROOT, join(project, 'node_modules/redux-flight-recorder'))
  for (const dep of deps) symlinkSync(join(ROOT, 'node_modules', dep), join(project, 'node_modules', dep))
  writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n')
  return project
}

/**
 * Runs `vitest run -u` on `<project>/<name>/` (a `vitestProject`) holding the log `[file, text]`
 * and the test `[file, source]`: its exit, its output, and the log file afterwards.
 */
export function vitestUpdate(project: string, name: string, log: [string, string], test: [string, string], env: Record<string, string> = {}): { code: number | null; out: string; after: string } {
  const dir = join(project, name)
  mkdirSync(dir)
  const file = join(dir, log[0])
  writeFileSync(file, log[1])
  writeFileSync(join(dir, test[0]), test[1])
  const r = runNode(join(ROOT, 'node_modules/vitest/vitest.mjs'), ['run', '--root', project, `${name}/`, '-u'], { cwd: project, env })
  return { code: r.code, out: r.stdout + r.stderr, after: readFileSync(file, 'utf8') }
}

export function tempDir(prefix = 'fr-node-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface Child {
  proc: ChildProcess
  stdout: () => string
  stderr: () => string
  /** Resolves when stdout has printed a line matching `pattern`. */
  waitFor(pattern: RegExp | ((text: string) => boolean)): Promise<void>
  exited: Promise<Exit>
}

/** Starts `node file` with extra environment variables; stdout/stderr are collected. */
export function startChild(file: string, env: Record<string, string | undefined>, args: string[] = []): Child {
  const proc = spawn(process.execPath, [file, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  const waiters: { test: (t: string) => boolean; resolve: () => void }[] = []
  proc.stdout!.setEncoding('utf8')
  proc.stderr!.setEncoding('utf8')
  proc.stdout!.on('data', (d: string) => {
    out += d
    for (const w of [...waiters]) {
      if (w.test(out)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
    }
  })
  proc.stderr!.on('data', (d: string) => (err += d))
  const exited = new Promise<Exit>((resolve) => {
    proc.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err }))
  })
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern) {
      const test = typeof pattern === 'function' ? pattern : (t: string) => pattern.test(t)
      if (test(out)) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        waiters.push({ test, resolve })
        void exited.then((e) => reject(new Error(`The child exited (code ${e.code}, signal ${e.signal}) before printing ${String(pattern)}.\nstdout: ${e.stdout}\nstderr: ${e.stderr}`)))
      })
    },
    exited,
  }
}

/** Runs `node file args…` to completion. */
export function runNode(file: string, args: string[], opts: { env?: Record<string, string>; cwd?: string; input?: string } = {}): Exit {
  const r = spawnSync(process.execPath, [file, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...opts.env },
    encoding: 'utf8',
    input: opts.input,
    timeout: 60_000,
  })
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }
}

/** Every `*.jsonl` in a directory, oldest rotation first (`a.jsonl`, `a.1.jsonl`, `a.2.jsonl`…). */
export function logFiles(dir: string): string[] {
  const index = (name: string) => Number(/\.(\d+)\.jsonl$/.exec(name)?.[1] ?? 0)
  return readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort((a, b) => index(a) - index(b))
    .map((n) => join(dir, n))
}

/**
 * Makes a directory and the files in it unwritable, for real, also for root (the tests run as
 * root in CI containers, where chmod does not stop anything). Returns how it did it and a restore
 * function. In order of preference:
 * - not root: chmod the directory 0555 and its files 0444;
 * - root: `chattr +i` (immutable) on the files and the directory, which stops root too;
 * - root without chattr: the directory is moved aside and a regular file takes its place, so
 *   every open under the path fails with ENOTDIR; restoring moves it back.
 */
export function makeUnwritable(dir: string): { how: string; restore: () => void } {
  const files = readdirSync(dir).map((n) => join(dir, n))
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    for (const f of files) chmodSync(f, 0o444)
    chmodSync(dir, 0o555)
    return {
      how: 'chmod 0555 directory, 0444 files',
      restore: () => {
        chmodSync(dir, 0o755)
        for (const f of files) chmodSync(f, 0o644)
      },
    }
  }
  const chattr = (flag: string, paths: string[]) => spawnSync('chattr', [flag, ...paths], { encoding: 'utf8' })
  const on = chattr('+i', [...files, dir])
  if (on.status === 0) {
    return { how: 'chattr +i on the directory and its files (root)', restore: () => void chattr('-i', [dir, ...files]) }
  }
  chattr('-i', [dir, ...files])
  const aside = `${dir}.aside`
  renameSync(dir, aside)
  writeFileSync(dir, 'not a directory\n')
  return {
    how: 'directory replaced by a regular file (root without chattr): ENOTDIR',
    restore: () => {
      rmSync(dir)
      renameSync(aside, dir)
    },
  }
}

export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
