import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { describe } from 'vitest'

/** Debian's `chromium` package; `CHROMIUM_PATH` points elsewhere. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const chromiumAvailable = existsSync(chromiumPath)
const onCi = process.env.CI === 'true' || process.env.CI === '1'

/**
 * `describe` for specs that drive real Chromium. They run whenever Chromium is installed. Without
 * it they are skipped locally, but on CI (`CI=true`) they run and fail in `launchChromium`: a CI
 * machine that lost its browser must not turn the browser suite green by skipping it.
 */
export const describeInChromium = (chromiumAvailable || onCi ? describe : describe.skip) as typeof describe

export async function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}, and CI=true requires the browser tests to run. Install it (Debian: \`apt-get install -y chromium\`) or set CHROMIUM_PATH.`,
    )
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}
