import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url))

// Like redux's own config: tests import the package by name, mapped to src/ unless TEST_DIST is
// set, in which case they run against the built dist/ through the exports map.
const alias = process.env.TEST_DIST
  ? []
  : [
      { find: /^redux-flight-recorder$/, replacement: src('index.ts') },
      { find: /^redux-flight-recorder\/(node|browser|testing|collector)$/, replacement: src('$1/index.ts') },
    ]

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['test/**/*.spec.ts'],
    exclude: ['test/jest/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Source type errors are `npm run typecheck`'s job (tsc over src and tests); here only the
    // *.test-d.ts assertions count.
    typecheck: { include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json', ignoreSourceErrors: true },
  },
})
