/** `npm run test:browser`: the console in headless Chromium against the real servers. Not part of `npm test`. */
export default {
  rootDir: '../..',
  displayName: 'browser',
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@app/core$': '<rootDir>/libs/core/src/index.ts',
    '^@app/http$': '<rootDir>/libs/http/src/index.ts',
    '^@app/tools$': '<rootDir>/libs/tools/src/index.ts',
    '^@app/mcp$': '<rootDir>/libs/mcp/src/index.ts',
    '^@app/platform$': '<rootDir>/libs/platform/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testEnvironment: 'node',
  // Each file boots both servers and a browser: one at a time on a 2-core machine.
  maxWorkers: 1,
  testTimeout: 120000,
};
