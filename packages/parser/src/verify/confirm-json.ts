/**
 * JSON files that their tools read as JSONC (comments and trailing commas allowed), by base
 * name. Matched case-insensitively; `*` stands for any run of characters.
 */
const JSONC_FILE_NAMES: readonly RegExp[] = [
  /^tsconfig(\..*)?\.json$/, // tsconfig.json, tsconfig.build.json
  /^jsconfig(\..*)?\.json$/,
  /^\.?devcontainer\.json$/,
  /^\.eslintrc(\.json)?$/,
  /^\.babelrc(\.json)?$/,
  /^\.swcrc$/,
  /^\.jshintrc$/,
  /^\.jscsrc$/,
  /^\.prettierrc(\.json)?$/,
  /^(biome|deno|turbo|tslint|api-extractor|typedoc|language-configuration|\.oxlintrc)\.json$/,
  /\.code-workspace$/,
  /\.code-snippets$/,
]

/** Extensions and fence names that mean JSONC. */
const JSONC_NAMES = new Set(['jsonc', 'json5'])

/**
 * True when JSON should be read under the JSONC rules (comments and trailing commas allowed)
 * rather than strict JSON (RFC 8259, what `JSON.parse` accepts). JSONC when:
 * - the language was asked for as `jsonc` or `json5`, or a fence says so (```` ```jsonc ````);
 * - the file name ends in `.jsonc` or `.json5`;
 * - the file is one its tools read as JSONC: `tsconfig*.json`, `jsconfig*.json`, any `.json` in a
 *   `.vscode/` folder, `devcontainer.json`, `.eslintrc(.json)`, `.babelrc(.json)`, `.swcrc`,
 *   `biome.json`, `deno.json`, `turbo.json`, `*.code-workspace` and a few more.
 * Everything else (`package.json`, any other `.json`, ```` ```json ```` fences, no name) is strict.
 *
 * @param name - A file name or path, or a markdown fence info string (`jsonc`, `json title="tsconfig.json"`).
 * @param requestedLanguage - The language name the caller asked for (`json`, `jsonc`).
 */
export function isJsoncName(name: string | undefined, requestedLanguage: string | undefined): boolean {
  if (requestedLanguage !== undefined && JSONC_NAMES.has(requestedLanguage.trim().toLowerCase())) return true
  if (name === undefined) return false
  const trimmed = name.trim().toLowerCase()
  // a fence info string: its first word, and a file name it mentions (title="tsconfig.json")
  const fenceWord = /^[\s{]*\.?(?:language-)?([^\s{},:=]+)/.exec(trimmed)?.[1]
  if (fenceWord !== undefined && JSONC_NAMES.has(fenceWord)) return true
  const paths = [trimmed, ...(trimmed.match(/[^\s"'=:{}]+\.json[c5]?\b/g) ?? [])]
  return paths.some((path) => {
    const normalized = path.replace(/\\/g, '/')
    const base = normalized.slice(normalized.lastIndexOf('/') + 1)
    if (base.endsWith('.jsonc') || base.endsWith('.json5')) return true
    if (/(^|\/)\.vscode\/[^/]+\.json$/.test(normalized)) return true
    return JSONC_FILE_NAMES.some((pattern) => pattern.test(base))
  })
}

/**
 * True when `JSON.parse` accepts `code`; under the JSONC rules, after comments and trailing
 * commas are blanked out (strings are left alone, so `"a // b"` and `"x,]"` stay as they are).
 * A leading byte-order mark is ignored.
 */
export function jsonAccepts(code: string, jsonc: boolean): boolean {
  const text = code.charCodeAt(0) === 0xfeff ? code.slice(1) : code
  try {
    JSON.parse(jsonc ? stripJsonc(text) : text)
    return true
  } catch {
    return false
  }
}

/**
 * `code` with every comment and trailing comma replaced by spaces (line breaks kept), so
 * `JSON.parse` reads JSONC. Unterminated strings and comments are left for `JSON.parse` to
 * reject.
 */
export function stripJsonc(code: string): string {
  const out: string[] = []
  /** Index in `out` of the last comma that nothing but whitespace and comments has followed yet. */
  let pendingComma = -1
  /** The last character that is not whitespace or a comment: a comma after `[`, `{` or `,` is not trailing. */
  let previous = ''
  const special = /["/,}\]]/g
  let at = 0
  while (at < code.length) {
    special.lastIndex = at
    const found = special.exec(code)
    const next = found === null ? code.length : found.index
    if (next > at) {
      const plain = code.slice(at, next)
      const last = /(\S)\s*$/.exec(plain)?.[1]
      if (last !== undefined) {
        pendingComma = -1
        previous = last
      }
      out.push(plain)
      at = next
      continue
    }
    const c = code[at]
    if (c === '"') {
      const end = stringEnd(code, at)
      out.push(code.slice(at, end))
      pendingComma = -1
      previous = '"'
      at = end
    } else if (c === '/' && code[at + 1] === '/') {
      let end = code.indexOf('\n', at)
      if (end === -1) end = code.length
      out.push(' '.repeat(end - at))
      at = end
    } else if (c === '/' && code[at + 1] === '*') {
      const close = code.indexOf('*/', at + 2)
      // unterminated: left for JSON.parse to reject
      const end = close === -1 ? code.length : close + 2
      out.push(close === -1 ? code.slice(at) : code.slice(at, end).replace(/[^\n\r]/g, ' '))
      at = end
    } else if (c === ',') {
      // `[,]` and `[1,,]` stay invalid: only a comma after a value can be trailing
      pendingComma =
        previous === '' || previous === '[' || previous === '{' || previous === ',' ? -1 : out.length
      previous = ','
      out.push(',')
      at += 1
    } else if (c === '}' || c === ']') {
      if (pendingComma !== -1) out[pendingComma] = ' '
      pendingComma = -1
      previous = c
      out.push(c)
      at += 1
    } else {
      // a lone '/': not JSON, left for JSON.parse to reject
      pendingComma = -1
      previous = '/'
      out.push(c as string)
      at += 1
    }
  }
  return out.join('')
}

/** The index just past the string literal opening at `start` (or the end of the line if it never closes). */
function stringEnd(code: string, start: number): number {
  let at = start + 1
  while (at < code.length) {
    const c = code[at]
    if (c === '\\') at += 2
    else if (c === '"') return at + 1
    else if (c === '\n') return at
    else at += 1
  }
  return code.length
}
