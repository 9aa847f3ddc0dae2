import type { Tree } from 'web-tree-sitter'

/**
 * What `extractSymbols` and `chunkCode` read from a parsed file. `ParsedCode` has all of it;
 * anything else holding a live web-tree-sitter tree of `code` (a tree you parsed yourself) works too.
 */
export interface ParsedSource {
  /** The language id the tree was parsed as (`typescript`, `python`, ...). */
  readonly language: string
  /** The source text the tree was parsed from. */
  readonly code: string
  /** The syntax tree. It must not have been deleted. */
  readonly tree: Tree
}
