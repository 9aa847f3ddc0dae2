import { defineQlProject } from '../../vitest.shared.ts'

/**
 * Each test file runs in a fresh module graph, so its first parse of a language compiles that
 * grammar's WASM and its first `symbols()`/`chunks()` compiles the tags query (1–7 s for Swift on a
 * busy 2-core machine). The tests known to do that pass `FIRST_USE_TIMEOUT_MS` / `WORKER_TIMEOUT_MS`
 * (test/timeouts.ts); this raises the floor for the rest, so none depends on vitest's 5 s default.
 */
export default defineQlProject('parser', { testTimeout: 20_000, hookTimeout: 60_000 })
