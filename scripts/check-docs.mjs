#!/usr/bin/env node
/**
 * The docs check: every ```ts, ```tsx and ```js block of README.md and docs/**\/*.md is type-checked
 * against the BUILT package and, unless marked otherwise, run.
 *
 * The blocks are written to a scratch directory `.docs-check/` inside the repository, next to a
 * `node_modules/redux-flight-recorder` link to the repository itself, so `redux-flight-recorder/...`
 * resolves through package.json `exports` to dist/ exactly as in a consumer's project (TypeScript,
 * Node, tsx and Vitest alike); every other package resolves from the repository's node_modules.
 *
 * Conventions, in the block's info string (see docs/CONTRIBUTING.md, "Code blocks in the docs"):
 *   ```ts                type-checked, then run with Node (through tsx); the runnable blocks of one page run
 *                        in order in one fresh temp directory, as a reader following the page would
 *   ```ts no-run         type-checked only (browser code, servers, code that needs your files)
 *   ```ts file=todos.ts  a module other blocks import as './todos'; type-checked, not run
 *   a block that imports from 'vitest' is run as a Vitest test file (one Vitest process for all)
 *   ```ts expect-fail    (with a Vitest block) its test must FAIL: it shows a regression being caught
 *   ```console output    right after a runnable block: what it prints, compared (session ids and times aside)
 * Other languages (sh, console, jsonl, json, text) are not checked.
 *
 *   node scripts/check-docs.mjs          # after `npm run build`; prints one line per block, exit 1 on failure
 *   node scripts/check-docs.mjs docs/getting-started.md   # one page's blocks only
 *   node scripts/check-docs.mjs --types-only              # type-check, run nothing
 *
 * test/docs/codeBlocks.spec.ts runs the same checks as one Vitest test per block, so `npm test`
 * (and .ci/run) count them.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const scratch = join(root, '.docs-check')
const CHECKED = new Set(['ts', 'tsx', 'js', 'mjs'])
const FLAGS = new Set(['no-run', 'expect-fail'])

/**
 * Pages another lane owns whose blocks are not checkable yet, each with the reason. Keep this empty:
 * a page listed here is a page whose examples can drift.
 */
export const NOT_CHECKED = {}

/** The markdown files whose code blocks are checked: README.md and docs/ (recursively). */
export function docFiles() {
  const files = ['README.md']
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const p = `${dir}/${e.name}`
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.md')) files.push(p)
    }
  }
  walk('docs')
  return files.filter((f) => !(f in NOT_CHECKED))
}

/**
 * @typedef {{ doc: string, line: number, lang: string, flags: string[], file?: string, code: string,
 *   id: string, path: string, vitest: boolean, run: boolean, expectFail: boolean }} Block
 */

/**
 * Every fenced block of one markdown text, in any language, in order: its language, the words of its
 * info string after the language, its body (the fence's indentation removed), the line of its opening
 * fence (1-based) and the prose since the previous block (`before`). test/docs/gettingStarted.spec.ts
 * follows a page through these (the `sh` blocks it runs, the `diff` it applies, the `console` and
 * `jsonl` blocks it compares).
 */
export function fences(text) {
  const found = []
  const lines = text.split('\n')
  let prose = 0
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+)\s*([\w-]*)\s*(.*)$/.exec(lines[i])
    if (!open) continue
    const [, indent, fence, lang, rest] = open
    let j = i + 1
    while (j < lines.length && !lines[j].startsWith(`${indent}${fence}`)) j++
    const body = lines.slice(i + 1, j).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
    found.push({ lang, info: rest.split(/\s+/).filter(Boolean), body: body.join('\n'), line: i + 1, before: lines.slice(prose, i).join('\n') })
    i = j
    prose = j + 1
  }
  return found
}

/** Extracts the checked blocks of one markdown text. Throws on an unknown flag (a typo must not skip a check). */
export function extractBlocks(doc, text) {
  const blocks = []
  for (const { lang, info: words, body: code, line } of fences(text)) {
    if (lang === 'console' && words.includes('output')) {
      // What the runnable block just above prints: compared with its real output when it runs.
      const prev = blocks.at(-1)
      if (!prev || !prev.run || prev.vitest || prev.line > line || prev.expectedOutput !== undefined) throw new Error(`[redux-flight-recorder] ${doc}:${line}: expected a \`console output\` block to follow a runnable (not Vitest) ts/js block whose output it shows, but ${prev ? `the block before it (line ${prev.line}) is not one, or has its output already` : 'no checked block comes before it'}.`)
      prev.expectedOutput = code
      continue
    }
    if (!CHECKED.has(lang)) continue
    const file = words.find((w) => w.startsWith('file='))?.slice('file='.length)
    const flags = words.filter((w) => !w.startsWith('file='))
    for (const f of flags) {
      if (!FLAGS.has(f)) throw new Error(`[redux-flight-recorder] ${doc}:${line}: expected a code block flag among ${[...FLAGS].join(', ')} or file=<name>, but found '${f}'.`)
    }
    const vitest = /from ['"]vitest['"]/.test(code)
    const ext = lang === 'tsx' ? 'tsx' : lang === 'js' || lang === 'mjs' ? 'mjs' : 'ts'
    const id = `${doc.replace(/[^\w]+/g, '_')}_L${line}`
    const path = file ?? `${id}${vitest ? '.test' : ''}.${ext}`
    blocks.push({
      doc,
      line,
      lang,
      flags,
      file,
      code,
      id,
      path,
      vitest,
      run: !file && !flags.includes('no-run'),
      expectFail: flags.includes('expect-fail'),
    })
  }
  return blocks
}

export function allBlocks() {
  const blocks = docFiles().flatMap((doc) => extractBlocks(doc, readFileSync(join(root, doc), 'utf8')))
  const named = new Map()
  for (const b of blocks.filter((b) => b.file)) {
    if (named.has(b.file)) throw new Error(`[redux-flight-recorder] ${b.doc}:${b.line}: expected one block named file=${b.file}, but ${named.get(b.file)} names it too.`)
    named.set(b.file, `${b.doc}:${b.line}`)
  }
  for (const b of blocks) {
    if (b.expectFail && !b.vitest) throw new Error(`[redux-flight-recorder] ${b.doc}:${b.line}: \`expect-fail\` applies to a Vitest block (one that imports from 'vitest').`)
  }
  return blocks
}

/** Writes the scratch project: the blocks, a tsconfig, a Vitest config and the package link. */
export function prepare(blocks) {
  if (!existsSync(join(root, 'dist', 'index.d.ts'))) {
    throw new Error('[redux-flight-recorder] The docs check needs the built package: expected dist/index.d.ts, run `npm run build` first.')
  }
  rmSync(scratch, { recursive: true, force: true })
  mkdirSync(join(scratch, 'node_modules'), { recursive: true })
  symlinkSync(root, join(scratch, 'node_modules', 'redux-flight-recorder'), 'dir')
  for (const b of blocks) {
    // A block with no import or export is a script; make it a module so names do not clash across blocks.
    const isModule = /^\s*(import|export)\s/m.test(b.code)
    writeFileSync(join(scratch, b.path), `${b.code}\n${isModule ? '' : 'export {}\n'}`)
  }
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
          strict: true,
          noEmit: true,
          allowJs: true,
          checkJs: true,
          jsx: 'react-jsx',
          esModuleInterop: true,
          skipLibCheck: true,
          allowImportingTsExtensions: true,
        },
        include: ['*.ts', '*.tsx'],
      },
      null,
      2,
    ),
  )
  // JavaScript blocks (the fr64 reference code in FORMAT.md, `.mjs` examples) are checked as
  // JavaScript: every name and every call of the package's API, without demanding annotations.
  writeFileSync(
    join(scratch, 'tsconfig.js.json'),
    JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noImplicitAny: false }, include: ['*.mjs'] }, null, 2),
  )
  writeFileSync(
    join(scratch, 'vitest.config.mjs'),
    `export default { test: { include: ['*.test.ts'], testTimeout: 30000, root: ${JSON.stringify(scratch)} } }\n`,
  )
}

function exec(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (c) => (out += c))
    child.stderr.on('data', (c) => (out += c))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, out })
    })
  })
}

/** `tsc` over the TypeScript blocks and over the JavaScript ones; the diagnostics by block path ('' when it type-checks). */
export async function typecheck(blocks) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  const runs = [await exec(process.execPath, [tsc, '-p', join(scratch, 'tsconfig.json'), '--pretty', 'false'], { cwd: scratch, timeoutMs: 180_000 })]
  if (blocks.some((b) => b.path.endsWith('.mjs'))) runs.push(await exec(process.execPath, [tsc, '-p', join(scratch, 'tsconfig.js.json'), '--pretty', 'false'], { cwd: scratch, timeoutMs: 180_000 }))
  const r = { code: runs.some((x) => x.code !== 0) ? 2 : 0, out: runs.map((x) => x.out).join('\n') }
  const byPath = new Map(blocks.map((b) => [b.path, []]))
  const other = []
  for (const line of r.out.split('\n').filter(Boolean)) {
    const m = /^(.+?)\((\d+),(\d+)\): (error .*)$/.exec(line)
    const list = m && byPath.get(m[1])
    if (list) list.push(`line ${m[2]} of the block: ${m[4]}`)
    else if (line.trim()) other.push(line)
  }
  if (r.code !== 0 && [...byPath.values()].every((l) => l.length === 0)) {
    throw new Error(`[redux-flight-recorder] tsc failed outside the doc blocks (exit ${r.code}):\n${other.join('\n') || r.out}`)
  }
  return new Map([...byPath].map(([p, l]) => [p, l.join('\n')]))
}

/** Output compared without what changes from run to run: session ids and timestamps. */
export const normalizeOutput = (text) =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<session>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim()

/** Runs one plain block with Node through tsx, in `cwd` (its page's work directory); with a `console output` block after it, its output must be that. */
export async function runBlock(block, cwd) {
  const r = await exec(process.execPath, ['--import', import.meta.resolve('tsx'), join(scratch, block.path)], {
    cwd,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(scratch, 'tsconfig.json'), NODE_ENV: 'development' },
    timeoutMs: 60_000,
  })
  if (r.code === 0 && block.expectedOutput !== undefined && normalizeOutput(r.out) !== normalizeOutput(block.expectedOutput)) {
    return { ok: false, output: `expected the block to print what the \`console output\` block after it shows (session ids and times aside):\n${block.expectedOutput}\nbut it printed:\n${r.out}` }
  }
  return { ok: r.code === 0, output: r.signal ? `killed by ${r.signal} after 60 s (the block did not end)\n${r.out}` : r.out }
}

/** One Vitest process over the given Vitest blocks, in `cwd`; returns { ok, output } by block path. */
export async function runVitestBlocks(blocks, cwd) {
  const report = join(cwd, '.vitest-docs.json')
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs')
  const r = await exec(
    process.execPath,
    [vitest, 'run', '--config', join(scratch, 'vitest.config.mjs'), '--reporter=json', `--outputFile=${report}`, ...blocks.map((b) => b.path)],
    { cwd, env: { ...process.env, TSX_TSCONFIG_PATH: join(scratch, 'tsconfig.json') }, timeoutMs: 240_000 },
  )
  const results = new Map()
  const json = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : { testResults: [] }
  for (const b of blocks) {
    const file = json.testResults.find((f) => relative(scratch, f.name) === b.path)
    if (!file) {
      results.set(b.path, { ok: false, output: `Vitest gave no result for this block (exit ${r.code}):\n${r.out}` })
      continue
    }
    const tests = file.assertionResults ?? []
    const passed = tests.filter((t) => t.status === 'passed').length
    const failed = tests.filter((t) => t.status === 'failed').length
    const output = tests.flatMap((t) => t.failureMessages ?? []).join('\n') || file.message || ''
    results.set(b.path, judgeVitest(b, { passed, failed, total: tests.length, output }))
  }
  return results
}

/** A Vitest block passes when it declared tests and all passed; an `expect-fail` one when all failed. */
export function judgeVitest(block, r) {
  if (!r.total) return { ok: false, output: `the block declared no test that ran.\n${r.output}` }
  if (block.expectFail) {
    // It must fail for the reason it shows: a replay that diverged, not a typo or a missing file.
    if (r.failed === r.total && /Replay diverged at seq \d+/.test(r.output)) return { ok: true, output: r.output }
    return { ok: false, output: `expected every test of this \`expect-fail\` block to fail with a divergence report ("Replay diverged at seq …"), but ${r.passed} of ${r.total} passed and the failures said:\n${r.output}` }
  }
  return r.failed === 0 ? { ok: true, output: '' } : { ok: false, output: r.output }
}

/**
 * Runs the runnable blocks of one page in one fresh work directory, as a reader following the page
 * would: the plain blocks in document order, then its Vitest blocks (so a test can read the file a
 * block before it recorded). Returns { ok, output } by block path.
 */
export async function runPage(blocks) {
  const cwd = mkdtempSync(join(tmpdir(), 'rfr-docs-'))
  const results = new Map()
  try {
    for (const b of blocks.filter((b) => b.run && !b.vitest)) results.set(b.path, await runBlock(b, cwd))
    const tests = blocks.filter((b) => b.run && b.vitest)
    if (tests.length) for (const [p, r] of await runVitestBlocks(tests, cwd)) results.set(p, r)
  } finally {
    rmSync(cwd, { recursive: true, force: true })
  }
  return results
}

async function main() {
  const only = process.argv.slice(2)
  const all = allBlocks()
  // With page arguments, only those pages run; every block is still written, so imports resolve.
  prepare(all)
  const typesOnly = only.includes('--types-only')
  const pages = only.filter((a) => a !== '--types-only')
  const blocks = pages.length ? all.filter((b) => pages.includes(b.doc)) : all
  const types = await typecheck(all)
  let failed = 0
  let ran = 0
  for (const doc of [...new Set(blocks.map((b) => b.doc))]) {
    const page = blocks.filter((b) => b.doc === doc)
    const runs = typesOnly ? new Map() : await runPage(page)
    for (const b of page) {
      const where = `${b.doc}:${b.line}`
      const t = types.get(b.path)
      if (t) {
        failed++
        console.log(`FAIL types  ${where}\n${t.replace(/^/gm, '    ')}`)
      } else console.log(`ok   types  ${where}`)
      const r = runs.get(b.path)
      if (!r) continue
      ran++
      if (!r.ok) {
        failed++
        console.log(`FAIL runs   ${where}\n${r.output.replace(/^/gm, '    ')}`)
      } else console.log(`ok   runs   ${where}${b.expectFail ? ' (fails as it should)' : ''}`)
    }
  }
  console.log(`${blocks.length} blocks type-checked, ${ran} run, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e)
    process.exit(1)
  })
}
