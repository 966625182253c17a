// After tsup: the testing entry's declarations import fast-check's types, and fast-check is an
// optional peer dependency. A project without it that type-checks libraries (skipLibCheck: false)
// would fail on those imports; with `// @ts-ignore` above them its types are `any` there instead,
// and unchanged where fast-check is installed. Checked by test/property/optionalPeer.spec.ts.
import { readFileSync, writeFileSync } from 'node:fs'

const NOTE = '// @ts-ignore -- fast-check is an optional peer dependency: without it, these types are any.'
for (const file of ['dist/testing.d.ts', 'dist/testing.d.cts']) {
  const lines = readFileSync(file, 'utf8').split('\n')
  const out = []
  for (const line of lines) {
    if (/^import .* from 'fast-check';$/.test(line) && out[out.length - 1] !== NOTE) out.push(NOTE)
    out.push(line)
  }
  writeFileSync(file, out.join('\n'))
}
