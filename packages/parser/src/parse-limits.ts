/** The default {@link ParseLimits.maxBytes}: 10 MB of UTF-8. */
export const DEFAULT_MAX_BYTES = 10_000_000
/** The default {@link ParseLimits.timeoutMs}: 5 seconds. */
export const DEFAULT_TIMEOUT_MS = 5_000

/** Bounds on one parse, so hostile or accidental input cannot exhaust the host. */
export interface ParseLimits {
  /**
   * The largest source accepted, in UTF-8 bytes. Larger input throws `InputTooLargeError`
   * before anything is parsed. Default {@link DEFAULT_MAX_BYTES} (10 MB).
   */
  maxBytes?: number
  /**
   * The time budget for one parse, in milliseconds, checked from tree-sitter's progress
   * callback while it parses. Past it the parse is cancelled, its memory freed, and
   * `ParseTimeoutError` thrown. Also applies to each `applyEdit`. Default
   * {@link DEFAULT_TIMEOUT_MS} (5 s; a 10 MB file parses in about 1.5 s); `Infinity` turns it off.
   */
  timeoutMs?: number
}
