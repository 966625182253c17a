// docs/api/*.md is generated from dist/*.d.ts by scripts/docs-api.mjs: a page that differs from what
// the script writes is an API reference that drifted from the code.
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { entries, render } from '../../scripts/docs-api.mjs'

describe('docs/api (scripts/docs-api.mjs)', () => {
  const pages = render()

  it('has one page per entry of package.json exports', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
    expect(pages.map((p) => p.file).sort()).toEqual(entries().map((e) => e.page).sort())
    expect(pages).toHaveLength(Object.keys(pkg.exports).length - 1)
  })

  it('documents every export of each entry with a section of its own', () => {
    const index = pages.find((p) => p.file === 'index.md')!.text
    for (const name of ['createFlightRecorder', 'memorySink', 'stateHash', 'RecordingFormatError', 'FlightRecorderOptions']) expect(index).toContain(`### \`${name}\``)
    // TSDoc reaches the page: the @default of an option.
    expect(index).toMatch(/\| `maxEntries\?` \| `number` \| .*Default: `10[ _,]?000`/)
  })

  for (const page of pages) {
    it(`docs/api/${page.file} is up to date with dist/ (npm run build && npm run docs:api)`, () => {
      const path = new URL(`../../docs/api/${page.file}`, import.meta.url)
      expect(existsSync(path), `docs/api/${page.file} is missing`).toBe(true)
      expect(readFileSync(path, 'utf8')).toBe(page.text)
    })
  }
})
