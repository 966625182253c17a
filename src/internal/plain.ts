const objectProto = Object.prototype

/**
 * `proto` is what a plain object has: `Object.prototype`, `null`, or the `Object.prototype` of
 * another realm (a prototype whose own prototype is null, as Redux Toolkit's `isPlainObject`
 * reads it). Objects made in another realm are everyday in tests: under Jest, or Vitest's vm
 * pools, what `fetch().json()` or `structuredClone` returns comes from Node's own realm.
 */
export function isPlainProto(proto: object | null): boolean {
  return proto === objectProto || proto === null || Object.getPrototypeOf(proto) === null
}
