import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One DynamoDB Local (in memory) for the whole run; each test file makes its own table.
    globalSetup: ['tests/setup/dynamodb.ts'],
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      LOG_LEVEL: 'warn',
      // every test runs on the clock seam, started here (not on today's date); override to move it
      CLOCK_START: process.env.CLOCK_START ?? '2026-11-18T10:00:00+08:00',
    },
    // the files mostly wait on DynamoDB Local and Chromium (processes of their own): three at a time
    // on CI's two cores take 4½ minutes where the default (cores − 1 = one) took 7
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
