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

/**
 * Tests that run the hostile-input table: each case parses a pathological input and runs its
 * operations, which end in a result or in a typed error once their own budgets (5 s each, by
 * default) run out. A few such budgets in a row on a loaded machine are not a failure.
 */
export const HOSTILE_TIMEOUT_MS = 180_000

/** The child process that measures RSS around hostile inputs (bundles the sources, parses 10 MB inputs). */
export const RSS_CHILD_TIMEOUT_MS = 300_000
