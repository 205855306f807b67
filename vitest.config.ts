import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One DynamoDB Local and one synthesized template for the whole run, shared by every file.
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/setup.ts'],
    pool: 'forks',
    // Files run one at a time (2 cores: one worker beside DynamoDB Local). Limits leave room for a
    // machine three times slower and busier than this one: a test that needs longer says so itself.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    allowOnly: false,
    restoreMocks: true,
  },
});
