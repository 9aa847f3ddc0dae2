/**
 * One text change, in the coordinates of the code it applies to: replace
 * `code.slice(startIndex, oldEndIndex)` with `newText`. Offsets are 0-based JavaScript string
 * indices (UTF-16 code units). An insertion has `startIndex === oldEndIndex`; a deletion has
 * `newText === ''`.
 */
export interface CodeEdit {
  /** Where the replaced range starts. */
  readonly startIndex: number
  /** Where the replaced range ends (exclusive), in the code before the edit. */
  readonly oldEndIndex: number
  /** The text that replaces the range. */
  readonly newText: string
}
