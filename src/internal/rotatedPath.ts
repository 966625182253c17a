import { extname } from 'node:path'

/** The name of a rotated file (`fileSink`'s `maxFileBytes`): `logs/app.jsonl` → `logs/app.3.jsonl`; index 0 is the path itself. */
export function rotatedPath(base: string, index: number): string {
  if (index === 0) return base
  const ext = extname(base)
  return ext ? `${base.slice(0, -ext.length)}.${index}${ext}` : `${base}.${index}`
}

/**
 * The inverse of `rotatedPath`: `logs/app.3.jsonl` → `{ base: 'logs/app.jsonl', index: 3 }` (a name
 * without an index: index 0). A base without an extension is ambiguous (`session.3`): read as index 0.
 */
export function rotationOf(path: string): { base: string; index: number } {
  const ext = extname(path)
  const m = /^(.*)\.(\d+)$/.exec(ext ? path.slice(0, -ext.length) : path)
  return m ? { base: m[1] + ext, index: Number(m[2]) } : { base: path, index: 0 }
}
