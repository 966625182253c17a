import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, extname, relative, resolve, sep } from 'node:path'
import { isActionEntry, replay, type ReplayResult } from 'redux-flight-recorder/replay'
import { INCOMPLETE } from '../format/types'
import { allowancesFor, lossyOf, scaffoldSource, unverifiedInLog } from '../internal/scaffoldSource'
import { CliError, EXIT_OK, TS_EXTENSIONS as TS, display, existingFile, loadStoreModule, oneLine, parse, readLog, refuseOverwrite, shellArg, type Io, type StoreModule } from './util'

export const SCAFFOLD_HELP = `Usage: flight-recorder scaffold-test <log> --store <module> [--runner vitest|jest] [-o <file>] [--force] [--json]

Writes a Vitest or Jest test file that replays the log on the store module's reducer (or createStore)
and fails with the divergence report when a later change makes the app reach a different state.
The test imports the module and reads the log by paths relative to the test file, so keep the
three together in the repository. The store module must export \`reducer\` or \`createStore\`
(see \`flight-recorder verify --help\`).
A log that is incomplete (entries lost), has steps without hashes (\`hash: false\`, shrunk without
a baseline) or holds lossy values (a Date as its ISO string) gets a test that accepts that
(\`allowIncomplete\`, \`allowUnverified\`, \`allowLossy\` by path), with a comment saying why.

Options:
  --store <module>     the module that builds the state (required)
  --runner <name>      vitest or jest (default: the runner the nearest package.json above the
                       test that names one uses — in its dependencies, its "jest" key or its
                       test script — or a jest.config.* beside it; vitest when none names one)
  -o, --output <file>  where to write the test (default: next to the log, <name>.replay.test.ts
                       for a TypeScript store module, <name>.replay.test.js otherwise; for Jest,
                       .cjs or .mjs where the package's module type needs it: Jest 30 finds
                       those by default, Jest 29 only if its testMatch names them)
  --force              overwrite an existing file
  --json               print {"ok","exitCode","output","runner","actions","accepts"} as JSON
  -h, --help           show this help

Exit codes: 0 written, 2 no such file, not a log, a log without actions, an unusable store module,
or the test file exists (use --force).`

type PackageJson = { type?: unknown; dependencies?: unknown; devDependencies?: unknown; scripts?: unknown; jest?: unknown }

/** Each package.json from `dir` upwards, nearest first, with its folder (unreadable ones skipped). */
function* packagesAbove(dir: string): Generator<{ dir: string; pkg: PackageJson }> {
  for (let at = dir; ; at = dirname(at)) {
    const file = resolve(at, 'package.json')
    if (existsSync(file)) {
      try {
        const pkg: unknown = JSON.parse(readFileSync(file, 'utf8'))
        if (pkg && typeof pkg === 'object') yield { dir: at, pkg }
      } catch {
        // (Not JSON: as if absent.)
      }
    }
    if (dirname(at) === at) return
  }
}

/** Whether the nearest package.json from `dir` upwards says `"type": "module"`. */
function moduleTypeAt(dir: string): boolean {
  for (const { pkg } of packagesAbove(dir)) return pkg.type === 'module'
  return false
}

const JEST_CONFIGS = ['js', 'cjs', 'mjs', 'ts', 'cts', 'mts', 'json'].map((ext) => `jest.config.${ext}`)

/**
 * The runner a project tests with, and why: the first package.json from `dir` upwards that names
 * one (a monorepo's package may name none, its root does) — Vitest when it depends on Vitest, Jest
 * when it depends on Jest (`jest`, `ts-jest`, `babel-jest`, `@jest/globals`, or Create React App's
 * `react-scripts`), has a `"jest"` key, a test script that runs Jest, or a `jest.config.*` beside it.
 */
function detectRunner(dir: string): { runner: 'vitest' | 'jest'; why?: string } {
  for (const { dir: at, pkg } of packagesAbove(dir)) {
    const names = new Set<string>()
    for (const deps of [pkg.dependencies, pkg.devDependencies]) if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) names.add(name)
    const file = resolve(at, 'package.json')
    if (names.has('vitest')) return { runner: 'vitest', why: `${file} depends on vitest` }
    const dep = ['jest', 'ts-jest', 'babel-jest', '@jest/globals', 'react-scripts'].find((n) => names.has(n))
    if (dep) return { runner: 'jest', why: `${file} depends on ${dep}` }
    if (pkg.jest !== undefined) return { runner: 'jest', why: `${file} has a "jest" key` }
    const test = (pkg.scripts as { test?: unknown } | undefined)?.test
    if (typeof test === 'string' && /\bjest\b|react-scripts test/.test(test)) return { runner: 'jest', why: `${file}'s test script runs Jest` }
    const config = JEST_CONFIGS.find((c) => existsSync(resolve(at, c)))
    if (config) return { runner: 'jest', why: `${resolve(at, config)} is there` }
  }
  return { runner: 'vitest' }
}

/**
 * How a Jest test file is written, from its name: TypeScript (compiled by ts-jest or Babel: to
 * CommonJS, or to an ES module in a `"type": "module"` package), a CommonJS file, or an ES module
 * (`.mjs`, `.mts`, or `.js` in a `"type": "module"` package).
 */
function jestKind(file: string, moduleType: boolean): 'ts' | 'cjs' | 'esm' {
  if (/\.(?:mjs|mts)$/.test(file)) return 'esm'
  if (TS.test(file)) return 'ts'
  if (file.endsWith('.cjs')) return 'cjs'
  return moduleType ? 'esm' : 'cjs'
}

function relativeUrl(fromDir: string, target: string): string {
  const rel = relative(fromDir, target).split(sep).join('/')
  return rel.startsWith('.') ? rel : './' + rel
}

/**
 * How the test imports a TypeScript store module: from a TypeScript test, by the `.js` name that
 * tsc's `nodenext` requires (Vite resolves it to the `.ts` file for a TypeScript importer); from a
 * JavaScript test, without the extension (Vite resolves it).
 */
function specifier(fromDir: string, target: string, tsTest: boolean): string {
  const url = relativeUrl(fromDir, target)
  return tsTest ? url.replace(/\.(m|c)?tsx?$/, (_, m: string | undefined) => `.${m ?? ''}js`) : url.replace(TS, '')
}

export async function scaffoldTest(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    args,
    { store: { type: 'string' }, runner: { type: 'string' }, output: { type: 'string', short: 'o' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
    SCAFFOLD_HELP,
  )
  if (values.help) {
    io.out(SCAFFOLD_HELP + '\n')
    return EXIT_OK
  }
  if (positionals.length !== 1) throw new CliError(`\`scaffold-test\` takes one log file.\n${SCAFFOLD_HELP}`)
  if (values.runner !== undefined && values.runner !== 'vitest' && values.runner !== 'jest') {
    throw new CliError(`--runner takes vitest or jest, not ${JSON.stringify(values.runner)}.`)
  }
  const log = existingFile(positionals[0], io.cwd, 'log file')
  const shownLog = display(log.path, io.cwd)
  const recording = await readLog(log.path, shownLog)
  // A test of a whole log without actions (a recorder closed before any dispatch) checks nothing
  // about the reducer, and expectReplay fails it as such: refused, as other unusable input. (One
  // whose actions were lost, @@dropped or a gap, gets its allowIncomplete test below.)
  const actions = recording.entries.filter(isActionEntry).length
  if (actions === 0 && !recording.entries.some((e) => e.kind === '@@dropped') && !recording.warnings.some((w) => INCOMPLETE.test(w))) {
    throw new CliError(`${shownLog} has no actions to replay, so a test of it would check nothing about the reducer (expectReplay fails such a test): record a session with actions, then scaffold its test.`)
  }
  // Writing the test needs only the module's export names: a TypeScript module is read as text
  // when Node cannot import it, so no loader is needed.
  let store: Pick<StoreModule, 'path' | 'names' | 'viaDefault'> & { options?: StoreModule['options'] }
  try {
    store = await loadStoreModule(values.store, io.cwd, 'scaffold-test')
  } catch (error) {
    const fromText = error instanceof CliError && values.store && TS.test(values.store) ? storeExportsFromSource(resolve(io.cwd, values.store)) : null
    if (!fromText) throw error
    // Read as text, the module exports neither name: say that, not only that Node needs a loader.
    if (!fromText.names.includes('reducer') && !fromText.names.includes('createStore')) {
      throw new CliError(
        `The store module ${values.store} is TypeScript, read as text (Node cannot import it by itself), and its text exports neither \`reducer\` nor \`createStore\`. ` +
          'Export the root reducer (`export const reducer = …`, or `export { rootReducer as reducer }`) or `export function createStore(preloadedState) { … }`; ' +
          'a module that exports them some other way needs a loader: NODE_OPTIONS="--import tsx" flight-recorder scaffold-test … (npm i -D tsx).',
      )
    }
    store = fromText
  }
  const logName = basename(log.path)
  const stem = logName.slice(0, logName.length - extname(logName).length) || logName
  const testDir = values.output ? dirname(resolve(io.cwd, values.output)) : dirname(log.path)
  const detected = values.runner === undefined ? detectRunner(testDir) : undefined
  const runner = (values.runner ?? detected!.runner) as 'vitest' | 'jest'
  const moduleType = moduleTypeAt(testDir)
  // Vitest takes any module as an ES module; a Jest test is written as the store module is
  // (TypeScript, CommonJS, or an ES module), in a file the package's module type reads that way.
  const storeKind = TS.test(store.path) ? 'ts' : jestKind(store.path, moduleTypeAt(dirname(store.path)))
  const ext = TS.test(store.path) ? 'ts' : runner === 'jest' && storeKind === 'cjs' && moduleType ? 'cjs' : runner === 'jest' && storeKind === 'esm' && !moduleType ? 'mjs' : 'js'
  const out = values.output ? resolve(io.cwd, values.output) : resolve(dirname(log.path), `${stem}.replay.test.${ext}`)
  const kind = jestKind(out, moduleType)
  if (runner === 'jest' && kind === 'cjs' && storeKind === 'esm') {
    throw new CliError(
      `${values.store} is an ES module, which a CommonJS test (${display(out, io.cwd)}) cannot require: name the test .mjs${moduleType ? ' or .js' : ''} instead, and Jest runs it with NODE_OPTIONS=--experimental-vm-modules.`,
    )
  }
  // Jest resolves an ES module's import specifier as a path cut at '#' or '?', escaped or not.
  if (runner === 'jest' && (kind === 'esm' || (kind === 'ts' && moduleType)) && /[#?]/.test(relative(dirname(out), store.path))) {
    throw new CliError(`Jest cannot import ${values.store} from an ES module test: it cuts an import path at '#' or '?'. Rename the file or its folder, or write a CommonJS test (-o <name>.cjs) of a CommonJS store module.`)
  }
  refuseOverwrite(out, values.force, io.cwd)

  const dir = dirname(out)
  // Whether the test passes today, said now rather than at the next CI run; what it must accept
  // (an incomplete log, lossy values) goes into the test, with the reason.
  let result: ReplayResult | undefined
  let failed: string | undefined
  if (store.options) {
    try {
      result = replay(recording, store.options)
    } catch (error) {
      failed = oneLine(error)
    }
  }
  // (The commands a comment names, as the first line's: run from here.)
  const shown = { log: shellArg(shownLog), store: shellArg(values.store!) }
  const allowances = allowancesFor(result ?? { warnings: recording.warnings, lossy: lossyOf(recording.entries, recording.header.lossy) }, shown)
  // A log that does not replay today (a shrunk bug report, before the fix) or was not replayed:
  // whether its steps can ever be checked is told from the log, or the test would fail for good
  // once the reducer is fixed ("nothing could be compared").
  if (result?.ok !== true && !allowances.allowIncomplete) {
    const why = unverifiedInLog(recording, shown)
    if (why !== undefined) allowances.allowUnverified = why
  }
  const source = scaffoldSource({
    logName,
    // A URL (read with `new URL(…, import.meta.url)`): '#', '%', '?' in a name must be escaped.
    logUrl: relativeUrl(dir, log.path)
      .split('/')
      .map((seg) => (seg === '.' || seg === '..' ? seg : encodeURIComponent(seg)))
      .join('/'),
    // (Jest resolves a TypeScript module by its name without the extension, under CommonJS; an ES
    // module project's TypeScript imports it by its .js name, which ts-jest's ESM preset maps.)
    storeSpecifier: specifier(dir, store.path, TS.test(out) && (runner === 'vitest' || moduleType)),
    logPath: relativeUrl(dir, log.path),
    runner,
    moduleKind: kind === 'ts' && moduleType ? 'ts-esm' : kind,
    names: store.names,
    viaDefault: store.viaDefault,
    shownLog: display(log.path, io.cwd),
    shownStore: values.store!,
    actions,
    recordedAt: recording.header.ts,
    ...allowances,
  })
  try {
    mkdirSync(dir, { recursive: true })
    writeFileSync(out, source)
  } catch (error) {
    throw new CliError(`Cannot write ${display(out, io.cwd)}: ${oneLine(error)}`)
  }
  const accepts = [...(allowances.allowIncomplete ? ['allowIncomplete'] : []), ...(allowances.allowUnverified ? ['allowUnverified'] : []), ...(allowances.allowLossy ? ['allowLossy'] : [])]
  if (values.json) io.out(JSON.stringify({ ok: true, exitCode: EXIT_OK, output: display(out, io.cwd), runner, actions, accepts }) + '\n')
  else io.out(`wrote ${display(out, io.cwd)}\n`)
  if (detected?.why) io.err(`note: a ${runner === 'jest' ? 'Jest' : 'Vitest'} test, as ${display(detected.why, io.cwd)}; --runner chooses.\n`)
  if (allowances.allowIncomplete) io.err(`note: the log is incomplete, so the test passes \`allowIncomplete: true\`: ${allowances.allowIncomplete.join(' ')}\n`)
  if (allowances.allowUnverified) io.err(`note: the test passes \`allowUnverified: true\`: ${allowances.allowUnverified}\n`)
  if (allowances.allowLossy) io.err(`note: the log holds values in another form than the app had them, so the test passes \`allowLossy\` for ${allowances.allowLossy === true ? 'all of them' : allowances.allowLossy.join(', ')}.\n`)
  if (!store.options) {
    io.err(`note: ${values.store} is TypeScript and was read as text; run the new test (or \`flight-recorder verify\` through a loader) to see whether the log replays today.\n`)
  } else if (failed !== undefined) io.err(`warning: replaying the log failed: ${failed}\n`)
  else if (result && !result.ok) io.err(`warning: the log does not replay on ${values.store} today, so the new test fails until it does (see \`flight-recorder verify\`).\n`)
  return EXIT_OK
}

const STORE_NAMES = ['reducer', 'createStore', 'hash', 'serializeState', 'adapters', 'onNonRecordable', 'onReplaceReducer']

/** The store exports named in a module's source text (`export const reducer`, `export { reducer }`), or null when it cannot be read. */
function storeExportsFromSource(path: string): { path: string; names: string[]; viaDefault: boolean } | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return null
  }
  const found = new Set<string>()
  for (const m of text.matchAll(/export\s+(?:declare\s+)?(?:const|let|var|function\*?|async\s+function|class)\s+([A-Za-z_$][\w$]*)/g)) found.add(m[1])
  for (const m of text.matchAll(/export\s*(?:type\s*)?\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim()
      if (name) found.add(name)
    }
  }
  return { path, names: STORE_NAMES.filter((n) => found.has(n)), viaDefault: false }
}
