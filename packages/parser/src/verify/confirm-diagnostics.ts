import type { Diagnostic } from '../diagnostics/diagnostic'
import { isJsoncName, jsonAccepts } from './confirm-json'
import { checkWithBash } from './confirm-with-bash'
import { confirmWithTypeScript } from './confirm-with-typescript'

/** What {@link confirmDiagnostics} knows about the code besides its language. */
export interface ConfirmContext {
  /** The file name or path (or a markdown fence info string), when known: picks `.d.ts`, JSONC and shell-dialect rules. */
  readonly filename?: string | undefined
  /** The language name as the caller asked for it (`jsonc`, `zsh`), before it was resolved to an id. */
  readonly language?: string | undefined
}

/** The languages whose diagnostics a language's own parser can confirm. */
const CONFIRMABLE = new Set(['javascript', 'typescript', 'tsx', 'json', 'bash'])

/** True when {@link confirmDiagnostics} can check diagnostics of this language at all. */
export function canConfirm(languageId: string): boolean {
  return CONFIRMABLE.has(languageId)
}

/**
 * Checks tree-sitter's diagnostics against the language's own parser, and drops them all when
 * that parser accepts the code; otherwise returns them unchanged. Only ever removes diagnostics,
 * and only when the authoritative parser accepts the whole file, so invalid code is never
 * reported valid because of it.
 *
 * - JavaScript, TypeScript, TSX: the TypeScript compiler's parser, then the grammar and early
 *   errors its checker reports (optional peer dependency `typescript`, imported on first use;
 *   without it the diagnostics are kept).
 * - JSON: `JSON.parse`; under the JSONC rules (comments and trailing commas blanked first) for
 *   `.jsonc`/`.json5` files, `jsonc`/`json5` fences and files their tools read as JSONC
 *   (`tsconfig*.json`, `.vscode/*.json`, `devcontainer.json`...), strict otherwise.
 * - Bash and sh: `bash -n` (parse only, nothing executed) when a `bash` binary can be started;
 *   zsh and ksh scripts are not confirmed (bash does not speak their syntax).
 *
 * Never throws: a confirmer that fails keeps the diagnostics.
 *
 * @param languageId - The resolved language id (`typescript`, `json`).
 * @param code - The source that was parsed.
 * @param diagnostics - tree-sitter's diagnostics for it.
 * @param context - The file name and the language name as asked for.
 * @returns `diagnostics` itself when they stand, or an empty array when the own parser accepts the code.
 */
export async function confirmDiagnostics(
  languageId: string,
  code: string,
  diagnostics: readonly Diagnostic[],
  context: ConfirmContext = {},
): Promise<readonly Diagnostic[]> {
  if (diagnostics.length === 0 || !canConfirm(languageId)) return diagnostics
  try {
    return (await ownParserAccepts(languageId, code, diagnostics, context)) ? [] : diagnostics
  } catch {
    return diagnostics
  }
}

async function ownParserAccepts(
  languageId: string,
  code: string,
  diagnostics: readonly Diagnostic[],
  context: ConfirmContext,
): Promise<boolean> {
  switch (languageId) {
    case 'json':
      return jsonAccepts(code, isJsoncName(context.filename, context.language))
    case 'bash':
      return isBashDialect(code, context) && (await checkWithBash(code)) === 'accepts'
    default:
      return (
        (
          await confirmWithTypeScript(
            languageId,
            code,
            context.filename,
            diagnostics.map((d) => d.startIndex),
          )
        ).verdict === 'accepts'
      )
  }
}

const OTHER_SHELLS = /^(zsh|ksh|mksh|pdksh|ksh93|fish|csh|tcsh)$/

/**
 * True unless the file is a zsh or ksh script (by the language asked for, the file name or
 * the `#!` line): bash's parser answers for bash and POSIX sh only.
 */
function isBashDialect(code: string, context: ConfirmContext): boolean {
  const requested = context.language?.trim().toLowerCase()
  if (requested !== undefined && OTHER_SHELLS.test(requested)) return false
  const base = (context.filename ?? '')
    .trim()
    .replace(/^.*[\\/]/, '')
    .toLowerCase()
  if (/\.(zsh|ksh)$/.test(base) || /^\.z(shrc|profile|shenv|login|logout)$/.test(base)) return false
  // a fence info string (```zsh) names the shell in its first word
  if (OTHER_SHELLS.test(base.split(/\s/, 1)[0] ?? '')) return false
  if (code.startsWith('#!')) {
    const line = code.slice(2, code.indexOf('\n') === -1 ? 256 : Math.min(code.indexOf('\n'), 256))
    const words = line
      .trim()
      .split(/\s+/)
      .map((word) => word.replace(/^.*\//, ''))
    const interpreter = words[0] === 'env' ? words.slice(1).find((word) => !word.startsWith('-')) : words[0]
    if (interpreter !== undefined && OTHER_SHELLS.test(interpreter)) return false
  }
  return true
}
