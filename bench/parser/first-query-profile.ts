// Profiles tags-query compilation per language, in CPU time (robust on a loaded machine):
// what the first symbols() compiles (all patterns, split as extractSymbols runs them), what the
// first chunks() adds (the variant without references), and each pattern alone minus the cost
// of compiling a one-node query, to find the patterns that make the first symbols() slow.
//   cd bench && node --conditions=@ql/source --import ./parser/register-ts.mjs parser/first-query-profile.ts [lang ...]
//   PROFILE_THRESHOLD_MS=2 (list patterns costing at least this much)

import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCode } from '@ql/parser'
import { Language, Query } from 'web-tree-sitter'
import { grammarInput } from '../../packages/parser/src/grammar-input.ts'
import { findLanguage as getLanguage } from '../../packages/parser/src/languages/language-registry.ts'
import {
  isCompressedGrammar,
  readCompressedGrammar,
} from '../../packages/parser/src/languages/read-grammar.ts'
import { getTagsQuery, listTagsQueryLanguages } from '../../packages/parser/src/queries/tags-query.ts'
import { compileSplitTagsQuery } from '../../packages/parser/src/symbols/compile-tags-query.ts'
import { splitQueryPatterns } from '../../packages/parser/src/symbols/query-patterns.ts'

const fixtures = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'packages',
  'parser',
  'test',
  'fixtures',
)
const cpu = (fn: () => void): number => {
  const start = process.cpuUsage()
  fn()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}
function best(runs: number, fn: () => number): number {
  let min = Number.POSITIVE_INFINITY
  for (let i = 0; i < runs; i++) min = Math.min(min, fn())
  return min
}
void createRequire

const threshold = Number(process.env.PROFILE_THRESHOLD_MS ?? 2)
const asked = process.argv.slice(2)
const languages = asked.length > 0 ? asked : listTagsQueryLanguages()
for (const id of languages) {
  const source = getTagsQuery(id)?.source
  const definition = getLanguage(id)
  if (source === undefined || definition === undefined) continue
  const source0 = definition.grammar
  const path = 'path' in source0 ? String(source0.path) : ''
  const input = isCompressedGrammar(path)
    ? await readCompressedGrammar(path)
    : grammarInput(id, definition.grammar)
  const sample = readdirSync(join(fixtures, 'languages')).find((f) => f.replace(/\.[^.]+$/, '') === id)
  const parsed = await parseCode(sample ? readFileSync(join(fixtures, 'languages', sample), 'utf8') : '', {
    language: id,
  })
  const rootType = parsed.tree.rootNode.type
  const language = parsed.tree.language
  parsed.dispose()
  const fresh: Language[] = []
  for (let i = 0; i < 6; i++) fresh.push(await Language.load(input))
  best(2, () => cpu(() => new Query(language, '(ERROR) @x').delete()))
  const base = best(3, () => cpu(() => new Query(language, '(ERROR) @x').delete()))
  let k = 0
  const symbolsMs = best(3, () => cpu(() => compileSplitTagsQuery(fresh[k++] as Language, source, rootType)))
  k = 3
  const chunksMs = best(3, () => {
    const l = fresh[k++] as Language
    compileSplitTagsQuery(l, source, rootType)
    return cpu(() => compileSplitTagsQuery(l, source, rootType, { references: false, reuse: true }))
  })
  const patterns = splitQueryPatterns(source)
  console.log(
    `${id}: first symbols() compiles ${symbolsMs.toFixed(1)} ms CPU, first chunks() ${chunksMs.toFixed(1)} ms more; ${patterns.length} patterns; one-node query ${base.toFixed(1)} ms`,
  )
  for (const pattern of patterns) {
    const ms = best(3, () => cpu(() => new Query(language, pattern).delete())) - base
    if (ms >= threshold)
      console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${pattern.replace(/\s+/g, ' ').slice(0, 140)}`)
  }
}
