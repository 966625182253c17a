import { jsonLine } from '../internal/describe'

type Child = Node | string | number | null | undefined | false

/**
 * A small `createElement`. Attributes only (never `style`: every style comes from the adopted
 * stylesheets, so the panel works under a CSP without `'unsafe-inline'`); `on*` functions become
 * listeners, which go with the element when it is removed.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value as EventListener)
    else if (key === 'class') el.className = String(value)
    else if (key === 'hidden') el.hidden = true
    else if (key === 'value' || key === 'disabled' || key === 'checked') (el as unknown as Record<string, unknown>)[key] = value
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    el.append(typeof child === 'object' ? child : String(child))
  }
  return el
}

/** A size with a no-break space before its unit: a narrow panel (390 px) wrapped "57.5" and "kB" apart. */
export function formatBytes(n: number): string {
  return n < 1000 ? `${n}\u00a0B` : n < 1_000_000 ? `${(n / 1000).toFixed(1)}\u00a0kB` : `${(n / 1_000_000).toFixed(2)}\u00a0MB`
}

/** A value in one short line. */
export const short = (value: unknown, max = 80): string => jsonLine(value, max, '(none)')

let ids = 0
/** An id unique within the page, for `aria-labelledby` and `aria-activedescendant`. */
export function uid(prefix: string): string {
  return `frp-${prefix}-${++ids}`
}

