/** Jest runs TypeScript as native ESM (NestJS 12 and the MCP SDK v2 are ESM-only). */
const common = {
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
};

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
  ],
  maxWorkers: 2,
  testTimeout: 60000,
};
