import { join, relative, sep } from 'node:path'
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
    build.onResolve({ filter: /^\.\/(panel-ui|state-json)\.js$/ }, ({ path }) => ({ path: path.slice(0, -3) + ext, external: true }))
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

// Modules that are files of their own in dist/, which every file that uses them imports (by a
// relative path, matched here by the source file it resolves to): one copy of each class across
// entries (`instanceof` holds for what any entry throws), and the recorder's core shared by the
// root entry, which imports it statically, and 'redux-flight-recorder/lazy', which loads it when a
// recorder is created (so an app's bundler can leave it off the page).
const OWN_FILES: Record<string, string> = {
  'src/errors.ts': 'errors',
  'src/hash/index.ts': 'fr64',
  'src/recorder/clock.ts': 'recorder-clock',
  'src/recorder/turns.ts': 'recorder-turns',
  'src/recorder/recorder-core.ts': 'recorder-core',
  'src/browser/stored.ts': 'browser-stored',
  'src/replay/reduxPersist.ts': 'replay-persist',
}
const ownFiles: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'own-files',
  setup(build) {
    const ext = build.initialOptions.outExtension?.['.js'] ?? '.js'
    build.onResolve({ filter: /^\.\.?\// }, ({ path, resolveDir, kind }) => {
      if (kind === 'entry-point') return undefined
      const file = relative(__dirname, join(resolveDir, path)).split(sep).join('/').replace(/\.js$/, '')
      const name = OWN_FILES[`${file}.ts`] ?? OWN_FILES[`${file}/index.ts`]
      return name === undefined ? undefined : { path: `./${name}${ext}`, external: true, sideEffects: false }
    })
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
      ...Object.fromEntries(Object.entries(OWN_FILES).map(([file, name]) => [name, file])),
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
    esbuildPlugins: [ownFiles, chunks],
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
    // The same files of dist/ as the entries (one copy of each error class in the process).
    esbuildPlugins: [ownFiles],
    banner: { js: '#!/usr/bin/env node' },
  },
])
