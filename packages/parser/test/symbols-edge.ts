// Shared by the symbols-edge tests: each pins what a childless tags pattern (read in JavaScript by
// a predicate) finds on a fixture of the shapes the patterns it replaced told apart.
import { readFileSync } from 'node:fs'
import { parseCode } from '../src/parse-code'
import type { CodeSymbols } from '../src/symbols/code-symbols'
import type { SymbolDefinition } from '../src/symbols/symbol-definition'

/**
 * Parses `fixtures/symbols-edge/<file>` as `language` and returns its source, its symbols, and its
 * symbols without references (the faster definitions-only query).
 */
export async function edgeSymbols(
  file: string,
  language: string,
): Promise<{ code: string; symbols: CodeSymbols; definitionsOnly: CodeSymbols }> {
  const code = readFileSync(new URL(`./fixtures/symbols-edge/${file}`, import.meta.url), 'utf8')
  using parsed = await parseCode(code, { language })
  return { code, symbols: parsed.symbols(), definitionsOnly: parsed.symbols({ references: false }) }
}

/** A definition as the edge tests list it: `kind enclosing.name line`. */
export function definitionLine(definition: SymbolDefinition): string {
  const enclosing = definition.enclosing === undefined ? '' : `${definition.enclosing}.`
  return `${definition.kind} ${enclosing}${definition.name} ${definition.range.startLine}`
}
