/**
 * The `seq` of a line the recorder wrote (`{"seq":12,…` or `{"kind":"@@end","seq":12,…`) without
 * parsing it; `undefined` for a header or anything else.
 */
export function lineSeq(line: string): number | undefined {
  const at = line.indexOf('"seq":')
  if (at === -1 || at > 24) return undefined
  let n = 0
  let i = at + 6
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i) - 48
    if (c < 0 || c > 9) break
    n = n * 10 + c
  }
  return i > at + 6 ? n : undefined
}
