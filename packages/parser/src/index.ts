// The public API of @ql/parser. Internals (the shared parser, the diagnostics walk, worker code) stay unexported.

export type { ChunkCodeOptions } from './chunks/chunk-code'
export { chunkCode, DEFAULT_CHUNKS_BUDGET_MS } from './chunks/chunk-code'
export type { ChunkScope, CodeChunk } from './chunks/code-chunk'
export { estimateTokens } from './chunks/estimate-tokens'
export type { CodeEdit } from './code-edit'
export { detectLanguage, languageFromFenceInfo, languageFromShebang } from './detect-language'
export type { Diagnostic } from './diagnostics/diagnostic'
export { BinaryContentError } from './errors/binary-content-error'
export type { BudgetedOperation } from './errors/budget-exceeded-error'
export { BudgetExceededError } from './errors/budget-exceeded-error'
export { DisposedError } from './errors/disposed-error'
export { GrammarLoadError } from './errors/grammar-load-error'
export { InputTooLargeError } from './errors/input-too-large-error'
export { InvalidArgumentError } from './errors/invalid-argument-error'
export { InvalidUtf8Error } from './errors/invalid-utf8-error'
export { ParseFailedError } from './errors/parse-failed-error'
export { ParseTimeoutError } from './errors/parse-timeout-error'
export type { ParserErrorJSON, ParserErrorOptions } from './errors/parser-error'
export { isParserError, ParserError } from './errors/parser-error'
export type { ParserErrorCode } from './errors/parser-error-code'
export { parserErrorFromJSON } from './errors/parser-error-from-json'
export { UnknownLanguageError } from './errors/unknown-language-error'
export { wasmMemoryBytes } from './init-tree-sitter'
export type { GrammarSource, LanguageDefinition, LanguageInfo } from './languages/language-definition'
export { listLanguages } from './list-languages'
export { loadLanguage } from './load-language'
export type { CodeBlock } from './markdown/code-block'
export { extractCodeBlocks } from './markdown/extract-code-blocks'
export type {
  CodeBlockDiagnostic,
  ValidateCodeBlocksOptions,
  ValidatedCodeBlock,
} from './markdown/validate-code-blocks'
export { validateCodeBlocks } from './markdown/validate-code-blocks'
export type { LanguageSelector, ParseCodeOptions } from './parse-code'
export { parseCode } from './parse-code'
export type { ParseLimits } from './parse-limits'
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_DIAGNOSTICS,
  DEFAULT_MAX_SHARED_MEMORY_BYTES,
  DEFAULT_TIMEOUT_MS,
} from './parse-limits'
export type { ChunkOptions, SymbolOptions } from './parsed-code'
export { ParsedCode } from './parsed-code'
export type { TagsQuery } from './queries/tags-query'
export { getTagsQuery, listTagsQueryLanguages, registerTagsQuery } from './queries/tags-query'
export type { RegisterLanguageOptions } from './register-language'
export { registerLanguage } from './register-language'
export { buildRepoMap } from './repo-map/build-repo-map'
export type {
  BuildRepoMapOptions,
  RankedFile,
  RepoFile,
  RepoMap,
  RepoMapEntry,
  RepoMapInput,
  RepoMapProgress,
  SkippedFile,
} from './repo-map/repo-map'
export type { WalkRepositoryOptions } from './repo-map/walk-repository'
export { walkRepository } from './repo-map/walk-repository'
export type { CodeSymbols } from './symbols/code-symbols'
export type { ExtractSymbolsOptions } from './symbols/extract-symbols'
export { extractSymbols } from './symbols/extract-symbols'
export type { ParsedSource } from './symbols/parsed-source'
export type { SourceRange } from './symbols/source-range'
export type { SymbolDefinition } from './symbols/symbol-definition'
export type { SymbolImport } from './symbols/symbol-import'
export type { SymbolKind } from './symbols/symbol-kind'
export { symbolKinds } from './symbols/symbol-kind'
export type { SymbolReference } from './symbols/symbol-reference'
export { createQuery } from './tree-sitter-runtime'
export type { ConfirmDiagnosticsOptions } from './verify/confirm-parsed-code'
