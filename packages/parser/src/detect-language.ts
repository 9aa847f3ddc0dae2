import {
  findLanguage,
  languageForExtension,
  languageForFilename,
  languageForInterpreter,
} from './languages/language-registry'

/**
 * Finds the language of a file, or `undefined` when nothing matches. Tried in order:
 *
 * 1. an exact file name (`Dockerfile`-style: `Gemfile`, `.bashrc`);
 * 2. the longest matching extension, case-insensitively (`.d.ts` → `.ts`);
 * 3. a language id or alias given instead of a file name, or a markdown fence info string
 *    (`ts`, `c++`, `py title="x.py"`, `{.python}`);
 * 4. the `#!` line of `content`, when given (`#!/usr/bin/env python3`, `#!/bin/sh`).
 *
 * @param filename - A path or a bare file name (directories are ignored), or a fence info string.
 * @param content - The file's text, used for the shebang when the name says nothing.
 * @returns The language id (`typescript`, `cpp`), as accepted by `parseCode`.
 */
export function detectLanguage(filename: string, content?: string): string | undefined {
  const base = basename(filename)
  if (base !== '') {
    const exact = languageForFilename(base)
    if (exact !== undefined) return exact
    const lower = base.toLowerCase()
    let dot = lower.indexOf('.', 1)
    while (dot !== -1) {
      const found = languageForExtension(lower.slice(dot))
      if (found !== undefined) return found
      dot = lower.indexOf('.', dot + 1)
    }
    if (lower.startsWith('.')) {
      const found = languageForExtension(lower)
      if (found !== undefined) return found
    }
  }
  const fenced = languageFromFenceInfo(filename)
  if (fenced !== undefined) return fenced
  return content === undefined ? undefined : languageFromShebang(content)
}

/**
 * The language named by a markdown fence info string (the text after ```` ``` ````), or
 * `undefined`. Accepts `ts`, `TypeScript`, `py title="a.py"`, `{.python .numberLines}`,
 * `language-rust`, `js:app.js` and `file.tsx` style info strings.
 */
export function languageFromFenceInfo(info: string): string | undefined {
  const word = /^[\s{]*\.?([^\s{},:=]+)/.exec(info)?.[1]
  if (word === undefined) return undefined
  const name = word.replace(/^language-/i, '')
  const direct = findLanguage(name)
  if (direct !== undefined) return direct.id
  if (name.includes('.')) {
    const base = basename(name)
    const extension = base.slice(base.lastIndexOf('.')).toLowerCase()
    return languageForFilename(base) ?? languageForExtension(extension)
  }
  return undefined
}

/** The language named by the `#!` line at the start of `content`, or `undefined`. */
export function languageFromShebang(content: string): string | undefined {
  if (!content.startsWith('#!')) return undefined
  const end = content.indexOf('\n')
  const line = content.slice(2, end === -1 ? Math.min(content.length, 256) : Math.min(end, 256)).trim()
  const words = line.split(/\s+/)
  let interpreter = basename(words[0] ?? '')
  if (interpreter === 'env') {
    // #!/usr/bin/env -S node --flags, #!/usr/bin/env python3
    interpreter = basename(words.slice(1).find((word) => !word.startsWith('-') && !word.includes('=')) ?? '')
  }
  return interpreter === '' ? undefined : languageForInterpreter(interpreter)
}

function basename(path: string): string {
  const trimmed = path.trim()
  const slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'))
  return slash === -1 ? trimmed : trimmed.slice(slash + 1)
}
