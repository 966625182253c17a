/** Most text is ASCII: one native scan finds the first other UTF-16 unit, if any. */
const NON_ASCII = /[^\x00-\x7f]/

/** Bytes of `text` in UTF-8 (a lone surrogate counts 3, as its replacement character), without allocating an encoded copy. */
export function utf8Length(text: string): number {
  const from = text.search(NON_ASCII)
  if (from < 0) return text.length
  let n = text.length
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) n += 1
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: 2 UTF-16 units become 4 bytes.
      n += 2
      i++
    } else n += 2
  }
  return n
}
