import { UnknownLanguageError } from '../errors/unknown-language-error'
import { builtInLanguages } from './built-in-languages'
import type { LanguageDefinition } from './language-definition'

interface RegisteredLanguage {
  readonly definition: LanguageDefinition
  readonly custom: boolean
}

const byId = new Map<string, RegisteredLanguage>()
const byName = new Map<string, string>()
const byExtension = new Map<string, string>()
const byFilename = new Map<string, string>()
const byShebang = new Map<string, string>()
const customIds = new Set<string>()

function index(definition: LanguageDefinition, custom: boolean): void {
  byId.set(definition.id, { definition, custom })
  byName.set(definition.id, definition.id)
  for (const alias of definition.aliases) byName.set(alias.toLowerCase(), definition.id)
  for (const extension of definition.extensions) byExtension.set(extension.toLowerCase(), definition.id)
  for (const filename of definition.filenames) byFilename.set(filename, definition.id)
  for (const shebang of definition.shebangs) byShebang.set(shebang, definition.id)
  if (custom) customIds.add(definition.id)
}

for (const definition of builtInLanguages) index(definition, false)

/** Adds or replaces a language; later registrations win on shared extensions and aliases. */
export function addLanguage(definition: LanguageDefinition): void {
  index(definition, true)
}

/** Every registered language, built-in first, in registration order. */
export function allLanguages(): readonly RegisteredLanguage[] {
  return [...byId.values()]
}

/** The language for an id or alias (case-insensitive), or `undefined`. */
export function findLanguage(name: string): LanguageDefinition | undefined {
  const id = byName.get(name.trim().toLowerCase())
  return id === undefined ? undefined : byId.get(id)?.definition
}

/** The language for an id or alias, or an {@link UnknownLanguageError}. */
export function requireLanguage(name: string): LanguageDefinition {
  const found = findLanguage(name)
  if (found !== undefined) return found
  throw new UnknownLanguageError({
    requested: name,
    message: `Unknown language "${name}". Call listLanguages() to see the supported ids and aliases, or registerLanguage() to add a grammar.`,
  })
}

/** The language id for a lower-case extension with its dot (`.ts`), or `undefined`. */
export function languageForExtension(extension: string): string | undefined {
  return byExtension.get(extension)
}

/** The language id for an exact file name (`Makefile`), or `undefined`. */
export function languageForFilename(filename: string): string | undefined {
  return byFilename.get(filename)
}

/** The language id for a shebang interpreter (`python3`), or `undefined`. */
export function languageForInterpreter(interpreter: string): string | undefined {
  const exact = byShebang.get(interpreter)
  if (exact !== undefined) return exact
  // python3.12, ruby2.7, node20: drop a trailing version
  const unversioned = interpreter.replace(/[\d.]+$/, '')
  return unversioned === interpreter ? undefined : byShebang.get(unversioned)
}
