import { defineProject } from 'vitest/config'

/** Workspace-level tests: the consumer smoke test that installs the packed tarballs. */
export default defineProject({
  test: {
    name: 'workspace',
    include: ['*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
})
