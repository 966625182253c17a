// The panel under Jest 30's jsdom environment, against the BUILT package (dist/, CommonJS), as an
// app's component tests load it. Needs jest-environment-jsdom (not a devDependency yet: add it,
// then run this config from scripts/test.mjs beside jest.config.cjs). Run after `npm run build`:
//   npx jest --config test/jest/jest.jsdom.config.cjs
const base = require('./jest.config.cjs')

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/jest/jsdom/**/*.jsdom.cjs'],
  testEnvironment: 'jsdom',
}
