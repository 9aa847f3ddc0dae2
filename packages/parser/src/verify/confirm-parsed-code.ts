import type { Diagnostic } from '../diagnostics/diagnostic'
import type { ParsedCode } from '../parsed-code'
import { canConfirm, confirmDiagnostics } from './confirm-diagnostics'

/** The `parseCode` option that turns the confirmation of diagnostics on or off. */
export interface ConfirmDiagnosticsOptions {
  /**
   * Whether tree-sitter's diagnostics are checked against the language's own parser before
   * they are reported (default `true`). Where a grammar flags valid code, this removes the false
   * alarm; it never adds diagnostics, and it runs only when tree-sitter found an error in
   * JavaScript, TypeScript, TSX (needs the optional peer `typescript`), JSON (`JSON.parse`,
   * JSONC rules for JSONC files) or Bash (`bash -n`, when a `bash` binary is present).
   *
   * It costs nothing on code without errors; on code with errors, the first check loads the
   * TypeScript compiler (a few hundred milliseconds, once per process) or starts `bash` (a few
   * milliseconds per file). Pass `false` when only the tree matters (symbols, chunks) or for
   * tree-sitter's raw verdict. `ParsedCode.applyEdit` results are not confirmed (it is synchronous).
   */
  confirmDiagnostics?: boolean
}

/**
 * Confirms `parsed`'s diagnostics with the language's own parser (see `confirmDiagnostics`)
 * and, when that parser accepts the code, makes `parsed.diagnostics` empty and `parsed.valid`
 * true. Returns `parsed` itself. Costs one `hasError` check on code without errors.
 *
 * @param parsed - A fresh result of `parseCode`; owned by the caller as before.
 * @param options - `parseCode`'s options: the switch, the file name and the language as asked for.
 */
export async function confirmParsedCode(
  parsed: ParsedCode,
  options: ConfirmDiagnosticsOptions & { filename?: string | undefined; language?: string | undefined },
): Promise<ParsedCode> {
  if (options.confirmDiagnostics === false || parsed.valid || !canConfirm(parsed.language)) return parsed
  let reported: readonly Diagnostic[]
  try {
    reported = parsed.diagnostics
  } catch {
    // collecting them ran out of budget: the getter throws that again to the caller, unconfirmed
    return parsed
  }
  const confirmed = await confirmDiagnostics(parsed.language, parsed.code, reported, {
    filename: options.filename,
    language: options.language,
  })
  if (confirmed !== reported && !parsed.disposed) overrideDiagnostics(parsed, confirmed)
  return parsed
}

/**
 * Shadows `diagnostics` and `valid` on this one object with the confirmed verdict; both still
 * throw `DisposedError` after `dispose()`, as the originals do (reading `tree` checks it).
 * Edits (`applyEdit`) return new, unconfirmed objects: confirmation is asynchronous.
 */
function overrideDiagnostics(parsed: ParsedCode, diagnostics: readonly Diagnostic[]): void {
  Object.defineProperties(parsed, {
    diagnostics: {
      configurable: true,
      get: () => {
        void parsed.tree
        return diagnostics
      },
    },
    valid: {
      configurable: true,
      get: () => {
        void parsed.tree
        return diagnostics.length === 0
      },
    },
  })
}
