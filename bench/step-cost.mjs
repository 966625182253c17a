// scratch: per-step cost of the compact engine vs Object.keys alone on the bench's entity map
import { build } from 'esbuild'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { actionMaker, makeReducer, makeState } from './state.mjs'
const { bytes = 1e7, steps = 30, src = './src/hash/compact' } = JSON.parse(process.argv[2] ?? '{}')
const built = await build({ stdin: { contents: `export { CompactFr64Hasher } from '${src}'`, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' })
const out = join(mkdtempSync(join(tmpdir(), 'fr-step-')), 'c.mjs')
writeFileSync(out, built.outputFiles[0].contents)
const { CompactFr64Hasher } = await import(pathToFileURL(out).href)
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
const base = makeState(bytes)
const red = makeReducer(base)
const mk = actionMaker(base.ids)
const h = new CompactFr64Hasher()
let t = cpuMs(); h.hash(base); console.log('full', (cpuMs() - t).toFixed(1))
let prev = base
const st = [], ks = []
for (let i = 0; i < steps; i++) {
  const next = red(prev, mk())
  t = cpuMs(); Object.keys(next.entities); ks.push(cpuMs() - t)
  t = cpuMs(); h.hash(next, prev); st.push(cpuMs() - t)
  prev = next
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1].toFixed(2)
console.log('step', med(st), 'Object.keys', med(ks))
