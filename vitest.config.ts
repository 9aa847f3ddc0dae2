import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

/**
 * One vitest run for the whole workspace. Each package is a project with its own
 * `vitest.config.ts`; coverage is collected once, here, and enforced per package.
 */
export default defineConfig({
  test: {
    // vitest's default in run mode is one worker fewer than the cores: a single worker on a
    // 2-core machine, with the second core idle whenever no child process (build, npm) runs
    maxWorkers: Math.max(2, availableParallelism()),
    projects: ['packages/*/vitest.config.ts', 'examples/*/vitest.config.ts', 'test/vitest.config.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/vitest-report.json' },
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: ['**/*.d.ts', '**/*.test.ts', '**/*.test-d.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: {
        'packages/provider/src/**': { lines: 80 },
        'packages/router/src/**': { lines: 80 },
        'packages/parser/src/**': { lines: 80 },
        'packages/agents/src/**': { lines: 80 },
        'packages/k8s-runner/src/**': { lines: 80 },
      },
    },
  },
})
