/** Char codes of the lowercase hex digits, `'0'`…`'9'`, `'a'`…`'f'`. */
export const HEX_CODES = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]
