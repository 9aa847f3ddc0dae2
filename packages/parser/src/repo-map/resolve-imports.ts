/** What a file's imports resolve to, among the files of the map. */
export interface ResolvedImports {
  /** Indices of the files it imports (a package import: every file of the package's directory). */
  readonly files: ReadonlySet<number>
  /** For each name an import binds (`util`, `formatPrice`, Go's `http`): the files it comes from. */
  readonly bindings: ReadonlyMap<string, ReadonlySet<number>>
}

/** Extensions an import may leave out or name differently (`./a.js` for `a.ts`). */
const SOURCE_EXTENSION =
  /\.(?:[cm]?[jt]sx?|d\.ts|py|pyi|rb|php|lua|zig|dart|go|rs|java|kt|kts|scala|cs|swift|ex|exs|hs|sh|bash|c|h|cc|cpp|cxx|hh|hpp|hxx)$/
/** Files that stand for their directory: `index.ts`, `__init__.py`, Rust's `mod.rs`. */
const DIRECTORY_FILES = new Set(['index', '__init__', 'mod', 'lib'])
/** More matches than this for an unanchored import makes it ambiguous: it resolves to nothing. */
const MAX_MATCHES = 4

function stemOf(path: string): string {
  return path.replace(SOURCE_EXTENSION, '')
}

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

/** `a/./b/../c` → `a/c`; `undefined` when it climbs out of the root. */
function normalize(path: string): string | undefined {
  const parts: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length === 0) return undefined
      parts.pop()
    } else parts.push(part)
  }
  return parts.join('/')
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

/**
 * Resolves each file's imports to files of the map the way a reader would, without a build
 * system: a relative specifier (`./money`, `../core/index.js`, Python's `.util`, a `#include
 * "x.h"` or `require_relative`) against the importing file's directory, trying the usual
 * extensions and directory files (`index`, `__init__`, `mod`); any other (`a.b.c`, `com/x/Y`,
 * `crate::a::b`, a Go package path) by the longest run of its leading segments that ends a
 * file's or a directory's path, and only when that is not ambiguous. Imports of packages
 * outside the map resolve to nothing.
 */
export function resolveImports(
  paths: readonly string[],
  imports: readonly (readonly (readonly [string, readonly string[]])[])[],
): ResolvedImports[] {
  const byStem = new Map<string, number[]>()
  const byDirectory = new Map<string, number[]>()
  const bySuffix = new Map<string, number[]>()
  const byDirectorySuffix = new Map<string, string[]>()
  paths.forEach((path, index) => {
    const stem = stemOf(path)
    push(byStem, stem, index)
    const directory = directoryOf(path)
    push(byDirectory, directory, index)
    const base = stem.slice(stem.lastIndexOf('/') + 1)
    // a directory file also stands for its directory (`core/index.ts` for `core`)
    if (DIRECTORY_FILES.has(base) && directory !== '') push(byStem, directory, index)
    const segments = stem.split('/')
    for (let k = 1; k <= Math.min(segments.length, 6); k++)
      push(bySuffix, segments.slice(-k).join('/'), index)
  })
  for (const directory of byDirectory.keys()) {
    const segments = directory.split('/')
    for (let k = 1; k <= Math.min(segments.length, 6); k++)
      push(byDirectorySuffix, segments.slice(-k).join('/'), directory)
  }

  const exact = (path: string): number[] =>
    byStem.get(stemOf(path)) ?? byStem.get(path) ?? byDirectory.get(path) ?? []

  const resolve = (from: string, source: string, names: readonly string[]): number[] => {
    const specifier = source.trim().replace(/^[<"'`]|[>"'`]$/g, '')
    if (specifier === '') return []
    const here = directoryOf(from)
    // Python's relative imports: `.a.b`, `..a`, `.` with the imported modules as names
    const dots = /^\.+(?=[A-Za-z_]|$)/.exec(specifier)?.[0].length ?? 0
    if (dots > 0 && !specifier.startsWith('./') && !specifier.startsWith('../')) {
      const up = '../'.repeat(dots - 1)
      const rest = specifier.slice(dots).replace(/\./g, '/')
      const base = normalize(`${here}/${up}${rest}`)
      if (base === undefined) return []
      const found = exact(base)
      if (found.length > 0 && rest !== '') return found
      return [...found, ...names.flatMap((name) => exact(`${base}/${name}`))]
    }
    // relative to the importing file: `./x`, `../x`, and plain `x.h` or `x` beside it
    const relative = normalize(`${here}/${specifier}`)
    if (relative !== undefined) {
      const found = exact(relative)
      if (found.length > 0) return found
    }
    if (specifier.startsWith('.')) return []
    // anchored nowhere: the longest leading run of segments that ends a path, if unambiguous
    const segments = specifier
      .replace(SOURCE_EXTENSION, '')
      .split(/::|[./\\:]/)
      .filter((segment) => segment !== '' && segment !== '*' && !/^(?:crate|self|super)$/.test(segment))
    for (let k = Math.min(segments.length, 6); k >= 1; k--) {
      const suffix = segments.slice(0, k).join('/')
      const files = bySuffix.get(suffix) ?? []
      if (files.length > 0) return files.length <= MAX_MATCHES ? files : []
      const directories = byDirectorySuffix.get(suffix) ?? []
      if (directories.length === 1) return byDirectory.get(directories[0] as string) ?? []
      if (directories.length > 1) return []
    }
    return []
  }

  return paths.map((from, index) => {
    const files = new Set<number>()
    const bindings = new Map<string, Set<number>>()
    for (const [source, names] of imports[index] ?? []) {
      const found = resolve(from, source, names)
      if (found.length === 0) continue
      for (const file of found) if (file !== index) files.add(file)
      // the names it binds, and the module's own name (`http` for "net/http", `os` and `path` for os.path)
      const segments = source.split(/::|[./\\:"'<>]/).filter((segment) => /^[A-Za-z_$][\w$]*$/.test(segment))
      const bound = new Set([...names, segments[0] ?? '', segments[segments.length - 1] ?? ''])
      bound.delete('')
      for (const name of bound) {
        const set = bindings.get(name) ?? new Set<number>()
        bindings.set(name, set)
        for (const file of found) set.add(file)
      }
    }
    return { files, bindings }
  })
}
