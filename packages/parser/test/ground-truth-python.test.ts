import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseCode } from '../src/parse-code'
import { type Score, scoreDefinitions, totalScore } from './fixtures/ground-truth/score-definitions'

/**
 * Symbols checked against CPython's own parser on code none of us wrote: modules of the Python
 * standard library installed on this machine. Functions, methods and classes, keyed by kind,
 * name and the line of the name.
 */
const modules = [
  'argparse.py',
  'ast.py',
  'calendar.py',
  'configparser.py',
  'csv.py',
  'dataclasses.py',
  'difflib.py',
  'enum.py',
  'fractions.py',
  'functools.py',
  'inspect.py',
  'ipaddress.py',
  'pathlib.py',
  'pprint.py',
  'shutil.py',
  'statistics.py',
  'string.py',
  'tarfile.py',
  'textwrap.py',
  'typing.py',
  'json/decoder.py',
  'json/encoder.py',
  'email/message.py',
  'http/client.py',
  'logging/__init__.py',
  'asyncio/base_events.py',
  'asyncio/tasks.py',
  'unittest/case.py',
  'collections/__init__.py',
  'concurrent/futures/_base.py',
]

const script = new URL('./fixtures/ground-truth/python_definitions.py', import.meta.url).pathname

describe('symbols vs CPython ast (ground truth)', () => {
  it('finds functions, methods and classes with >= 99% precision and recall', {
    timeout: 60_000,
  }, async () => {
    const stdlib = execFileSync(
      'python3',
      ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
      {
        encoding: 'utf8',
      },
    ).trim()
    const files = modules.map((m) => join(stdlib, m)).filter((f) => existsSync(f))
    expect(files.length).toBeGreaterThanOrEqual(25)
    const truth = JSON.parse(
      execFileSync('python3', [script, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
    ) as Record<string, [string, string, number, string | null][]>

    const scores: Score[] = []
    // docstrings: compared with whitespace collapsed, where the source has no escapes (ast decodes them)
    let docsCompared = 0
    let docsEqual = 0
    const docMismatches: string[] = []
    const normalize = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim()
    for (const file of files) {
      using parsed = await parseCode(readFileSync(file, 'utf8'), { filename: file })
      const definitions = parsed
        .symbols()
        .definitions.filter((d) => d.kind === 'function' || d.kind === 'method' || d.kind === 'class')
      const found = definitions.map((d) => `${d.kind} ${d.name} ${d.nameRange.startLine}`)
      const expected = (truth[file] ?? []).map(([kind, name, line]) => `${kind} ${name} ${line}`)
      scores.push(scoreDefinitions(expected, found))
      const docs = new Map(definitions.map((d) => [`${d.kind} ${d.name} ${d.nameRange.startLine}`, d.doc]))
      for (const [kind, name, line, doc] of truth[file] ?? []) {
        const key = `${kind} ${name} ${line}`
        if (!docs.has(key) || doc?.includes('\\') || docs.get(key)?.includes('\\')) continue
        docsCompared++
        if (normalize(doc) === normalize(docs.get(key))) docsEqual++
        else if (docMismatches.length < 10) docMismatches.push(`${file}: ${key}`)
      }
    }
    const total = totalScore(scores)
    console.log(
      `ground truth python: ${files.length} files, ${total.truth} definitions; precision ${(total.precision * 100).toFixed(2)}%, recall ${(total.recall * 100).toFixed(2)}%`,
    )
    console.log(
      `ground truth python docstrings: ${docsEqual} of ${docsCompared} equal to ast.get_docstring (${((docsEqual / docsCompared) * 100).toFixed(2)}%)`,
    )
    expect(docsEqual / docsCompared, `differ: ${docMismatches.join(', ')}`).toBeGreaterThanOrEqual(0.99)
    expect(total.truth).toBeGreaterThan(2000)
    expect(total.precision, `extra: ${total.extra.join(', ')}`).toBeGreaterThanOrEqual(0.99)
    expect(total.recall, `missed: ${total.missed.join(', ')}`).toBeGreaterThanOrEqual(0.99)
  })
})
