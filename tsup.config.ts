import { dirname, join } from 'node:path'
import { defineConfig, type Options } from 'tsup'

// Chunks, each a file of its own built as an entry, that other files of dist/ import by a relative
// path (a user's bundler emits them apart): the panel's launcher (dist/panel.js) loads its UI with
// `import('./panel-ui.js')`; the recorder (dist/index.js) loads its incremental full-state writer
// with `import('./state-json.js')` when it starts (nothing synchronous waits for it); the replay
// and browser entries share the log format's reader and encoder, dist/format.js (src/ imports it
// as '../format/index.js'), so that neither brings the other along.
const chunks: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'chunks',
  setup(build) {
    // tsup builds both formats as ESM and names the CommonJS files by `outExtension`.
    const ext = build.initialOptions.outExtension?.['.js'] ?? '.js'
    build.onResolve({ filter: /^\.\/(panel-ui|state-json|recorder-core)\.js$/ }, ({ path }) => ({ path: path.slice(0, -3) + ext, external: true }))
    build.onResolve({ filter: /^\.\.\/format\/index\.js$/ }, () => ({ path: './format' + ext, external: true }))
  },
}

// The CommonJS files load the chunks, and the collector its optional peer `@aws-sdk/client-s3`,
// with `require` (in a promise, so a module that fails to load still rejects as before): `import()`
// in a CommonJS file fails where modules run in a vm context without a dynamic-import callback (Jest
// without --experimental-vm-modules: "A dynamic import callback was invoked without
// --experimental-vm-modules"): the panel could not open, and s3Store said the SDK was not
// installed. The ESM files keep `import()`, so bundlers still split the chunks off. (After
// esbuild, which would have wrapped a `require` in an ESM build in a shim.)
// The lazily loaded recorder's core (redux-flight-recorder/lazy) is required synchronously there (a
// bare `require`, no promise): in Jest and Node's `require` such a recorder is complete at creation.
const requireChunksInCjs: NonNullable<Options['plugins']>[number] = {
  name: 'require-chunks-in-cjs',
  renderChunk(code) {
    if (this.format !== 'cjs') return
    const next = code.replace(/\bimport\((['"])(\.\/recorder-core\.cjs)\1\)/g, (_, q: string, name: string) => `require(${q}${name}${q})`).replace(/\bimport\((['"])(\.\/(?:panel-ui|state-json)\.cjs|@aws-sdk\/client-s3)\1\)/g, (_, q: string, name: string) => `Promise.resolve().then(() => require(${q}${name}${q}))`)
    return next === code ? undefined : { code: next }
  },
}

// The recorder's core chunk takes the error classes from the package's root entry (one copy of
// each class: `instanceof` holds for what a lazily loaded recorder throws and reports).
const errorsFromPackage: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'errors-from-package',
  setup(build) {
    build.onResolve({ filter: /(^|\/)errors(\.js)?$/ }, ({ path, resolveDir, kind }) =>
      kind !== 'entry-point' && /[\\/]src$/.test(join(resolveDir, dirname(path))) ? { path: 'redux-flight-recorder', external: true } : undefined,
    )
  },
}

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
      panel: 'src/panel/index.ts',
      'panel-ui': 'src/panel/panel-ui.ts',
      'state-json': 'src/recorder/state-json.ts',
      lazy: 'src/lazy/index.ts',
      format: 'src/format/index.ts',
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
    esbuildPlugins: [chunks],
    plugins: [requireChunksInCjs],
  },
  {
    entry: { 'recorder-core': 'src/recorder/recorder-core.ts' },
    format: ['esm', 'cjs'],
    dts: false,
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    external: ['redux', PACKAGE, /^node:/],
    splitting: false,
    treeshake: true,
    removeNodeProtocol: false,
    esbuildPlugins: [chunks, errorsFromPackage],
    plugins: [requireChunksInCjs],
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
