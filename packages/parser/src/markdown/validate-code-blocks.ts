import type { Diagnostic } from '../diagnostics/diagnostic'
import { isParserError } from '../errors/parser-error'
import { requireLanguage } from '../languages/language-registry'
import { parseCode } from '../parse-code'
import type { ParseLimits } from '../parse-limits'
import type { CodeBlock } from './code-block'
import { extractCodeBlocks } from './extract-code-blocks'

/** A syntax diagnostic of a code block, with its line in the markdown as well. */
export interface CodeBlockDiagnostic extends Diagnostic {
  /** 1-based line in the markdown document (`line` is relative to the block's code). */
  readonly markdownLine: number
}

/** One block's verdict from {@link validateCodeBlocks}. */
export interface ValidatedCodeBlock {
  /** The block as {@link extractCodeBlocks} found it. */
  readonly block: CodeBlock
  /**
   * `valid`: parsed with no diagnostics. `invalid`: parsed with at least one. `skipped`: not
   * parsed, because the block names no language we know (`text`, `console`, none) or the
   * parse hit a limit; `reason` says which.
   */
  readonly status: 'valid' | 'invalid' | 'skipped'
  /** The syntax problems; empty unless `status` is `invalid`. At most `maxDiagnostics` (100 by default). */
  readonly diagnostics: readonly CodeBlockDiagnostic[]
  /** How many more problems the block has beyond those in `diagnostics`; left out when none. */
  readonly droppedDiagnostics?: number
  /** Why the block was skipped. */
  readonly reason?: string
}

/** What {@link validateCodeBlocks} accepts. */
export interface ValidateCodeBlocksOptions extends ParseLimits {
  /** The language of fences without an info string (```` ``` ```` alone). Default: skip them. */
  defaultLanguage?: string
  /** `'worker'`: parse each block in a worker thread first, as `parseCode`'s option of that name. */
  isolate?: 'worker'
}

/**
 * Extracts the fenced code blocks of a markdown answer and checks each one's syntax in one
 * call: the gate between an LLM's answer and the code it claims to contain. Every tree is
 * freed before this returns. Blocks in languages we cannot parse are reported as `skipped`,
 * never as valid or invalid; an unknown `defaultLanguage` throws `UnknownLanguageError`.
 *
 * @example
 * ```ts
 * const results = await validateCodeBlocks(answer)
 * const broken = results.filter((r) => r.status === 'invalid')
 * ```
 */
export async function validateCodeBlocks(
  markdown: string,
  options: ValidateCodeBlocksOptions = {},
): Promise<ValidatedCodeBlock[]> {
  const fallback =
    options.defaultLanguage === undefined ? undefined : requireLanguage(options.defaultLanguage).id
  const results: ValidatedCodeBlock[] = []
  for (const block of extractCodeBlocks(markdown)) {
    const language = block.language ?? (block.info === '' ? fallback : undefined)
    if (language === undefined) {
      const reason = block.info === '' ? 'the fence names no language' : `no grammar for "${block.info}"`
      results.push({ block, status: 'skipped', diagnostics: [], reason })
      continue
    }
    try {
      using parsed = await parseCode(block.code, {
        language,
        filename: block.info, // ```jsonc, title="tsconfig.json": the rules diagnostics are confirmed by
        ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.isolate === undefined ? {} : { isolate: options.isolate }),
        ...(options.maxDiagnostics === undefined ? {} : { maxDiagnostics: options.maxDiagnostics }),
        ...(options.maxSharedMemoryBytes === undefined
          ? {}
          : { maxSharedMemoryBytes: options.maxSharedMemoryBytes }),
      })
      const diagnostics = parsed.diagnostics.map((d) => ({
        ...d,
        markdownLine: block.codeStartLine + d.line - 1,
      }))
      const status = diagnostics.length === 0 ? 'valid' : 'invalid'
      const dropped = parsed.droppedDiagnostics
      results.push({ block, status, diagnostics, ...(dropped > 0 ? { droppedDiagnostics: dropped } : {}) })
    } catch (error) {
      // a limit (size, time, budget) makes the block skipped, with the limit's message as the reason
      if (!isParserError(error) || error.code === 'grammar_load_failed') throw error
      results.push({ block, status: 'skipped', diagnostics: [], reason: error.message })
    }
  }
  return results
}
