// Jest runs the testing helpers against the BUILT package (dist/, CommonJS): no TypeScript
// transform. Run from the repository root after `npm run build`:
//   npx jest --config test/jest/jest.config.cjs
const path = require('node:path')

const root = path.resolve(__dirname, '../..')
const dist = (file) => path.join(root, 'dist', file)

/** @type {import('jest').Config} */
module.exports = {
  rootDir: root,
  roots: ['<rootDir>/test/jest'],
  testMatch: ['<rootDir>/test/jest/**/*.test.cjs'],
  testEnvironment: 'node',
  transform: {},
  // The package by its name, as a user imports it; every entry maps to one dist/ file, so there
  // is one copy of every class (instanceof ReplayDivergenceError works across entries).
  moduleNameMapper: {
    '^redux-flight-recorder$': dist('index.cjs'),
    '^redux-flight-recorder/([a-z-]+)$': dist('$1.cjs'),
  },
}
