// Shared imports for tests: the public API plus the internals tests need to observe.
export * from '../src/index'
export { discardableRuntimeCount as discardableRuntimeCountForTests } from '../src/init-tree-sitter'
export { liveParsedCodeCount as liveParsedCodeCountForTests } from '../src/parsed-code'
export {
  memoryReleased as memoryReleasedForTests,
  sharedRuntime as sharedRuntimeForTests,
} from '../src/tree-sitter-runtime'
