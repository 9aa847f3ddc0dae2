/**
 * Splits tree-sitter query source into its top-level patterns, in order, without compiling it:
 * each pattern is one balanced `( ... )` or `[ ... ]` group, a `"string"` or a bare `_`, with the
 * quantifiers and captures that follow it (`(a) @x`, `(b)* @y`). Comments (`; ...`) between
 * patterns are dropped. Compiling a query costs milliseconds per pattern on large grammars, so
 * the tags queries are cut up here and each variant compiled once.
 *
 * Unbalanced source gives its rest as one last pattern, so that compiling it reports the error.
 */
export function splitQueryPatterns(source: string): string[] {
  const patterns: string[] = []
  let i = 0
  const n = source.length
  const skipSpaceAndComments = () => {
    for (;;) {
      while (i < n && /\s/.test(source[i] as string)) i++
      if (source[i] !== ';') return
      while (i < n && source[i] !== '\n') i++
    }
  }
  for (;;) {
    skipSpaceAndComments()
    if (i >= n) break
    const start = i
    let depth = 0
    do {
      const c = source[i]
      if (c === '"') {
        i++
        while (i < n && source[i] !== '"') i += source[i] === '\\' ? 2 : 1
      } else if (c === ';') {
        while (i < n && source[i] !== '\n') i++
        continue
      } else if (c === '(' || c === '[') depth++
      else if (c === ')' || c === ']') depth--
      else if (depth === 0) {
        // a bare token at the top level (`_`, an identifier): read to its end
        while (i + 1 < n && !/[\s()[\]"@;]/.test(source[i + 1] as string)) i++
      }
      i++
    } while (i < n && depth > 0)
    if (depth > 0) {
      patterns.push(source.slice(start).trim())
      break
    }
    // quantifiers and captures that follow the pattern
    for (;;) {
      let j = i
      while (j < n && /\s/.test(source[j] as string)) j++
      const c = source[j]
      if (c === '*' || c === '+' || c === '?') i = j + 1
      else if (c === '@') {
        i = j + 1
        while (i < n && /[\w.-]/.test(source[i] as string)) i++
      } else break
    }
    patterns.push(source.slice(start, i))
  }
  return patterns
}
