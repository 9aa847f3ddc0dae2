import { join } from 'node:path'
import type { LanguageDefinition } from './language-definition'
import { grammarsDirectory } from './read-grammar'

const CURSORLESS = '@cursorless/tree-sitter-wasms 0.7.0'
const grammars = grammarsDirectory()

/**
 * A grammar that ships inside this package, brotli-compressed (`grammars/<id>.wasm.br`; where
 * each comes from is in `grammars/manifest.json`, rebuilt by `scripts/vendor-grammars.mjs`).
 */
function vendored(id: string, grammarName: string) {
  return { grammar: { path: join(grammars, `${id}.wasm.br`) }, grammarName }
}

type Entry = Omit<LanguageDefinition, 'filenames' | 'shebangs' | 'aliases' | 'caveats'> &
  Partial<Pick<LanguageDefinition, 'filenames' | 'shebangs' | 'aliases' | 'caveats'>>

function language(entry: Entry): LanguageDefinition {
  return { filenames: [], shebangs: [], aliases: [], caveats: [], ...entry }
}

/**
 * The languages that ship with `@ql/parser`. Each grammar build was chosen by testing that it
 * loads on web-tree-sitter 0.27.1 and parses real, valid code with no errors (see the tests in
 * `test/languages-valid.test.ts`).
 */
export const builtInLanguages: readonly LanguageDefinition[] = [
  language({
    id: 'typescript',
    displayName: 'TypeScript',
    extensions: ['.ts', '.mts', '.cts'],
    aliases: ['ts', 'mts', 'cts'],
    shebangs: ['ts-node', 'tsx', 'deno', 'bun'],
    ...vendored('typescript', 'tree-sitter-typescript 0.23.2'),
    caveats: [
      '`global { }` inside `declare module "m" { }` and `in`/`out` variance annotations (`interface I<in T>`) are flagged by the grammar although valid.',
      'Generic import types (`import("m").T<X>`), `export type * from "m"`, mapped types over `keyof readonly T[]` and body-less `export default function (): T;` declarations are flagged by the grammar although valid (0.7% of 2,000 real .ts files; more in generated .d.ts files).',
      'With the optional peer dependency `typescript` installed, `parseCode` confirms these diagnostics with the TypeScript compiler (its parser, then the grammar errors its checker reports) and drops them when it accepts the file, so valid code like the above reports none; without it they stay.',
    ],
  }),
  language({
    id: 'tsx',
    displayName: 'TSX',
    extensions: ['.tsx'],
    aliases: ['typescriptreact'],
    ...vendored('tsx', 'tree-sitter-typescript 0.23.2'),
    caveats: [
      'As TypeScript: `global { }` inside `declare module`, `in`/`out` variance, generic import types (`import("m").T<X>`) and `export type * from` are flagged by the grammar although valid; confirmed away by the TypeScript compiler when the optional peer `typescript` is installed.',
    ],
  }),
  language({
    id: 'javascript',
    displayName: 'JavaScript',
    extensions: ['.js', '.mjs', '.cjs', '.jsx'],
    aliases: ['js', 'jsx', 'node', 'javascriptreact', 'ecmascript', 'mjs', 'cjs'],
    shebangs: ['node', 'nodejs'],
    ...vendored('javascript', 'tree-sitter-javascript 0.25.0'),
    caveats: [
      'Reserved words as export aliases (`export { _null as null }`) are flagged by the grammar although valid; confirmed away by the TypeScript compiler when the optional peer `typescript` is installed.',
    ],
  }),
  language({
    id: 'python',
    displayName: 'Python',
    extensions: ['.py', '.pyi', '.pyw'],
    aliases: ['py', 'python3', 'py3', 'gyp'],
    shebangs: ['python', 'python3', 'python2', 'pypy', 'pypy3'],
    filenames: ['SConstruct', 'SConscript'],
    ...vendored('python', 'tree-sitter-python 0.25.0'),
    caveats: ['Accepts some invalid indentation that CPython rejects.'],
  }),
  language({
    id: 'go',
    displayName: 'Go',
    extensions: ['.go'],
    aliases: ['golang'],
    ...vendored('go', 'tree-sitter-go 0.25.0'),
  }),
  language({
    id: 'rust',
    displayName: 'Rust',
    extensions: ['.rs'],
    aliases: ['rs'],
    ...vendored('rust', 'tree-sitter-rust 0.24.0'),
  }),
  language({
    id: 'java',
    displayName: 'Java',
    extensions: ['.java'],
    ...vendored('java', 'tree-sitter-java 0.23.5'),
  }),
  language({
    id: 'c',
    displayName: 'C',
    extensions: ['.c', '.h'],
    aliases: ['h'],
    ...vendored('c', CURSORLESS),
    caveats: [
      'A `.h` file is C++ when its content reads as C++ (`class X {`, `namespace`, `template <`, `std::`, access specifiers... outside `#ifdef __cplusplus` blocks), C otherwise.',
      'Does not expand macros: a macro in a declaration position (`__BEGIN_DECLS`, `int f(void) __THROW;`, `PR_BEGIN_EXTERN_C`) is flagged although the code compiles. Common in system headers, rare in ordinary sources.',
    ],
  }),
  language({
    id: 'cpp',
    displayName: 'C++',
    extensions: ['.cpp', '.cc', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h++', '.ipp', '.inl'],
    aliases: ['c++', 'cxx', 'cc', 'hpp'],
    ...vendored('cpp', CURSORLESS),
    caveats: [
      'Does not expand macros: a macro in a declaration position (`namespace std _GLIBCXX_VISIBILITY(default) {`, export macros before a class name) is flagged although the code compiles. Common in library headers, rare in ordinary sources.',
    ],
  }),
  language({
    id: 'csharp',
    displayName: 'C#',
    extensions: ['.cs', '.csx'],
    aliases: ['cs', 'c#', 'c-sharp', 'c_sharp', 'dotnet'],
    ...vendored('csharp', 'tree-sitter-c-sharp 0.23.5'),
  }),
  language({
    id: 'ruby',
    displayName: 'Ruby',
    extensions: ['.rb', '.rake', '.gemspec', '.ru', '.erb.rb'],
    aliases: ['rb', 'jruby'],
    filenames: ['Rakefile', 'Gemfile', 'Guardfile', 'Podfile', 'Vagrantfile', 'Brewfile'],
    shebangs: ['ruby', 'jruby', 'rake'],
    ...vendored('ruby', CURSORLESS),
  }),
  language({
    id: 'php',
    displayName: 'PHP',
    extensions: ['.php', '.phtml', '.php8', '.php7'],
    shebangs: ['php'],
    ...vendored('php', CURSORLESS),
    caveats: ['Code must start with `<?php` (text before it is treated as inline HTML).'],
  }),
  language({
    id: 'kotlin',
    displayName: 'Kotlin',
    extensions: ['.kt', '.kts'],
    aliases: ['kt', 'kts'],
    ...vendored('kotlin', CURSORLESS),
    caveats: [
      'Flags the `..<` range operator (`val r = 1..<10`, Kotlin 1.9), which is valid. No Kotlin compiler or corpus here to measure more.',
    ],
  }),
  language({
    id: 'swift',
    displayName: 'Swift',
    extensions: ['.swift'],
    shebangs: ['swift'],
    ...vendored('swift', 'tree-sitter-swift 0.7.1 (built from its sources)'),
    caveats: [
      'Flags macro declarations (`macro m() = #externalMacro(module: "M", type: "T")`, Swift 5.9), which are valid. No Swift compiler or corpus here to measure more.',
    ],
  }),
  language({
    id: 'scala',
    displayName: 'Scala',
    extensions: ['.scala', '.sc', '.sbt'],
    shebangs: ['scala'],
    ...vendored('scala', CURSORLESS),
  }),
  language({
    id: 'bash',
    displayName: 'Bash',
    extensions: ['.sh', '.bash', '.zsh', '.ksh', '.command'],
    aliases: ['sh', 'shell', 'zsh', 'ksh', 'shellscript', 'console-script'],
    filenames: [
      '.bashrc',
      '.bash_profile',
      '.bash_logout',
      '.profile',
      '.zshrc',
      '.zprofile',
      '.zshenv',
      'PKGBUILD',
    ],
    shebangs: ['bash', 'sh', 'zsh', 'ksh', 'dash', 'ash'],
    ...vendored('bash', 'tree-sitter-bash 0.25.1'),
    caveats: [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, quoted in a message
      'The grammar flags some valid scripts: `for i do ... done` (no `in`), `${1//&/\\&amp;}`, `"${s:$i:1}"`. `parseCode` confirms its diagnostics with `bash -n` (parse only, run on stdin) when a `bash` binary is on the PATH, and drops them when bash accepts the script; not for zsh or ksh scripts, and without bash they stay.',
    ],
  }),
  language({
    id: 'lua',
    displayName: 'Lua',
    extensions: ['.lua'],
    shebangs: ['lua', 'luajit'],
    ...vendored('lua', CURSORLESS),
  }),
  language({
    id: 'haskell',
    displayName: 'Haskell',
    extensions: ['.hs', '.lhs'],
    aliases: ['hs'],
    shebangs: ['runghc', 'runhaskell', 'stack'],
    ...vendored('haskell', CURSORLESS),
  }),
  language({
    id: 'elixir',
    displayName: 'Elixir',
    extensions: ['.ex', '.exs'],
    aliases: ['ex', 'exs'],
    filenames: ['mix.lock'],
    shebangs: ['elixir'],
    ...vendored('elixir', CURSORLESS),
  }),
  language({
    id: 'dart',
    displayName: 'Dart',
    extensions: ['.dart'],
    shebangs: ['dart'],
    ...vendored('dart', CURSORLESS),
  }),
  language({
    id: 'zig',
    displayName: 'Zig',
    extensions: ['.zig', '.zon'],
    ...vendored('zig', CURSORLESS),
  }),
  language({
    id: 'html',
    displayName: 'HTML',
    extensions: ['.html', '.htm', '.xhtml'],
    aliases: ['htm', 'xhtml'],
    ...vendored('html', CURSORLESS),
  }),
  language({
    id: 'css',
    displayName: 'CSS',
    extensions: ['.css'],
    ...vendored('css', 'tree-sitter-css 0.25.0'),
    caveats: [
      'Flags some valid CSS: unquoted relative `url(./x.png)`, range media queries (`@media (width >= 600px)`), `@import url(x) layer(name)` and `:nth-child(5n - 3)` with spaces around the operator, `! important` with a space (20 of 199 real files that lightningcss accepts).',
    ],
  }),
  language({
    id: 'json',
    displayName: 'JSON',
    extensions: ['.json', '.jsonc', '.json5', '.webmanifest', '.geojson'],
    aliases: ['jsonc', 'json5'],
    filenames: ['.babelrc', '.eslintrc', '.prettierrc', 'composer.lock', '.swcrc'],
    ...vendored('json', CURSORLESS),
    caveats: [
      'The grammar accepts comments anywhere (strict JSON forbids them) and flags trailing commas. `parseCode` confirms its diagnostics with `JSON.parse`: under the JSONC rules (comments and trailing commas allowed) for `.jsonc`/`.json5` files, `jsonc`/`json5` fences and files their tools read as JSONC (`tsconfig*.json`, `jsconfig*.json`, `.vscode/*.json`, `devcontainer.json`, `.eslintrc`, `.babelrc`...), strictly for every other `.json`.',
    ],
  }),
  language({
    id: 'yaml',
    displayName: 'YAML',
    extensions: ['.yaml', '.yml'],
    aliases: ['yml'],
    filenames: ['.clang-format', '.clang-tidy', '.gemrc', 'pnpm-lock.yaml'],
    ...vendored('yaml', CURSORLESS),
  }),
  language({
    id: 'markdown',
    displayName: 'Markdown',
    extensions: ['.md', '.markdown', '.mdown', '.mkd'],
    aliases: ['md'],
    filenames: [],
    ...vendored('markdown', CURSORLESS),
    caveats: [
      'Block structure only; inline syntax is not parsed. Markdown has no invalid input, so no diagnostics.',
    ],
  }),
  language({
    id: 'xml',
    displayName: 'XML',
    extensions: [
      '.xml',
      '.xsd',
      '.xsl',
      '.xslt',
      '.svg',
      '.plist',
      '.csproj',
      '.fsproj',
      '.vbproj',
      '.props',
      '.targets',
    ],
    aliases: ['svg', 'xsd', 'xsl', 'plist'],
    ...vendored('xml', '@tree-sitter-grammars/tree-sitter-xml 0.7.0 (built from its sources)'),
  }),
  language({
    id: 'hcl',
    displayName: 'HCL (Terraform)',
    extensions: ['.hcl', '.tf', '.tfvars'],
    aliases: ['terraform', 'tf'],
    ...vendored('hcl', CURSORLESS),
  }),
  language({
    id: 'nix',
    displayName: 'Nix',
    extensions: ['.nix'],
    ...vendored('nix', CURSORLESS),
  }),
  language({
    id: 'perl',
    displayName: 'Perl',
    extensions: ['.pl', '.pm', '.t'],
    aliases: ['pl', 'pm'],
    shebangs: ['perl'],
    ...vendored('perl', 'tree-sitter-perl 2.0.0 (built from its sources)'),
    caveats: [
      'Perl cannot be parsed without running it; a few constructs are flagged although valid: a package name part that starts with a digit (`Encode::KR::2022_KR`), `{$var}` quantifiers inside `qr{}` (2 of 199 core modules).',
    ],
  }),
  language({
    id: 'r',
    displayName: 'R',
    extensions: ['.r', '.rprofile'],
    aliases: ['rscript', 'splus'],
    filenames: ['.Rprofile'],
    shebangs: ['Rscript'],
    ...vendored('r', '@eagleoutice/tree-sitter-r 1.1.2'),
  }),
  language({
    id: 'clojure',
    displayName: 'Clojure',
    extensions: ['.clj', '.cljs', '.cljc', '.edn'],
    aliases: ['clj', 'cljs', 'edn'],
    shebangs: ['bb', 'clojure'],
    ...vendored('clojure', CURSORLESS),
  }),
  language({
    id: 'elm',
    displayName: 'Elm',
    extensions: ['.elm'],
    ...vendored('elm', CURSORLESS),
  }),
  language({
    id: 'gleam',
    displayName: 'Gleam',
    extensions: ['.gleam'],
    ...vendored('gleam', CURSORLESS),
  }),
]
