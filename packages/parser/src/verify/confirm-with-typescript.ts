import type {
  TypeScriptApi,
  TypeScriptDiagnostic,
  TypeScriptNode,
  TypeScriptProgram,
  TypeScriptSourceFile,
} from './load-typescript'
import { loadTypeScript } from './load-typescript'

/** What TypeScript's own parser says about a file: it `accepts` it, or rejects it with the first error. */
export type TypeScriptVerdict =
  | { readonly verdict: 'accepts' }
  | { readonly verdict: 'rejects'; readonly code: number; readonly start: number; readonly message: string }
  | { readonly verdict: 'unavailable' }
  /** The file is too large to check cheaply around a diagnostic: the diagnostics are kept. */
  | { readonly verdict: 'undecided' }

/**
 * TypeScript error codes that are syntax or early errors although the checker, not the parser,
 * reports them: TypeScript's own list of the errors it reports for plain JavaScript
 * (`plainJSErrors` in its `program.ts`, 5.9, less the one type error in it), plus invalid
 * assignment and `for` targets and the structural errors picked from TypeScript 5.9's catalog
 * (those that hold whatever the types, options and module resolution). Every 1xxx code (TypeScript's syntax and grammar errors) counts
 * as well, see {@link isGrammarError}. Codes not listed here are type and module-resolution
 * errors, which say nothing about syntax.
 */
const GRAMMAR_ERROR_CODES: ReadonlySet<number> = new Set([
  // plainJSErrors outside the 1xxx range
  2451, 2462, 2480, 2492, 2501, 2528, 2566, 2633, 2752, 2753, 2803, 2852, 5076, 17000, 17001, 17012, 18006,
  18007, 18012, 18013, 18016, 18036, 18038, 18041,
  // invalid assignment, increment and for-in/of targets (`1 = 2`, `a?.b = 1`, `f()++`)
  2357, 2364, 2406, 2487, 2777, 2778, 2779, 2780, 2781,
  // JSX: unclosed or mismatched tags, reported by the parser as 17xxx
  17002, 17008, 17014, 17015,
  // structural errors the checker reports, whatever the types and options: misplaced `this`,
  // `super`, `await`, `yield`, parameter properties and initializers, duplicate declarations,
  // constructor and overload shapes, ambient module and augmentation rules, `export =` with
  // other exports, `type` modifiers, private names, class static blocks
  2206, 2207, 2300, 2309, 2331, 2336, 2337, 2369, 2371, 2384, 2389, 2392, 2398, 2435, 2436, 2439, 2452, 2523,
  2524, 2657, 2666, 2667, 2668, 2669, 2670, 2680, 2681, 2701, 2730, 2795, 2804, 2809, 2815, 2853, 17006,
  17007, 17013, 17021, 18009, 18010, 18019, 18026, 18029, 18037, 18039, 18043, 18054,
])

function isGrammarError(code: number): boolean {
  return (code >= 1000 && code < 2000) || (code >= 8000 && code < 9000) || GRAMMAR_ERROR_CODES.has(code)
}

/** Which file name and kind TypeScript should treat the code as, by our language id and the file name. */
function fileFor(
  languageId: string,
  filename: string | undefined,
): { name: string; kind: 'js' | 'jsx' | 'ts' | 'tsx' } {
  const base = (filename ?? '').replace(/^.*[\\/]/, '').toLowerCase()
  if (languageId === 'javascript') {
    const extension = /\.(jsx|mjs|cjs)$/.exec(base)?.[1]
    return extension === undefined
      ? { name: 'input.js', kind: 'js' }
      : { name: `input.${extension}`, kind: extension === 'jsx' ? 'jsx' : 'js' }
  }
  if (languageId === 'tsx') return { name: 'input.tsx', kind: 'tsx' }
  const extension = /\.([mc]?ts)$/.exec(base)?.[1] ?? 'ts'
  // TypeScript's rule: a .ts name with `.d.` in it is a declaration file (`x.d.ts`, `x.d.css.ts`),
  // where body-less declarations are allowed at the top level
  return { name: base.includes('.d.') ? `input.d.${extension}` : `input.${extension}`, kind: 'ts' }
}

/**
 * Files up to this size get their grammar and early errors checked whole. The checker type-checks
 * as it goes (it has no grammar-only mode), at roughly 5-10 ms per KB of declarations on a loaded
 * machine, so larger files are checked by the pieces around tree-sitter's diagnostics.
 */
const WHOLE_FILE_CHECK_CHARS = 32 * 1024
/** The largest piece of a larger file checked on its own; an error in a larger one is kept. */
const MAX_UNIT_CHARS = 32 * 1024
/** At most this many pieces per file are checked; beyond, the diagnostics are kept. */
const MAX_UNITS = 16

/**
 * Asks the TypeScript compiler whether `code` is syntactically valid: its parser first, then the
 * grammar and early errors its checker reports (`1 = 2`, `let let`, misplaced modifiers,
 * `await` outside `async`), with no default library and no module resolution, so nothing is
 * read from disk and type errors are ignored. Files over 32 KB are checked by the pieces that
 * hold `positions` (tree-sitter's diagnostics): each one's top-level statement, or its
 * outermost enclosing function or class of at most 32 KB. Returns `unavailable` when
 * `typescript` is not installed.
 *
 * @param languageId - `javascript`, `typescript` or `tsx`.
 * @param filename - Picks `.d.ts`, `.mts`, `.cjs`... rules when given.
 * @param positions - Offsets of the problems tree-sitter reported (only used for files over 32 KB).
 */
export async function confirmWithTypeScript(
  languageId: string,
  code: string,
  filename: string | undefined,
  positions: readonly number[] = [],
): Promise<TypeScriptVerdict> {
  const ts = await loadTypeScript()
  if (ts === undefined) return { verdict: 'unavailable' }
  return checkWithTypeScript(ts, languageId, code, filename, positions)
}

/** {@link confirmWithTypeScript} with the compiler at hand (synchronous). */
export function checkWithTypeScript(
  ts: TypeScriptApi,
  languageId: string,
  code: string,
  filename: string | undefined,
  positions: readonly number[] = [],
): TypeScriptVerdict {
  const file = fileFor(languageId, filename)
  const kind = { js: ts.ScriptKind.JS, jsx: ts.ScriptKind.JSX, ts: ts.ScriptKind.TS, tsx: ts.ScriptKind.TSX }[
    file.kind
  ]
  const sourceFile = ts.createSourceFile(file.name, code, ts.ScriptTarget.Latest, true, kind)
  const parseError = sourceFile.parseDiagnostics?.[0]
  if (parseError !== undefined) return rejects(ts, parseError)
  const program = createProgram(ts, file.name, sourceFile)
  // JavaScript only: TypeScript syntax in a .js file (`let x: number`), found by a walk of the tree
  const syntactic = program.getSyntacticDiagnostics(sourceFile)[0]
  if (syntactic !== undefined) return rejects(ts, syntactic)
  if (code.length <= WHOLE_FILE_CHECK_CHARS) return grammarVerdict(ts, program, sourceFile)
  const units = unitsAt(ts, sourceFile, code, positions, file.name.includes('.d.'))
  if (units === undefined) return { verdict: 'undecided' }
  for (const unit of units) {
    const unitFile = ts.createSourceFile(file.name, unit, ts.ScriptTarget.Latest, true, kind)
    const unitError = unitFile.parseDiagnostics?.[0]
    // a piece that does not parse alone says nothing about the file: keep the diagnostics
    if (unitError !== undefined) return { verdict: 'undecided' }
    const verdict = grammarVerdict(ts, createProgram(ts, file.name, unitFile), unitFile)
    if (verdict.verdict !== 'accepts') return verdict
  }
  return { verdict: 'accepts' }
}

function createProgram(ts: TypeScriptApi, name: string, sourceFile: TypeScriptSourceFile): TypeScriptProgram {
  return ts.createProgram({
    rootNames: [name],
    options: {
      noLib: true,
      noResolve: true,
      types: [],
      allowJs: true,
      checkJs: true,
      noEmit: true,
      target: ts.ScriptTarget.ESNext,
      // `preserve` accepts both `import x = require()` and ES modules; older compilers: ESNext
      module: ts.ModuleKind.Preserve ?? ts.ModuleKind.ESNext,
      jsx: ts.JsxEmit.Preserve,
      allowNonTsExtensions: true,
    },
    host: singleFileHost(name, sourceFile),
  })
}

function grammarVerdict(
  ts: TypeScriptApi,
  program: TypeScriptProgram,
  sourceFile: TypeScriptSourceFile,
): TypeScriptVerdict {
  const grammar = program.getSemanticDiagnostics(sourceFile).find((d) => isGrammarError(d.code))
  return grammar === undefined ? { verdict: 'accepts' } : rejects(ts, grammar)
}

/**
 * The pieces of a large file to check on their own, one per position (deduplicated): the
 * top-level statement holding it when that is small enough, else the outermost function, class,
 * class member or module-body statement around it that is. Each piece keeps what its grammar
 * depends on: a function or class expression is wrapped in parentheses, a class member in a
 * class, a statement of a `declare module "m"` or namespace body in a body of the same kind;
 * the file's module status (`export {}`) and a `"use strict"` directive are carried over.
 * `undefined` when a position has no piece small enough, or there are too many.
 */
function unitsAt(
  ts: TypeScriptApi,
  sourceFile: TypeScriptSourceFile,
  code: string,
  positions: readonly number[],
  declaration: boolean,
): string[] | undefined {
  const k = ts.SyntaxKind
  const standalone = new Set([k.FunctionDeclaration, k.ClassDeclaration])
  const expressions = new Set([k.FunctionExpression, k.ArrowFunction, k.ClassExpression])
  const members = new Set([
    k.MethodDeclaration,
    k.Constructor,
    k.GetAccessor,
    k.SetAccessor,
    k.PropertyDeclaration,
  ])
  const isModule = ts.isExternalModule(sourceFile)
  const strict = !isModule && /^\s*(?:\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*["']use strict["']/.test(code)
  const prologue = strict ? '"use strict";\n' : ''
  const epilogue = isModule ? '\nexport {};\n' : '\n'
  /** The piece `node` makes on its own, or undefined when it is not one or is too large. */
  const ambient = (chain: readonly TypeScriptNode[]) =>
    declaration ||
    chain.some(
      (n) =>
        n.kind === k.ModuleDeclaration &&
        /^(?:export\s+)?declare\b/.test(code.slice(n.getStart(), n.getStart() + 40)),
    )
  /** `text` (of a node of `kind`) as a piece that parses on its own in the context `chain` (its ancestors). */
  const wrap = (text: string, kind: number, chain: readonly TypeScriptNode[]): string | undefined => {
    const parent = chain.at(-1)
    const module = chain.at(-2)
    if (parent === undefined || standalone.has(kind)) return text
    if (expressions.has(kind)) return `(${text});`
    if (members.has(kind)) return `class QlUnit {\n${text}\n}`
    // a statement of a module or namespace body, in a body of the same kind
    if (module !== undefined && parent.kind === k.ModuleBlock && module.kind === k.ModuleDeclaration) {
      if (module.name?.kind === k.StringLiteral) return `declare module "ql-unit" {\n${text}\n}`
      return `${ambient(chain) ? 'declare ' : ''}namespace QlUnit {\n${text}\n}`
    }
    return undefined
  }
  const moduleBody = (module: TypeScriptNode): TypeScriptNode | undefined =>
    ts.forEachChild(module, (child) => (child.kind === k.ModuleBlock ? child : undefined))
  /** The piece `node` makes on its own, or undefined when it is too large or not one. */
  const pieceOf = (node: TypeScriptNode, chain: readonly TypeScriptNode[]): string | undefined => {
    const start = node.getStart()
    return node.end - start > MAX_UNIT_CHARS ? undefined : wrap(code.slice(start, node.end), node.kind, chain)
  }
  const chosen = new Map<number, string>()
  const choose = (start: number, text: string) => chosen.set(start, prologue + text + epilogue)
  for (const position of positions) {
    // a zero-width MISSING token at a statement's end belongs to that statement
    let node = sourceFile.statements.find((s) => s.pos <= position && position <= s.end)
    const chain: TypeScriptNode[] = []
    let found = false
    while (node !== undefined && !found) {
      const text = pieceOf(node, chain)
      if (text !== undefined) {
        choose(node.getStart(), text)
        found = true
        break
      }
      const parent: TypeScriptNode = node
      chain.push(parent)
      const body = parent.kind === k.ModuleDeclaration ? moduleBody(parent) : undefined
      if (body !== undefined) {
        // a large module around the position: its header is checked alone (`export global {`,
        // `abstract namespace N {`), and is all there is to check when the position is in it
        const header = wrap(
          `${code.slice(parent.getStart(), body.getStart())}{}`,
          parent.kind,
          chain.slice(0, -1),
        )
        if (header === undefined) return undefined
        choose(parent.getStart(), header)
        if (position <= body.getStart()) found = true
      }
      node = ts.forEachChild(parent, (child) =>
        child.pos <= position && position < child.end ? child : undefined,
      )
      if (node === undefined && !found) {
        // on a token between children (a class's closing `}`): the member just before it
        let before: TypeScriptNode | undefined
        ts.forEachChild(parent, (child) => {
          if (child.end <= position) before = child
          return undefined
        })
        const piece = before === undefined ? undefined : pieceOf(before, chain)
        if (before !== undefined && piece !== undefined) {
          choose(before.getStart(), piece)
          found = true
        }
      }
    }
    if (!found || chosen.size > MAX_UNITS) return undefined
  }
  return [...chosen.values()]
}

function rejects(ts: TypeScriptApi, diagnostic: TypeScriptDiagnostic): TypeScriptVerdict {
  return {
    verdict: 'rejects',
    code: diagnostic.code,
    start: diagnostic.start ?? 0,
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '),
  }
}

function singleFileHost(name: string, sourceFile: TypeScriptSourceFile) {
  return {
    getSourceFile: (fileName: string) => (fileName === name ? sourceFile : undefined),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => {},
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (fileName: string) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (fileName: string) => fileName === name,
    readFile: () => undefined,
  }
}
