/**
 * The subset of the TypeScript compiler API the confirmation uses. Declared here, not imported
 * from `typescript`, so `@ql/parser` builds and type-checks without it installed.
 */
export interface TypeScriptApi {
  readonly version: string
  createSourceFile(
    fileName: string,
    text: string,
    languageVersion: number,
    setParentNodes?: boolean,
    scriptKind?: number,
  ): TypeScriptSourceFile
  createProgram(options: {
    rootNames: readonly string[]
    options: Record<string, unknown>
    host: TypeScriptCompilerHost
  }): TypeScriptProgram
  flattenDiagnosticMessageText(messageText: unknown, newLine: string): string
  forEachChild<T>(node: TypeScriptNode, visit: (child: TypeScriptNode) => T | undefined): T | undefined
  isExternalModule(file: TypeScriptSourceFile): boolean
  readonly SyntaxKind: Readonly<Record<string, number>>
  readonly ScriptTarget: { readonly Latest: number; readonly ESNext: number }
  readonly ScriptKind: {
    readonly JS: number
    readonly JSX: number
    readonly TS: number
    readonly TSX: number
  }
  readonly ModuleKind: { readonly ESNext: number; readonly Preserve?: number }
  readonly JsxEmit: { readonly Preserve: number }
}

/** A syntax tree node: its kind and its span (`pos` includes leading trivia). */
export interface TypeScriptNode {
  readonly kind: number
  readonly pos: number
  readonly end: number
  /** The name of a declaration (a module's is a string literal or an identifier). */
  readonly name?: TypeScriptNode
  getStart(): number
}

/** A parsed source file; `parseDiagnostics` is internal to TypeScript but present since 1.x. */
export interface TypeScriptSourceFile extends TypeScriptNode {
  readonly statements: readonly TypeScriptNode[]
  readonly parseDiagnostics?: readonly TypeScriptDiagnostic[]
}

/** A TypeScript diagnostic: its code, where it starts, and its message. */
export interface TypeScriptDiagnostic {
  readonly code: number
  readonly start?: number
  readonly length?: number
  readonly messageText: unknown
}

/** What `createProgram` needs from a host: one in-memory file, nothing else. */
export interface TypeScriptCompilerHost {
  getSourceFile(fileName: string): TypeScriptSourceFile | undefined
  getDefaultLibFileName(): string
  writeFile(): void
  getCurrentDirectory(): string
  getCanonicalFileName(fileName: string): string
  useCaseSensitiveFileNames(): boolean
  getNewLine(): string
  fileExists(fileName: string): boolean
  readFile(fileName: string): string | undefined
}

/** The two per-file diagnostic passes of a program. */
export interface TypeScriptProgram {
  getSyntacticDiagnostics(sourceFile: TypeScriptSourceFile): readonly TypeScriptDiagnostic[]
  getSemanticDiagnostics(sourceFile: TypeScriptSourceFile): readonly TypeScriptDiagnostic[]
}

type Loader = () => Promise<unknown>

const defaultLoader: Loader = () => import('typescript')

let loader: Loader = defaultLoader
let loaded: Promise<TypeScriptApi | undefined> | undefined

/**
 * The TypeScript compiler API, imported on first use, or `undefined` when the optional peer
 * dependency `typescript` is not installed (or is not a compiler API we can use: TypeScript 7's
 * native port exposes none). Imported once per process; the answer is cached either way.
 */
export function loadTypeScript(): Promise<TypeScriptApi | undefined> {
  loaded ??= loader().then(
    (module) => asTypeScriptApi(module),
    () => undefined,
  )
  return loaded
}

function asTypeScriptApi(module: unknown): TypeScriptApi | undefined {
  const candidate = (module as { default?: unknown } | null)?.default ?? module
  const api = candidate as Partial<TypeScriptApi> | null
  if (
    typeof api?.createSourceFile !== 'function' ||
    typeof api.createProgram !== 'function' ||
    typeof api.forEachChild !== 'function' ||
    typeof api.isExternalModule !== 'function' ||
    api.SyntaxKind === undefined ||
    api.ScriptKind === undefined ||
    api.ScriptTarget === undefined
  ) {
    return undefined
  }
  return api as TypeScriptApi
}

/**
 * @internal Tests only: replaces how `typescript` is imported (`undefined` restores the real
 * import) and forgets the cached module.
 */
export function setTypeScriptLoaderForTests(replacement: Loader | undefined): void {
  loader = replacement ?? defaultLoader
  loaded = undefined
}
