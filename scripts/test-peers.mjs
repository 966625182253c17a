#!/usr/bin/env node
/**
 * `npm run test:peers`: the packed package against the Redux versions people install.
 *
 * Packs the package (`npm pack`), installs the tarball into scratch projects under a temp dir, and
 * runs scripts/test-peers/session.mjs in each, with NODE_ENV=development and NODE_ENV=production:
 * every session runs without and with the recorder, compares what the app sees (RTK Query results
 * included), and replays the recorded log with every hash verified.
 *
 * Projects, resolved at run time with `npm view` (a new upstream release is tested without a commit):
 *   newest: for each alternative of the `redux` and `@reduxjs/toolkit` peer ranges (`^4.2.0 || ^5.0.0`,
 *           `^1.9.0 || ^2.0.0`), the newest published version, with the newest of each library the
 *           README says the recorder works with (LIBRARIES below);
 *   oldest: the lowest version of each alternative, and each library's lowest supported version.
 * The README's "Supported versions" table must name the same ranges (checked).
 *
 *   npm run test:peers                 # builds, packs, installs, runs; writes .peers-report.json
 *   node scripts/test-peers.mjs --no-build   # use the dist/ already built (CI: `npm test` built it)
 *   PEERS_KEEP=1 …                     # keep the scratch projects (their path is printed)
 */
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const here = join(root, 'scripts', 'test-peers')
const reportFile = join(root, '.peers-report.json')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

/** Libraries the README says the recorder works with: the tested range (lowest version first). */
export const LIBRARIES = {
  'redux-persist': '^6.0.0',
  'redux-undo': '^1.0.0',
  '@redux-devtools/instrument': '^3.0.0',
  'redux-saga': '^1.0.0',
}
/** Peers whose every range alternative gets a project: redux 4 goes with RTK 1.9, redux 5 with RTK 2. */
const PAIRED = ['redux', '@reduxjs/toolkit']

const npmFlags = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error']
const rmReport = () => rmSync(reportFile, { force: true })

function fail(message) {
  console.error(`[redux-flight-recorder] test:peers: ${message}`)
  writeFileSync(reportFile, JSON.stringify({ numPassedTests: 0, numFailedTests: 1, error: message }, null, 2))
  process.exit(1)
}

function run(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

/** `^X.Y.Z || ^A.B.C` → ['^X.Y.Z', '^A.B.C']; anything else is not a range this script can test. */
function alternatives(name, range) {
  const parts = range.split('||').map((s) => s.trim())
  for (const p of parts) if (!/^\^\d+\.\d+\.\d+$/.test(p)) fail(`expected the range of \`${name}\` to be caret ranges \`^X.Y.Z\` joined by \`||\`, but package.json says '${range}'.`)
  return parts
}
const floor = (caret) => caret.slice(1)
const cmp = (a, b) => {
  const x = a.split('.').map(Number)
  const y = b.split('.').map(Number)
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]
}
async function newest(name, caret) {
  const r = await run('npm', ['view', `${name}@${caret}`, 'version', '--json', ...npmFlags])
  if (r.code !== 0) fail(`\`npm view ${name}@${caret} version\` failed: ${r.stderr.trim()}`)
  const found = [JSON.parse(r.stdout)].flat().filter((v) => /^\d+\.\d+\.\d+$/.test(v))
  if (found.length === 0) fail(`no published version of ${name} matches ${caret}.`)
  return found.sort(cmp).at(-1)
}

rmReport()
const started = Date.now()
const peers = pkg.peerDependencies ?? {}
for (const name of PAIRED) if (!peers[name]) fail(`expected package.json to list \`${name}\` in peerDependencies.`)
const ranges = Object.fromEntries(PAIRED.map((name) => [name, alternatives(name, peers[name])]))
if (ranges.redux.length !== ranges['@reduxjs/toolkit'].length)
  fail(`expected as many alternatives in the \`redux\` range (${peers.redux}) as in the \`@reduxjs/toolkit\` range (${peers['@reduxjs/toolkit']}), one Toolkit line per Redux major.`)

// The README table names exactly the peer ranges and the libraries' ranges.
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const table = /## Supported versions\n([\s\S]*?)(\n## |$)/.exec(readme)?.[1] ?? ''
const tableProblems = []
for (const [name, range] of [...Object.entries(peers), ...Object.entries(LIBRARIES)]) {
  // A `|` inside a table cell is written `\|`.
  const row = table.split('\n').find((l) => l.startsWith(`| \`${name}\` |`))?.replaceAll('\\|', '|')
  if (!row) tableProblems.push(`no row for \`${name}\``)
  else if (!row.includes(`\`${range}\``)) tableProblems.push(`the row for \`${name}\` does not say \`${range}\`: ${row}`)
}

if (!process.argv.includes('--no-build')) {
  console.log('== npm run build')
  if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) fail('the build failed.')
}
if (!existsSync(join(root, 'dist', 'index.js'))) fail('expected dist/index.js (run `npm run build` first).')

const work = mkdtempSync(join(tmpdir(), 'rfr-peers-'))
console.log(`== npm pack (scratch projects in ${work})`)
const packed = await run('npm', ['pack', '--json', '--pack-destination', work, ...npmFlags], { cwd: root })
if (packed.code !== 0) fail(`\`npm pack\` failed: ${packed.stderr.trim()}`)
const tarball = join(work, JSON.parse(packed.stdout)[0].filename)

console.log('== npm view (resolving the newest versions)')
const projects = []
for (let i = 0; i < ranges.redux.length; i++) {
  const redux = ranges.redux[i]
  const rtk = ranges['@reduxjs/toolkit'][i]
  const libsNewest = Object.fromEntries(await Promise.all(Object.entries(LIBRARIES).map(async ([n, r]) => [n, await newest(n, r)])))
  projects.push({
    name: `newest ${redux} / RTK ${rtk}`,
    deps: { redux: await newest('redux', redux), '@reduxjs/toolkit': await newest('@reduxjs/toolkit', rtk), ...libsNewest },
  })
  projects.push({
    name: `oldest ${redux} / RTK ${rtk}`,
    deps: { redux: floor(redux), '@reduxjs/toolkit': floor(rtk), ...Object.fromEntries(Object.entries(LIBRARIES).map(([n, r]) => [n, floor(r)])) },
  })
}

console.log(`== npm install into ${projects.length} scratch projects`)
await Promise.all(
  projects.map(async (p, i) => {
    p.dir = join(work, `p${i}`)
    mkdirSync(p.dir)
    // `overrides` pins redux for the Toolkit's own dependency too, so the oldest project really
    // runs the oldest Redux.
    const manifest = { name: `peers-${i}`, private: true, type: 'module', dependencies: { 'redux-flight-recorder': `file:${tarball}`, ...p.deps }, overrides: { redux: '$redux' } }
    writeFileSync(join(p.dir, 'package.json'), JSON.stringify(manifest, null, 2))
    for (const f of ['session.mjs', 'entry.mjs']) copyFileSync(join(here, f), join(p.dir, f))
    const t = Date.now()
    const r = await run('npm', ['install', '--no-package-lock', ...npmFlags], { cwd: p.dir })
    p.installMs = Date.now() - t
    if (r.code !== 0) p.installError = r.stderr.trim().split('\n').slice(0, 12).join('\n')
    else p.installed = Object.fromEntries(Object.keys(p.deps).map((n) => [n, JSON.parse(readFileSync(join(p.dir, 'node_modules', n, 'package.json'), 'utf8')).version]))
  }),
)

const MODES = ['development', 'production']
const rows = []
for (const p of projects) {
  if (p.installError) {
    for (const mode of MODES) rows.push({ project: p.name, session: 'npm install', mode, ok: false, detail: p.installError })
    continue
  }
  for (const mode of MODES) {
    const r = await run(process.execPath, ['session.mjs'], { cwd: p.dir, env: { ...process.env, NODE_ENV: mode }, timeoutMs: 120_000 })
    const last = r.stdout.trim().split('\n').at(-1) ?? ''
    let sessions
    try {
      sessions = JSON.parse(last)
    } catch {
      rows.push({ project: p.name, session: 'session.mjs', mode, ok: false, detail: `exited ${r.code ?? r.signal} without a report: ${(r.stderr || r.stdout).trim().slice(0, 800)}` })
      continue
    }
    for (const s of sessions) rows.push({ project: p.name, session: s.name, mode, ok: s.ok, detail: s.detail })
  }
}
rows.push({ project: '-', session: 'README "Supported versions" table matches peerDependencies', mode: '-', ok: tableProblems.length === 0, detail: tableProblems.join('; ') || 'ok' })

// The table: one line per project and session, development and production side by side.
console.log('\n== versions')
for (const p of projects) console.log(`${p.name.padEnd(34)} ${p.installed ? Object.entries(p.installed).map(([n, v]) => `${n}@${v}`).join('  ') : 'install failed'}${p.installMs ? `  (install ${(p.installMs / 1000).toFixed(1)} s)` : ''}`)
console.log('\n== sessions')
const key = (r) => `${r.project}\u0000${r.session}`
const grouped = new Map()
for (const r of rows) grouped.set(key(r), { ...(grouped.get(key(r)) ?? { project: r.project, session: r.session }), [r.mode]: r })
const mark = (r) => (r ? (r.ok === null ? 'n/a' : r.ok ? 'pass' : 'FAIL') : '')
const w = Math.max(...[...grouped.values()].map((g) => g.session.length), 10)
console.log(`${'project'.padEnd(34)} ${'session'.padEnd(w)}  dev   prod`)
for (const g of grouped.values()) {
  const one = g['-']
  console.log(`${g.project.padEnd(34)} ${g.session.padEnd(w)}  ${one ? mark(one) : `${mark(g.development).padEnd(5)} ${mark(g.production)}`}`)
}
const failures = rows.filter((r) => r.ok === false)
const notRun = rows.filter((r) => r.ok === null)
if (failures.length) {
  console.log('\n== failures')
  for (const f of failures) console.log(`- ${f.project} · ${f.session} · ${f.mode}: ${f.detail}`)
}
if (notRun.length) {
  console.log('\n== not run (n/a)')
  for (const r of new Set(notRun.map((r) => `- ${r.project} · ${r.session}: ${r.detail}`))) console.log(r)
}
const passed = rows.filter((r) => r.ok === true).length
writeFileSync(reportFile, JSON.stringify({ numPassedTests: passed, numFailedTests: failures.length, numNotRun: notRun.length, projects: projects.map(({ dir, ...p }) => p), rows }, null, 2))
if (process.env.PEERS_KEEP) console.log(`\nscratch projects kept in ${work}`)
else rmSync(work, { recursive: true, force: true })
console.log(`\ntest:peers: ${passed} passed, ${failures.length} failed, ${notRun.length} not run (${((Date.now() - started) / 1000).toFixed(0)} s; .peers-report.json)`)
process.exit(failures.length ? 1 : 0)
