/** `n word` or `n words` (`many` for an irregular plural). */
export function plural(n: number, word: string, many = word + 's'): string {
  return `${n} ${n === 1 ? word : many}`
}
