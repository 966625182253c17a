import { defineConfig } from 'tsup'

// Subpath entries import the core by the package name (`redux-flight-recorder`), kept external
// here, so that at run time there is exactly one copy of every class (instanceof works across
// entries). tsconfig `paths` and the Vitest aliases point that name at src/ during development.
// This matches the package itself and every subpath of it (`redux-flight-recorder/replay`, …).
const PACKAGE = /^redux-flight-recorder(\/.*)?$/

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      node: 'src/node/index.ts',
      browser: 'src/browser/index.ts',
      testing: 'src/testing/index.ts',
      replay: 'src/replay/index.ts',
      devtools: 'src/devtools/index.ts',
      'fast-check': 'src/fast-check/index.ts',
      collector: 'src/collector/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    external: ['redux', PACKAGE, /^node:/, 'fast-check', '@aws-sdk/client-s3'],
    splitting: false,
    treeshake: true,
    removeNodeProtocol: false,
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    target: 'es2022',
    platform: 'node',
    removeNodeProtocol: false,
    external: ['redux', PACKAGE],
    banner: { js: '#!/usr/bin/env node' },
  },
])
