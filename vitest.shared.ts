import { defineProject, type UserWorkspaceConfig } from 'vitest/config'

/**
 * Settings every package's vitest project shares: tests run against `src/` through the
 * `@ql/source` export condition, so no build is needed between an edit and a test run.
 */
export function defineQlProject(name: string, overrides: UserWorkspaceConfig['test'] = {}) {
  return defineProject({
    resolve: { conditions: ['@ql/source', 'node', 'default'] },
    ssr: { resolve: { conditions: ['@ql/source', 'node', 'default'] } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      environment: 'node',
      ...overrides,
    },
  })
}
