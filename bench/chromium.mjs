/** What the Chromium benches share: the browser as the tests launch it, and a page served from an esbuild bundle. */
import { chromium } from 'playwright-core'

/** Headless Chromium at /usr/bin/chromium (or CHROMIUM_PATH), with the flags the tests use. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

/**
 * Answers `path` of a bundle's files (an esbuild result with splitting, by file name): `''` is a
 * page titled `title` that loads `entry` from `base`, anything else one of the files (404 if none).
 */
export function serveBundle(res, { files, entry }, path, title, base = '/') {
  if (path === '') {
    res.writeHead(200, { 'content-type': 'text/html' })
    return res.end(`<!doctype html><html lang="en"><title>${title}</title><body><script type="module" src="${base}${entry}"></script></body></html>`)
  }
  const file = files.get(path)
  res.writeHead(file === undefined ? 404 : 200, { 'content-type': 'text/javascript' })
  res.end(file ?? '')
}

/** Starts `server` on 127.0.0.1 (a free port) and returns its origin. */
export async function listenLocal(server) {
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${server.address().port}`
}
