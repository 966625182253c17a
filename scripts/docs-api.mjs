#!/usr/bin/env node
/**
 * `npm run docs:api`: writes the API reference, docs/api/<entry>.md, one page per entry of
 * package.json `exports`, from the BUILT declarations (dist/*.d.ts) and their TSDoc: each export's
 * signature, summary, `@default`s and `@example`s, and for an options interface a table of its
 * members. The pages are generated: edit the TSDoc in src/, then run `npm run build && npm run
 * docs:api`. test/docs/apiReference.spec.ts fails when a page differs from what this writes.
 *
 *   node scripts/docs-api.mjs           # write docs/api/*.md
 *   node scripts/docs-api.mjs --check   # exit 1, naming the pages, when any is not up to date
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, 'docs', 'api')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

/** The entries: `redux-flight-recorder` and each subpath, with their ESM declaration file. */
export function entries() {
  return Object.entries(pkg.exports)
    .filter(([sub]) => sub !== './package.json')
    .map(([sub, target]) => ({
      name: sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`,
      page: sub === '.' ? 'index.md' : `${sub.slice(2)}.md`,
      dts: join(root, target.import.types),
    }))
}

const MAX_TYPE = 400
const clip = (s) => (s.length > MAX_TYPE ? `${s.slice(0, MAX_TYPE)} …` : s)
const cell = (s) => s.replace(/\|/g, '\\|').replace(/\n+/g, ' ')
const docOf = (checker, sym) => ts.displayPartsToString(sym.getDocumentationComment(checker)).trim()
const tagsOf = (checker, sym, name) =>
  sym
    .getJsDocTags(checker)
    .filter((t) => t.name === name)
    .map((t) => ts.displayPartsToString(t.text ?? []).trim())

function kindOf(decl) {
  if (ts.isFunctionDeclaration(decl)) return 'function'
  if (ts.isClassDeclaration(decl)) return 'class'
  if (ts.isInterfaceDeclaration(decl)) return 'interface'
  if (ts.isTypeAliasDeclaration(decl)) return 'type'
  if (ts.isVariableDeclaration(decl)) return 'const'
  return 'other'
}

function printDecl(decl) {
  // The declaration as written in the .d.ts, without its TSDoc, `declare` and `export`.
  const printer = ts.createPrinter({ removeComments: true })
  return printer
    .printNode(ts.EmitHint.Unspecified, decl.kind === ts.SyntaxKind.VariableDeclaration ? decl.parent.parent : decl, decl.getSourceFile())
    .replace(/^(export )?declare /, '')
    .trim()
}

function renderExport(checker, name, sym) {
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym
  const decl = target.declarations?.[0]
  if (!decl) return ''
  const kind = kindOf(decl)
  const lines = [`### \`${name}\``, '']
  const doc = docOf(checker, target)
  let code
  if (kind === 'function') {
    code = target.declarations.filter(ts.isFunctionDeclaration).map((d) => `function ${name}${printDecl(d).replace(/^function \w+/, '')}`).join('\n')
  } else if (kind === 'class') {
    const c = decl
    const heritage = c.heritageClauses?.map((h) => h.getText()).join(' ')
    const members = c.members
      .filter((m) => m.name && !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)))
      .map((m) => `  ${ts.createPrinter({ removeComments: true }).printNode(ts.EmitHint.Unspecified, m, m.getSourceFile()).trim()}`)
    code = `class ${name}${heritage ? ` ${heritage}` : ''} {\n${members.join('\n')}\n}`
  } else if (kind === 'const') {
    code = `const ${name}: ${clip(checker.typeToString(checker.getTypeOfSymbolAtLocation(target, decl), undefined, ts.TypeFormatFlags.NoTruncation))}`
  } else if (kind === 'type') {
    code = clip(printDecl(decl).replace(/^type \w+/, `type ${name}`))
  } else if (kind === 'interface') {
    code = `interface ${name}${decl.typeParameters ? `<${decl.typeParameters.map((p) => p.getText()).join(', ')}>` : ''}${decl.heritageClauses ? ` ${decl.heritageClauses.map((h) => h.getText()).join(' ')}` : ''}`
  }
  if (code) lines.push('```typescript', code, '```', '')
  if (doc) lines.push(doc, '')
  if (kind === 'interface') {
    const rows = []
    for (const m of decl.members) {
      const msym = m.name && checker.getSymbolAtLocation(m.name)
      if (!msym) continue
      const optional = m.questionToken ? '?' : ''
      const type = ts.isMethodSignature(m) ? clip(printDecl(m).replace(/\s+/g, ' ').replace(/;$/, '')) : m.type ? clip(m.type.getText().replace(/\s+/g, ' ')) : ''
      const def = tagsOf(checker, msym, 'default')[0]
      const mdoc = docOf(checker, msym)
      rows.push(`| \`${msym.name}${optional}\` | \`${cell(type)}\` | ${cell(mdoc)}${def ? ` Default: \`${cell(def)}\`.` : ''} |`)
    }
    if (rows.length) lines.push('| member | type | meaning |', '|---|---|---|', ...rows, '')
  }
  for (const ex of tagsOf(checker, target, 'example')) lines.push('```typescript', ex.replace(/^```\w*\n?|```$/g, '').trim(), '```', '')
  return lines.join('\n')
}

/** The pages, as { file, text }. */
export function render() {
  const list = entries()
  for (const e of list) if (!existsSync(e.dts)) throw new Error(`[redux-flight-recorder] docs:api needs the built package: expected ${e.dts}, run \`npm run build\` first.`)
  const program = ts.createProgram(
    list.map((e) => e.dts),
    { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
  )
  const checker = program.getTypeChecker()
  const pages = []
  for (const e of list) {
    const sf = program.getSourceFile(e.dts)
    const mod = checker.getSymbolAtLocation(sf)
    const exports = mod ? checker.getExportsOfModule(mod) : []
    const values = []
    const types = []
    for (const sym of [...exports].sort((a, b) => a.name.localeCompare(b.name))) {
      const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym
      const isValue = (target.flags & ts.SymbolFlags.Value) !== 0
      const text = renderExport(checker, sym.name, sym)
      if (text) (isValue ? values : types).push(text)
    }
    const head = [
      `# \`${e.name}\``,
      '',
      `<!-- Generated from ${e.dts.slice(root.length + 1)} by \`npm run docs:api\` (scripts/docs-api.mjs): do not edit; edit the TSDoc in src/. -->`,
      '',
      `\`import { … } from '${e.name}'\`. Guides that use it: [the API index](README.md).`,
      '',
    ]
    const body = [...(values.length ? ['## Values', '', ...values] : []), ...(types.length ? ['## Types', '', ...types] : [])]
    pages.push({ file: e.page, text: `${[...head, ...body].join('\n').trim()}\n` })
  }
  return pages
}

function main() {
  const pages = render()
  if (process.argv.includes('--check')) {
    const stale = pages.filter((p) => !existsSync(join(outDir, p.file)) || readFileSync(join(outDir, p.file), 'utf8') !== p.text)
    for (const p of stale) console.log(`not up to date: docs/api/${p.file}`)
    if (stale.length) console.log('Run `npm run build && npm run docs:api` and commit docs/api/.')
    process.exit(stale.length ? 1 : 0)
  }
  mkdirSync(outDir, { recursive: true })
  for (const p of pages) writeFileSync(join(outDir, p.file), p.text)
  console.log(`wrote ${pages.length} pages to docs/api/`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main()
