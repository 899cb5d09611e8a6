import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One DynamoDB Local (in memory) for the whole run; each test file makes its own table.
    globalSetup: ['tests/setup/dynamodb.ts'],
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      LOG_LEVEL: 'warn',
    },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
