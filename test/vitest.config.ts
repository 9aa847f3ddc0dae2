import { defineProject } from 'vitest/config'

/**
 * Workspace-level tests: the consumer smoke test (packed tarballs installed with npm), the README
 * code blocks, and source rules. The first two need `dist/`: they build once per run through
 * `ensure-built.ts`, keyed by `QL_TEST_RUN`, which is fixed here when vitest loads its config.
 */
export default defineProject({
  test: {
    name: 'workspace',
    include: ['*.test.ts'],
    environment: 'node',
    env: { QL_TEST_RUN: process.env.QL_TEST_RUN ?? `${process.pid}-${Date.now()}` },
    testTimeout: 120_000,
    hookTimeout: 420_000,
  },
})
