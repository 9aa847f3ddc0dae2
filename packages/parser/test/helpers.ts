// Shared imports for tests: the public API plus the internals tests need to observe.
export * from '../src/index'
export { liveParsedCodeCount as liveParsedCodeCountForTests } from '../src/parsed-code'
