import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { confirmDiagnostics } from '../src/verify/confirm-diagnostics'
import { isJsoncName, jsonAccepts, stripJsonc } from '../src/verify/confirm-json'
import { checkWithBash, setBashCommandForTests } from '../src/verify/confirm-with-bash'
import { confirmWithTypeScript } from '../src/verify/confirm-with-typescript'
import { setTypeScriptLoaderForTests } from '../src/verify/load-typescript'
import { DisposedError, type ParseCodeOptions, parseCode, validateCodeBlocks } from './helpers'
import { FIRST_USE_TIMEOUT_MS } from './timeouts'

/** Diagnostics of `code` before (tree-sitter alone) and after confirmation. */
async function both(code: string, options: ParseCodeOptions): Promise<{ raw: number; confirmed: string[] }> {
  using raw = await parseCode(code, { ...options, confirmDiagnostics: false })
  using confirmed = await parseCode(code, options)
  expect(confirmed.valid).toBe(confirmed.diagnostics.length === 0)
  return {
    raw: raw.diagnostics.length,
    confirmed: confirmed.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`),
  }
}

const hasBash = await checkWithBash('true\n').then((verdict) => verdict !== 'unavailable')

// Valid code that the grammar flags: each must come out with no diagnostics (and each is checked
// to be flagged without confirmation, so the test keeps proving something).
const validFlagged: [string, string, Partial<ParseCodeOptions>?][] = [
  ['javascript', 'const _null = 1;\nexport { _null as null };\n'],
  ['javascript', 'const a = 1;\nexport { a as default, a as "string name", a as null, a as class };\n'],
  [
    'typescript',
    'declare module "m" {\n  global {\n    interface Window { x: number }\n  }\n}\n',
    { filename: 'types/m.d.ts' },
  ],
  ['typescript', 'interface Producer<out T> { get(): T }\ninterface Consumer<in T> { put(x: T): void }\n'],
  ['typescript', 'type A = import("m").T<string>;\n'],
  ['typescript', 'export type * from "m";\nexport type * as ns from "n";\n'],
  ['typescript', 'export default function (): void;\n', { filename: 'index.d.ts' }],
  ['typescript', 'type K<T> = { [P in keyof readonly T[]]: P };\n'],
  ['tsx', 'interface I<in T, out U> { f(x: T): U }\nexport const A = () => <div />;\n'],
  ['json', '{\n  "compilerOptions": {\n    "strict": true,\n  },\n}\n', { filename: 'tsconfig.json' }],
  [
    'json',
    '{\n  // the base\n  "extends": "./tsconfig.json",\n  "include": ["src",],\n}\n',
    { filename: 'tsconfig.build.json' },
  ],
  ['json', '{ "editor.tabSize": 2, }\n', { filename: '.vscode/settings.json' }],
  ['json', '{ "a": [1, 2,], }\n', { language: 'jsonc' }],
]

// Invalid code: flagged by the grammar, and still flagged after confirmation (misses must not rise).
const invalidFlagged: [string, string, Partial<ParseCodeOptions>?][] = [
  ['javascript', 'const _null = 1;\nexport { _null as null\n'],
  ['javascript', '1 = 2;\n'],
  ['javascript', 'let x: number = 1;\n'], // TypeScript syntax in a .js file
  ['javascript', 'function f( { return 1 }\n'],
  ['javascript', 'const a = ;\n'],
  ['javascript', 'f(a b);\n'],
  ['javascript', 'const x = <div><span></div>;\n'],
  ['javascript', 'import x from;\n'],
  ['javascript', 'public function f() {}\n'],
  ['javascript', 'x => { return }}\n'],
  ['typescript', 'interface I<in T { }\n'],
  ['typescript', 'let x: = 1;\n'],
  ['typescript', 'type T = { a: string; b: };\n'],
  ['typescript', 'class C { private private x: number }\n'],
  ['typescript', 'enum E { A = 1, B = }\n'],
  ['typescript', 'public function f() {}\n'],
  ['typescript', 'export default function (): void;\nexport type * from;\n', { filename: 'index.d.ts' }],
  ['tsx', 'interface I<in T, out U> { f(x: T): U\n'],
  ['tsx', 'const a = <div>;\n'],
  ['json', '{\n  "compilerOptions": {\n    "strict": true,\n  },\n}\n', { filename: 'package.json' }],
  ['json', '{ "a": 1, }\n'],
  ['json', '{ "a": 1,, }\n', { filename: 'tsconfig.json' }],
  ['json', '{ "a": [1, 2,,], }\n', { language: 'jsonc' }],
]

describe('confirmDiagnostics: JavaScript, TypeScript, TSX (the TypeScript compiler)', {
  timeout: FIRST_USE_TIMEOUT_MS,
}, () => {
  it.each(validFlagged.filter(([language]) => language !== 'json'))(
    '%s accepts valid code the grammar flags: %j',
    async (language, code, options) => {
      const { raw, confirmed } = await both(code, { language, ...options } as ParseCodeOptions)
      expect(raw).toBeGreaterThan(0)
      expect(confirmed).toEqual([])
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it.each(invalidFlagged.filter(([language]) => language !== 'json'))(
    '%s still flags invalid code: %j',
    async (language, code, options) => {
      const { raw, confirmed } = await both(code, { language, ...options } as ParseCodeOptions)
      expect(raw).toBeGreaterThan(0)
      expect(confirmed).toHaveLength(raw)
    },
    FIRST_USE_TIMEOUT_MS,
  )

  it('keeps the grammar and early errors the checker reports, not type errors', async () => {
    expect(
      await confirmWithTypeScript(
        'typescript',
        'let x: Array<string> = []; import y from "./z"; y(x)',
        undefined,
      ),
    ).toEqual({
      verdict: 'accepts',
    })
    for (const code of ['1 = 2', 'let let = 1', 'function f() { await x }', '({ a = 1 })', 'let x; let x;']) {
      expect(await confirmWithTypeScript('javascript', code, 'a.js')).toMatchObject({ verdict: 'rejects' })
    }
    // declaration-file rules come from the file name
    expect(await confirmWithTypeScript('typescript', 'const x = 1;', 'a.d.ts')).toMatchObject({
      verdict: 'rejects',
    })
    expect(await confirmWithTypeScript('typescript', 'const x = 1;', 'a.mts')).toEqual({ verdict: 'accepts' })
    expect(await confirmWithTypeScript('javascript', 'const a = <div />;', 'a.jsx')).toEqual({
      verdict: 'accepts',
    })
    expect(await confirmWithTypeScript('javascript', 'const a = 1;', 'a.cjs')).toEqual({ verdict: 'accepts' })
  })

  describe('files over 32 KB: checked by the pieces around the diagnostics', () => {
    /** About 40 KB of valid TypeScript that tree-sitter has no complaint about. */
    const filler = Array.from(
      { length: 1000 },
      (_, i) => `export function f${i}(a: number): number { return a + ${i} }`,
    ).join('\n')
    const untyped = filler.replace(/: number/g, '')
    const largeClass = (member: string) =>
      `export class Big {\n${Array.from({ length: 1000 }, (_, i) => `  m${i}(a: number): number { return a * ${i} }`).join('\n')}\n  ${member}\n}\n`

    async function check(code: string, language = 'typescript', filename = 'big.ts') {
      const { raw, confirmed } = await both(code, { language, filename } as ParseCodeOptions)
      expect(code.length).toBeGreaterThan(32 * 1024)
      expect(raw).toBeGreaterThan(0)
      return confirmed.length
    }

    it(
      'accepts a valid top-level statement, function and class member the grammar flags',
      async () => {
        expect(await check(`${filler}\ninterface I<in T> { f(x: T): void }\n`)).toBe(0)
        expect(await check(`${filler}\nexport type * from "m";\n`)).toBe(0)
        expect(await check(largeClass('n(): import("m").T<string> { return null as never }'))).toBe(0)
        // a module: top-level await is fine there
        expect(
          await check(`${untyped}\nexport { f0 as null };\nawait f0(1);\n`, 'javascript', 'big.mjs'),
        ).toBe(0)
      },
      FIRST_USE_TIMEOUT_MS,
    )

    it(
      'keeps grammar errors found in those pieces',
      async () => {
        expect(await check(`${filler}\nfunction g() { 1 = 2; interface I<in T> {} }\n`)).toBeGreaterThan(0)
        expect(
          await check(largeClass('n(): import("m").T<string> { let let = 1; return null as never }')),
        ).toBeGreaterThan(0)
        const iife = `(function () {\n${untyped.replace(/export /g, '')}\n  const h = function () { 1 = 2 }\n})()\n`
        expect(await check(iife, 'javascript', 'big.js')).toBeGreaterThan(0)
      },
      FIRST_USE_TIMEOUT_MS,
    )

    it(
      'checks a statement of a large `declare module` body in a body of its kind',
      async () => {
        const body = Array.from(
          { length: 1200 },
          (_, i) => `  export function f${i}(a: number): number;`,
        ).join('\n')
        const module = (inner: string) => `declare module "m" {\n${body}\n${inner}\n}\n`
        expect(
          await check(module('  global {\n    interface Window { x: number }\n  }'), 'typescript', 'm.d.ts'),
        ).toBe(0)
        expect(
          await check(module('  export interface I<in T> { f(x: T): void }'), 'typescript', 'm.d.ts'),
        ).toBe(0)
        // variance on a function's type parameter: the checker's grammar error 1274
        expect(
          await check(module('  export function g<in T>(x: T): void;'), 'typescript', 'm.d.ts'),
        ).toBeGreaterThan(0)
      },
      FIRST_USE_TIMEOUT_MS,
    )

    it(
      'checks the header of a large module around a diagnostic on its own',
      async () => {
        const body = Array.from({ length: 1200 }, (_, i) => `    interface I${i} { a: number }`).join('\n')
        const module = (head: string) => `declare module "m" {\n  ${head} {\n${body}\n  }\n}\n`
        expect(await check(module('global'), 'typescript', 'm.d.ts')).toBe(0)
        // 2668: `export` cannot be applied to a module augmentation; 1044: nor `abstract`
        expect(await check(module('export global'), 'typescript', 'm.d.ts')).toBeGreaterThan(0)
        expect(await check(module('abstract global'), 'typescript', 'm.d.ts')).toBeGreaterThan(0)
      },
      FIRST_USE_TIMEOUT_MS,
    )

    it('keeps the diagnostics when the piece around one is itself over 32 KB', async () => {
      const huge = `interface Huge<in T> {\n${Array.from({ length: 4000 }, (_, i) => `  property${i}: T`).join('\n')}\n}\n`
      expect(await confirmWithTypeScript('typescript', huge, 'a.ts', [huge.indexOf('in T')])).toEqual({
        verdict: 'undecided',
      })
    })
  })

  it('does nothing on valid code and when turned off', async () => {
    using valid = await parseCode('export const a = 1\n', { language: 'typescript' })
    expect(valid.diagnostics).toEqual([])
    using off = await parseCode('interface I<in T> {}\n', {
      language: 'typescript',
      confirmDiagnostics: false,
    })
    expect(off.valid).toBe(false)
    expect(off.diagnostics.length).toBeGreaterThan(0)
  })

  it('keeps both getters bound to the tree: they throw once disposed', async () => {
    const parsed = await parseCode('interface I<in T> {}\n', { language: 'typescript' })
    expect(parsed.valid).toBe(true)
    parsed.dispose()
    expect(() => parsed.diagnostics).toThrow(DisposedError)
    expect(() => parsed.valid).toThrow(DisposedError)
  })

  describe('without the typescript package', () => {
    afterEach(() => setTypeScriptLoaderForTests(undefined))

    it('keeps the grammar diagnostics when typescript cannot be imported', async () => {
      setTypeScriptLoaderForTests(() => Promise.reject(new Error("Cannot find package 'typescript'")))
      expect(await confirmWithTypeScript('typescript', 'interface I<in T> {}', undefined)).toEqual({
        verdict: 'unavailable',
      })
      const { raw, confirmed } = await both('interface I<in T> {}\n', { language: 'typescript' })
      expect(confirmed).toHaveLength(raw)
    })

    it('keeps them when the module is not a usable compiler API (TypeScript 7) or throws', async () => {
      setTypeScriptLoaderForTests(() => Promise.resolve({ default: { version: '7.0.0' } }))
      expect(await confirmWithTypeScript('typescript', 'x', undefined)).toEqual({ verdict: 'unavailable' })
      const throwing = {
        version: '5.9.3',
        ScriptKind: {},
        ScriptTarget: {},
        createProgram: () => ({}),
        createSourceFile: () => {
          throw new Error('boom')
        },
      }
      setTypeScriptLoaderForTests(() => Promise.resolve(throwing))
      const diagnostics = [{ message: 'x' }] as never[]
      expect(await confirmDiagnostics('typescript', 'interface I<in T> {}', diagnostics)).toBe(diagnostics)
    })
  })
})

/** Node's own type declarations, written by people none of us are: a real corpus the grammar flags. */
const typesNode = (() => {
  try {
    return dirname(createRequire(import.meta.url).resolve('@types/node/package.json'))
  } catch {
    return undefined
  }
})()

describe.runIf(typesNode !== undefined)(
  'confirmDiagnostics: a real corpus (@types/node)',
  { timeout: 120_000 },
  () => {
    it('leaves no diagnostics on any of its declaration files, and still flags a broken copy of each', async () => {
      const files = readdirSync(typesNode as string).filter((name) => name.endsWith('.d.ts'))
      expect(files.length).toBeGreaterThan(40)
      const flagged: string[] = []
      for (const name of files) {
        const code = readFileSync(join(typesNode as string, name), 'utf8')
        const { raw, confirmed } = await both(code, { language: 'typescript', filename: name })
        expect({ name, confirmed }).toEqual({ name, confirmed: [] })
        if (raw === 0) continue
        flagged.push(name)
        // misses must not rise: the same file with its last `}` removed stays flagged
        const broken = code.slice(0, code.lastIndexOf('}')) + code.slice(code.lastIndexOf('}') + 1)
        const after = await both(broken, { language: 'typescript', filename: name })
        expect({ name, flagged: after.confirmed.length > 0 }).toEqual({ name, flagged: true })
      }
      // the grammar flags a good share of them (14 of 66 in @types/node 20.19)
      expect(flagged.length).toBeGreaterThan(0)
    })
  },
)

describe('confirmDiagnostics: JSON (JSON.parse, JSONC rules by file name)', {
  timeout: FIRST_USE_TIMEOUT_MS,
}, () => {
  it.each(validFlagged.filter(([language]) => language === 'json'))(
    'accepts JSONC where JSONC is the format: %j %j',
    async (language, code, options) => {
      const { raw, confirmed } = await both(code, { language, ...options } as ParseCodeOptions)
      expect(raw).toBeGreaterThan(0)
      expect(confirmed).toEqual([])
    },
  )

  it.each(invalidFlagged.filter(([language]) => language === 'json'))(
    'still flags it in strict JSON, and broken JSONC: %j %j',
    async (language, code, options) => {
      const { raw, confirmed } = await both(code, { language, ...options } as ParseCodeOptions)
      expect(raw).toBeGreaterThan(0)
      expect(confirmed).toHaveLength(raw)
    },
  )

  it('confirms ```jsonc fences in markdown, not ```json ones', async () => {
    const answer = '```jsonc\n{ "a": 1, }\n```\n\n```json\n{ "a": 1, }\n```\n'
    const [jsonc, json] = await validateCodeBlocks(answer)
    expect(jsonc?.status).toBe('valid')
    expect(json?.status).toBe('invalid')
  })

  it.each([
    ['tsconfig.json', true],
    ['packages/a/tsconfig.build.json', true],
    ['jsconfig.json', true],
    ['C:\\repo\\.vscode\\launch.json', true],
    ['.devcontainer/devcontainer.json', true],
    ['.devcontainer.json', true],
    ['.eslintrc.json', true],
    ['.babelrc', true],
    ['biome.json', true],
    ['app.code-workspace', true],
    ['settings.jsonc', true],
    ['config.json5', true],
    ['jsonc', true],
    ['json title="tsconfig.json"', true],
    ['{.jsonc}', true],
    ['package.json', false],
    ['data/tsconfig-like.json', false],
    ['json', false],
    ['', false],
  ])('%j is JSONC: %s', (name, expected) => {
    expect(isJsoncName(name, undefined)).toBe(expected)
  })

  it('reads the language as asked for', () => {
    expect(isJsoncName(undefined, 'jsonc')).toBe(true)
    expect(isJsoncName(undefined, 'JSON5')).toBe(true)
    expect(isJsoncName(undefined, 'json')).toBe(false)
    expect(isJsoncName(undefined, undefined)).toBe(false)
  })

  it('blanks comments and trailing commas but never touches strings', () => {
    const code =
      '{\n  "url": "http://x//y", // note\n  "c": "/* no */",\n  "t": "a,]", /* block\n */ "l": [1, 2, /* x */ ],\n}'
    const stripped = stripJsonc(code)
    expect(stripped).toHaveLength(code.length)
    expect(JSON.parse(stripped)).toEqual({ url: 'http://x//y', c: '/* no */', t: 'a,]', l: [1, 2] })
    expect(stripJsonc('{"a": "x\\"y", }')).toBe('{"a": "x\\"y"  }')
    expect(jsonAccepts('\uFEFF{"a": 1}', false)).toBe(true)
    expect(jsonAccepts('{"a": 1} /* open', true)).toBe(false)
    expect(jsonAccepts('{"a": "open}', true)).toBe(false)
    expect(jsonAccepts('[1, / 2]', true)).toBe(false)
    expect(jsonAccepts('[,]', true)).toBe(false)
    expect(jsonAccepts('{,}', true)).toBe(false)
    expect(jsonAccepts('[1,,]', true)).toBe(false)
    expect(jsonAccepts('[1, /* c */ ]', true)).toBe(true)
    expect(jsonAccepts('{"a": {"b": [1,],},}', true)).toBe(true)
    expect(jsonAccepts('{"a": 1}\n// end', true)).toBe(true)
    expect(jsonAccepts('{"a": 1}\n// end', false)).toBe(false)
  })
})

describe.runIf(hasBash)('confirmDiagnostics: Bash (bash -n)', { timeout: FIRST_USE_TIMEOUT_MS }, () => {
  it.each([
    'for i do\n  echo "$i"\ndone\n',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax
    'echo ${1//&/\\&amp;}\n',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax
    's=abc; i=1; echo "${s:$i:1}"\n',
  ])('accepts valid shell the grammar flags: %j', async (code) => {
    const { raw, confirmed } = await both(code, { language: 'bash' })
    expect(raw).toBeGreaterThan(0)
    expect(confirmed).toEqual([])
  })

  it.each([
    'for i do\n  echo "$i"\n',
    'if then fi\n',
    'echo $(( 1 + \n',
    'case x in a) echo ;; esac esac\n',
    'f() { echo hi\n',
  ])('still flags invalid shell: %j', async (code) => {
    const { raw, confirmed } = await both(code, { language: 'bash' })
    expect(raw).toBeGreaterThan(0)
    expect(confirmed).toHaveLength(raw)
  })

  it('does not ask bash about zsh or ksh scripts', async () => {
    const code = 'for i do\n  echo "$i"\ndone\n'
    for (const options of [
      { language: 'zsh' },
      { filename: 'setup.zsh' },
      { filename: '.zshrc' },
      { filename: 'tool', language: 'bash' },
    ] as ParseCodeOptions[]) {
      const source = options.filename === 'tool' ? `#!/usr/bin/env zsh\n${code}` : code
      const { raw, confirmed } = await both(source, options)
      expect(confirmed).toHaveLength(raw)
    }
    const { confirmed } = await both(`#!/bin/sh\n${code}`, { filename: 'tool' })
    expect(confirmed).toEqual([])
  })

  it('never executes the script', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ql-bash-'))
    try {
      const marker = join(dir, 'ran')
      expect(await checkWithBash(`touch '${marker}'\nfor i do echo; done\n`)).toBe('accepts')
      const { existsSync } = await import('node:fs')
      expect(existsSync(marker)).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('confirmDiagnostics: when bash cannot answer', { timeout: FIRST_USE_TIMEOUT_MS }, () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ql-fake-bash-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  afterEach(() => setBashCommandForTests(undefined))

  function fakeBash(name: string, script: string): string {
    const path = join(dir, name)
    writeFileSync(path, `#!/bin/sh\n${script}\n`)
    chmodSync(path, 0o755)
    return path
  }

  it('keeps the diagnostics when there is no bash, and stops trying', async () => {
    setBashCommandForTests(join(dir, 'no-such-bash'))
    expect(await checkWithBash('true\n')).toBe('unavailable')
    expect(await checkWithBash('true\n')).toBe('unavailable')
    const { raw, confirmed } = await both('for i do\n  echo "$i"\ndone\n', { language: 'bash' })
    expect(confirmed).toHaveLength(raw)
  })

  it('gives up after the time limit', async () => {
    setBashCommandForTests(fakeBash('slow-bash', 'exec sleep 30'))
    expect(await checkWithBash('true\n', 50)).toBe('unavailable')
  })

  it('counts only syntax errors as a rejection', async () => {
    setBashCommandForTests(fakeBash('failing-bash', 'cat >/dev/null; echo "out of memory" >&2; exit 3'))
    expect(await checkWithBash('true\n')).toBe('unavailable')
    setBashCommandForTests(
      fakeBash('rejecting-bash', 'cat >/dev/null; echo "bash: line 1: syntax error" >&2; exit 2'),
    )
    expect(await checkWithBash('true\n')).toBe('rejects')
    setBashCommandForTests(fakeBash('accepting-bash', 'cat >/dev/null; exit 0'))
    expect(await checkWithBash('for i do :; done\n')).toBe('accepts')
  })
})

describe('confirmDiagnostics: other languages', { timeout: FIRST_USE_TIMEOUT_MS }, () => {
  it('returns the diagnostics unchanged for languages without a confirmer, and for none', async () => {
    const diagnostics = [{ message: 'x' }] as never[]
    expect(await confirmDiagnostics('python', 'def f(:\n', diagnostics)).toBe(diagnostics)
    const none: never[] = []
    expect(await confirmDiagnostics('typescript', 'x', none)).toBe(none)
    using python = await parseCode('def f(:\n  pass\n', { language: 'python' })
    expect(python.diagnostics.length).toBeGreaterThan(0)
  })
})
