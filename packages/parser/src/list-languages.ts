import type { LanguageInfo } from './languages/language-definition'
import { allLanguages } from './languages/language-registry'

/**
 * Every language `parseCode` accepts: the built-in ones and any added with
 * `registerLanguage`, with the extensions, file names, shebangs and aliases that detect them
 * and the grammar build each uses. Grammars are not loaded by this call.
 */
export function listLanguages(): LanguageInfo[] {
  return allLanguages().map(({ definition, custom }) => ({
    id: definition.id,
    displayName: definition.displayName,
    extensions: definition.extensions,
    filenames: definition.filenames,
    shebangs: definition.shebangs,
    aliases: definition.aliases,
    grammarName: definition.grammarName,
    caveats: definition.caveats,
    custom,
  }))
}
