/**
 * Explicit budgets for parser tests whose work is heavy the first time it runs in a process: the
 * first parse of a language compiles its grammar's WASM, and the first `symbols()` / `chunks()`
 * compiles its tags query (1–7 s for Swift on a busy 2-core machine). Worker tests also start
 * threads that load the TypeScript sources. vitest's 5 s default is not a budget for that.
 * The slowness itself belongs to the parser; these keep the suite from flaking meanwhile.
 */
export const FIRST_USE_TIMEOUT_MS = 30_000

/** Tests that start worker threads (each loads the sources and a grammar before it works). */
export const WORKER_TIMEOUT_MS = 60_000
