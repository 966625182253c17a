// docs/getting-started.md followed literally, as a newcomer would, in a fresh project outside the
// repository: the package as `npm pack` makes it (the tarball npm would serve), installed with the
// page's own `npm i` lines; the files the page shows written as it names them; its `sh` lines run in
// order; its `diff` applied; its `console` and `jsonl` blocks compared with what really came out.
// What the page promises in prose (inspect's summary, a passing test, a failing one) is asserted
// step by step.
//
// Two deliberate departures, neither changing what a reader gets: `npm i redux-flight-recorder`
// installs the packed tarball, and the other packages the page names are pinned to the versions this
// repository tests with (its node_modules), installed --prefer-offline, so the test does not change
// with each upstream release (scripts/test-peers.mjs covers the newest and oldest Redux releases).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extractBlocks, fences, type Fence } from '../../scripts/check-docs.mjs'
import { packTarball, packageRoot } from '../helpers/pack'

const PAGE = 'docs/getting-started.md'
const text = readFileSync(join(packageRoot, PAGE), 'utf8')
const all = fences(text)
const checked = extractBlocks(PAGE, text)

/** The blocks under the heading `## n. …`. */
function section(n: number): Fence[] {
  const start = text.indexOf(`\n## ${n}. `)
  if (start < 0) throw new Error(`[redux-flight-recorder] expected ${PAGE} to have a heading "## ${n}. …", but it has none.`)
  const next = text.indexOf('\n## ', start + 1)
  const line = (offset: number) => text.slice(0, offset).split('\n').length
  const from = line(start)
  const to = next < 0 ? Infinity : line(next)
  return all.filter((f) => f.line > from && f.line < to)
}

/** The file a ts block is saved as: its `file=` name, or the name its first line gives (`// todos.test.ts`). */
function fileOf(f: Fence): string | undefined {
  const named = checked.find((b) => b.line === f.line)?.file
  return named ?? /^\/\/ ([\w.-]+\.tsx?)\s*$/.exec(f.body.split('\n')[0])?.[1]
}

let work: string
let project: string
let tarball: string
/** Every command run so far, with what it printed (ANSI colours removed) and its exit status. */
const ran: { cmd: string; status: number | null; out: string }[] = []

/** The environment of a newcomer's shell: none of the outer Vitest's variables, no colours. */
function shellEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|VITE_|TSX_|NODE_OPTIONS$|NODE_ENV$|TEST$|FORCE_COLOR$)/.test(k)) env[k] = v
  return { ...env, NO_COLOR: '1' }
}

/** The installed version of a package in this repository, to pin the scratch project's install to it. */
function repoVersion(name: string): string {
  return JSON.parse(readFileSync(join(packageRoot, 'node_modules', name, 'package.json'), 'utf8')).version
}

/** An `npm i` line of the page, with the package resolved to the tarball and the others pinned. */
function installLine(line: string): string {
  const words = line.split(/\s+/)
  if (words[0] !== 'npm' || !['i', 'install'].includes(words[1])) return line
  const args = words.slice(2).map((w) => (w.startsWith('-') ? w : w === 'redux-flight-recorder' ? tarball : `${w.replace(/(.)@.*$/, '$1')}@${repoVersion(w.replace(/(.)@.*$/, '$1'))}`))
  return ['npm', 'i', ...args, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'].join(' ')
}

/** Runs every line of an `sh` block in the project, in order, as a shell would (comments and `&&` included). */
function runShell(block: Fence) {
  for (const line of block.body.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'))) {
    const cmd = line.split(' && ').map(installLine).join(' && ')
    const r = spawnSync('sh', ['-c', cmd], { cwd: project, env: shellEnv(), encoding: 'utf8', timeout: 180_000 })
    ran.push({ cmd: line, status: r.status, out: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') })
  }
}
const last = () => ran.at(-1)!

/** Applies a `diff` block of the page to `file` (context and `-` lines replaced by context and `+` lines). */
function applyDiff(file: string, diff: string, reverse = false) {
  const lines = diff.split('\n')
  const side = (keep: string) => lines.filter((l) => l[0] === ' ' || l[0] === keep).map((l) => l.slice(1)).join('\n')
  const [from, to] = reverse ? [side('+'), side('-')] : [side('-'), side('+')]
  const path = join(project, file)
  const source = readFileSync(path, 'utf8')
  if (!source.includes(from)) throw new Error(`[redux-flight-recorder] expected ${file} to contain the lines the page's diff changes:\n${from}\nbut it does not:\n${source}`)
  writeFileSync(path, source.replace(from, to))
}

/** Writes the page's named ts blocks of a section into the project. Returns the names written. */
function writeFiles(blocks: Fence[], filter: (f: Fence) => boolean = () => true): string[] {
  const written = []
  for (const f of blocks.filter((b) => b.lang === 'ts' && filter(b))) {
    const file = fileOf(f)
    if (!file) throw new Error(`[redux-flight-recorder] expected the ts block at ${PAGE}:${f.line} to name its file (file=… or a first line \`// name.ts\`), but it names none.`)
    writeFileSync(join(project, file), `${f.body}\n`)
    written.push(file)
  }
  return written
}

/** Session ids and timestamps vary from run to run; everything else of a report must be as printed. */
const normalize = (s: string) =>
  s
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<session>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'rfr-getting-started-'))
  tarball = packTarball(work).tarball
  // "Follow it in an empty directory".
  project = join(work, 'my-app')
  mkdirSync(project)
}, 120_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe(`${PAGE}, followed literally in an empty directory`, () => {
  it('1. Install: the page\'s npm lines make an ESM project with the package, Redux Toolkit, Vitest, tsx and TypeScript', () => {
    const blocks = section(1)
    expect(blocks.map((b) => b.lang)).toEqual(['sh'])
    runShell(blocks[0])
    for (const r of ran) expect(r.status, `\`${r.cmd}\` failed:\n${r.out}`).toBe(0)
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'))
    expect(pkg.type).toBe('module')
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@reduxjs/toolkit', 'redux-flight-recorder'])
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['tsx', 'typescript', 'vitest'])
    // The package installed is the packed one, not a link to the repository.
    expect(pkg.dependencies['redux-flight-recorder']).toMatch(/^file:.*\.tgz$/)
    expect(existsSync(join(project, 'node_modules/redux-flight-recorder/dist/index.js'))).toBe(true)
    // "`redux` comes with `@reduxjs/toolkit`".
    expect(existsSync(join(project, 'node_modules/redux/package.json'))).toBe(true)
  }, 300_000)

  it('2–3. A store, a recorded session: `npx tsx record-session.ts` writes sessions/first.jsonl and `inspect` summarises it as the page says', () => {
    expect(writeFiles(section(2))).toEqual(['todos.ts'])
    const blocks = section(3)
    expect(writeFiles(blocks)).toEqual(['record-session.ts'])
    const commands = blocks.filter((b) => b.lang === 'sh')
    expect(commands).toHaveLength(1)
    runShell(commands[0])
    const [record, inspect] = ran.slice(-2)
    expect(record.cmd).toBe('npx tsx record-session.ts')
    expect(record.status, record.out).toBe(0)
    expect(inspect.cmd).toBe('npx flight-recorder inspect sessions/first.jsonl')
    expect(inspect.status, inspect.out).toBe(0)
    // "its session id, 5 actions in 5 turns, the action types, and that it ended cleanly".
    const session = JSON.parse(readFileSync(join(project, 'sessions/first.jsonl'), 'utf8').split('\n')[0]).session
    expect(inspect.out).toMatch(new RegExp(`session\\s+${session}`))
    expect(inspect.out).toMatch(/5 actions in 5 turns/)
    expect(inspect.out).toMatch(/ended\s+cleanly/)
    expect(inspect.out).toMatch(/3\s+todos\/toggled/)
    expect(inspect.out).toMatch(/2\s+todos\/added/)
  }, 120_000)

  it('3. the log holds the lines the page shows: the same keys in the same order, the same hashes and states', () => {
    const shown = section(3).filter((b) => b.lang === 'jsonl')
    expect(shown).toHaveLength(1)
    const written = readFileSync(join(project, 'sessions/first.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    const lines = shown[0].body.split('\n').filter((l) => l.trim() !== '…')
    expect(lines).toHaveLength(3)
    // The page shows the first two lines and the last; times vary, `…` stands for any value.
    const actual = [written[0], written[1], written.at(-1)]
    const varying = new Set(['ts', 't'])
    lines.forEach((line, i) => {
      const page = JSON.parse(line)
      expect(Object.keys(actual[i]), `line ${i + 1} of the page's jsonl block`).toEqual(Object.keys(page))
      for (const [k, v] of Object.entries(page)) {
        if (varying.has(k) || (typeof v === 'string' && v.includes('…'))) continue
        expect([k, actual[i][k]]).toEqual([k, v])
      }
    })
    expect(written).toHaveLength(7) // header, five actions, @@end
  })

  it('4. Make it a test: `tsc --init` and `tsc --noEmit` pass with TypeScript\'s defaults, and `npx vitest run` passes', () => {
    const blocks = section(4)
    expect(writeFiles(blocks)).toEqual(['todos.test.ts'])
    const before = ran.length
    runShell(blocks.find((b) => b.lang === 'sh')!)
    const steps = ran.slice(before)
    expect(steps.map((s) => s.cmd.split('#')[0].trim())).toEqual(['npx tsc --init', 'npx tsc --noEmit', 'npx vitest run'])
    for (const s of steps) expect(s.status, `\`${s.cmd}\` failed:\n${s.out}`).toBe(0)
    expect(existsSync(join(project, 'tsconfig.json'))).toBe(true)
    expect(last().out).toMatch(/Tests\s+1 passed \(1\)/)
  }, 180_000)

  it('5. Break the reducer: after the page\'s diff, `npx vitest run` fails with the divergence report the page prints', () => {
    const blocks = section(5)
    const diff = blocks.find((b) => b.lang === 'diff')!
    const file = /Change `([\w.-]+)`/.exec(diff.before)?.[1]
    expect(file).toBe('todos.ts')
    applyDiff(file!, diff.body)
    runShell(blocks.find((b) => b.lang === 'sh')!)
    expect(last().cmd).toBe('npx vitest run')
    expect(last().status).not.toBe(0)
    expect(last().out).toMatch(/Tests\s+1 failed \(1\)/)
    // The report as printed, line for line (session id and time aside), hashes included.
    const report = blocks.find((b) => b.lang === 'console')!.body.trim().split('\n').map(normalize)
    const out = normalize(last().out).split('\n')
    const at = out.findIndex((l) => l.trim() === report[0].trim())
    expect(at, `the output has no line "${report[0]}":\n${last().out}`).toBeGreaterThanOrEqual(0)
    expect(out.slice(at, at + report.length).map((l) => l.trimEnd())).toEqual(report.map((l) => l.trimEnd()))
  }, 120_000)

  it('5. "Undo the change and the test passes again"; the regression test the page shows fails at seq 3, and only it', () => {
    const blocks = section(5)
    applyDiff('todos.ts', blocks.find((b) => b.lang === 'diff')!.body, true)
    expect(writeFiles(blocks, (b) => b.info.includes('expect-fail'))).toEqual(['todos-regression.test.ts'])
    runShell({ lang: 'sh', info: [], body: 'npx vitest run', line: 0, before: '' })
    const out = last().out
    expect(last().status).not.toBe(0)
    expect(out).toMatch(/Tests\s+1 failed \| 1 passed \(2\)/)
    expect(out).toMatch(/FAIL\s+todos-regression\.test\.ts/)
    expect(out).not.toMatch(/FAIL\s+todos\.test\.ts/)
    // "throws a report like the one above, at seq 3".
    expect(out).toMatch(/Replay diverged at seq 3 \(turn t3\), action 'todos\/toggled'/)
    expect(out).toMatch(/todos\.0\.done: false → true/)
  }, 120_000)

  it('every block of the page was followed: each sh, ts, diff, console and jsonl block belongs to a numbered step', () => {
    const followed = [1, 2, 3, 4, 5].flatMap((n) => section(n).map((b) => b.line))
    const steps = all.filter((b) => ['sh', 'ts', 'diff', 'console', 'jsonl'].includes(b.lang))
    expect(steps.map((b) => b.line)).toEqual(followed)
  })
})
