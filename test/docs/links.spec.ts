// Every relative link of README.md and docs/ points at a file of the repository, and every
// `page.md#anchor` at a heading of that page, so moving a section cannot leave a dead link behind.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const pages = ['README.md']
const walk = (dir: string) => {
  for (const name of readdirSync(join(root, dir))) {
    const p = `${dir}/${name}`
    if (statSync(join(root, p)).isDirectory()) walk(p)
    else if (name.endsWith('.md')) pages.push(p)
  }
}
walk('docs')

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-')
const anchors = (file: string) => {
  const text = readFileSync(file, 'utf8').replace(/^ *```[^\n]*\n[\s\S]*?^ *```/gm, '')
  return new Set([...text.matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1])))
}

describe('links in README.md and docs/', () => {
  it('finds the pages', () => {
    expect(pages).toContain('docs/getting-started.md')
    expect(pages.length).toBeGreaterThan(15)
  })
  for (const page of pages) {
    it(`${page}: every relative link resolves`, () => {
      const text = readFileSync(join(root, page), 'utf8').replace(/^ *```[^\n]*\n[\s\S]*?^ *```/gm, '')
      const broken: string[] = []
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue
        const [path, anchor] = target.split('#')
        const file = path ? join(root, dirname(page), path) : join(root, page)
        if (!existsSync(file)) broken.push(`${target}: no file ${relative(root, file)}`)
        else if (anchor && file.endsWith('.md') && !anchors(file).has(anchor)) broken.push(`${target}: no heading #${anchor} in ${relative(root, file)}`)
      }
      expect(broken, `${page} has links that go nowhere`).toEqual([])
    })
  }
})
