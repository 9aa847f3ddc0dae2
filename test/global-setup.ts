import { ensureBuilt } from './ensure-built'

/**
 * Starts `pnpm build` when the run starts, without waiting for it: the package tests (from `src/`)
 * run meanwhile, and the workspace tests that need `dist/` wait in `ensureBuilt()` for this build's
 * result (same `QL_TEST_RUN`). The teardown waits for it so no build outlives the run.
 */
export default function setup(): () => Promise<void> {
  const building = ensureBuilt().catch(() => {
    // the workspace tests report the failure, with the build's output
  })
  return async () => {
    await building
  }
}
