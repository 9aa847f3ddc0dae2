import { defineProject } from 'vitest/config'

// one id per vitest run, shared by the main process (global-setup.ts) and the test workers
process.env.QL_TEST_RUN ??= `${process.pid}-${Date.now()}`

/**
 * Workspace-level tests: the consumer smoke test (packed tarballs installed with npm), the README
 * code blocks, and source rules. The first two need `dist/`: `global-setup.ts` starts the build
 * when the run starts, and `ensure-built.ts` makes them wait for it.
 */
export default defineProject({
  test: {
    name: 'workspace',
    include: ['*.test.ts'],
    environment: 'node',
    globalSetup: ['./global-setup.ts'],
    env: { QL_TEST_RUN: process.env.QL_TEST_RUN },
    testTimeout: 120_000,
    hookTimeout: 420_000,
  },
})
