// The panel's stylesheets: the launcher's (./index.ts), and the UI's and its step list's.

/** A stylesheet of the panel's shadow root whose text can be replaced. */
export interface Sheet {
  replace(css: string): void
}

/**
 * Adds a stylesheet to `root`: a constructable one where the browser has them (allowed under a
 * strict CSP, no `'unsafe-inline'`), else (Safari before 16.4, webviews without them, a
 * `CSSStyleSheet` that throws, jsdom) a `<style>` element in the shadow root.
 */
export function addSheet(root: ShadowRoot, css: string): Sheet {
  try {
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(css)
    // (Spreading throws where shadow roots have no `adoptedStyleSheets`.)
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
    return { replace: (text) => sheet.replaceSync(text) }
  } catch {
    // no constructable stylesheets here: a <style> element below
  }
  const style = document.createElement('style')
  style.textContent = css
  root.append(style)
  return { replace: (text) => (style.textContent = text) }
}
