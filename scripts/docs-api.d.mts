// Types of scripts/docs-api.mjs, for test/docs/apiReference.spec.ts.
export function entries(): { name: string; page: string; dts: string }[]
export function render(): { file: string; text: string }[]
