import type { LanguageDefinition } from './language-definition'

const CURSORLESS = '@cursorless/tree-sitter-wasms 0.7.0'

function cursorless(file: string) {
  return {
    grammar: { module: `@cursorless/tree-sitter-wasms/out/tree-sitter-${file}.wasm` },
    grammarName: CURSORLESS,
  }
}

function npm(pkg: string, version: string, file = pkg) {
  return { grammar: { module: `${pkg}/${file}.wasm` }, grammarName: `${pkg} ${version} (official)` }
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
    ...npm('tree-sitter-typescript', '0.23.2', 'tree-sitter-typescript'),
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
    ...npm('tree-sitter-typescript', '0.23.2', 'tree-sitter-tsx'),
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
    ...npm('tree-sitter-javascript', '0.25.0', 'tree-sitter-javascript'),
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
    ...npm('tree-sitter-python', '0.25.0', 'tree-sitter-python'),
    caveats: ['Accepts some invalid indentation that CPython rejects.'],
  }),
  language({
    id: 'go',
    displayName: 'Go',
    extensions: ['.go'],
    aliases: ['golang'],
    ...cursorless('go'),
  }),
  language({
    id: 'rust',
    displayName: 'Rust',
    extensions: ['.rs'],
    aliases: ['rs'],
    ...npm('tree-sitter-rust', '0.24.0', 'tree-sitter-rust'),
  }),
  language({
    id: 'java',
    displayName: 'Java',
    extensions: ['.java'],
    ...cursorless('java'),
  }),
  language({
    id: 'c',
    displayName: 'C',
    extensions: ['.c', '.h'],
    aliases: ['h'],
    ...cursorless('c'),
    caveats: [
      'A `.h` file is C++ when its content reads as C++ (`class X {`, `namespace`, `template <`, `std::`, access specifiers... outside `#ifdef __cplusplus` blocks), C otherwise.',
    ],
  }),
  language({
    id: 'cpp',
    displayName: 'C++',
    extensions: ['.cpp', '.cc', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h++', '.ipp', '.inl'],
    aliases: ['c++', 'cxx', 'cc', 'hpp'],
    ...cursorless('cpp'),
  }),
  language({
    id: 'csharp',
    displayName: 'C#',
    extensions: ['.cs', '.csx'],
    aliases: ['cs', 'c#', 'c-sharp', 'c_sharp', 'dotnet'],
    ...npm('tree-sitter-c-sharp', '0.23.5', 'tree-sitter-c_sharp'),
  }),
  language({
    id: 'ruby',
    displayName: 'Ruby',
    extensions: ['.rb', '.rake', '.gemspec', '.ru', '.erb.rb'],
    aliases: ['rb', 'jruby'],
    filenames: ['Rakefile', 'Gemfile', 'Guardfile', 'Podfile', 'Vagrantfile', 'Brewfile'],
    shebangs: ['ruby', 'jruby', 'rake'],
    ...cursorless('ruby'),
  }),
  language({
    id: 'php',
    displayName: 'PHP',
    extensions: ['.php', '.phtml', '.php8', '.php7'],
    shebangs: ['php'],
    ...cursorless('php'),
    caveats: ['Code must start with `<?php` (text before it is treated as inline HTML).'],
  }),
  language({
    id: 'kotlin',
    displayName: 'Kotlin',
    extensions: ['.kt', '.kts'],
    aliases: ['kt', 'kts'],
    ...cursorless('kotlin'),
  }),
  language({
    id: 'swift',
    displayName: 'Swift',
    extensions: ['.swift'],
    shebangs: ['swift'],
    ...cursorless('swift'),
  }),
  language({
    id: 'scala',
    displayName: 'Scala',
    extensions: ['.scala', '.sc', '.sbt'],
    shebangs: ['scala'],
    ...cursorless('scala'),
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
    ...npm('tree-sitter-bash', '0.25.1', 'tree-sitter-bash'),
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
    ...cursorless('lua'),
  }),
  language({
    id: 'haskell',
    displayName: 'Haskell',
    extensions: ['.hs', '.lhs'],
    aliases: ['hs'],
    shebangs: ['runghc', 'runhaskell', 'stack'],
    ...cursorless('haskell'),
  }),
  language({
    id: 'elixir',
    displayName: 'Elixir',
    extensions: ['.ex', '.exs'],
    aliases: ['ex', 'exs'],
    filenames: ['mix.lock'],
    shebangs: ['elixir'],
    ...cursorless('elixir'),
  }),
  language({
    id: 'dart',
    displayName: 'Dart',
    extensions: ['.dart'],
    shebangs: ['dart'],
    ...cursorless('dart'),
  }),
  language({
    id: 'zig',
    displayName: 'Zig',
    extensions: ['.zig', '.zon'],
    ...cursorless('zig'),
  }),
  language({
    id: 'html',
    displayName: 'HTML',
    extensions: ['.html', '.htm', '.xhtml'],
    aliases: ['htm', 'xhtml'],
    ...cursorless('html'),
  }),
  language({
    id: 'css',
    displayName: 'CSS',
    extensions: ['.css'],
    ...cursorless('css'),
    caveats: ['Flags `@import url(x) layer(name)` (cascade layers on imports), which is valid.'],
  }),
  language({
    id: 'json',
    displayName: 'JSON',
    extensions: ['.json', '.jsonc', '.json5', '.webmanifest', '.geojson'],
    aliases: ['jsonc', 'json5'],
    filenames: ['.babelrc', '.eslintrc', '.prettierrc', 'composer.lock', '.swcrc'],
    ...cursorless('json'),
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
    ...cursorless('yaml'),
  }),
  language({
    id: 'markdown',
    displayName: 'Markdown',
    extensions: ['.md', '.markdown', '.mdown', '.mkd'],
    aliases: ['md'],
    filenames: [],
    ...cursorless('markdown'),
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
    ...cursorless('xml'),
  }),
  language({
    id: 'hcl',
    displayName: 'HCL (Terraform)',
    extensions: ['.hcl', '.tf', '.tfvars'],
    aliases: ['terraform', 'tf'],
    ...cursorless('hcl'),
  }),
  language({
    id: 'nix',
    displayName: 'Nix',
    extensions: ['.nix'],
    ...cursorless('nix'),
  }),
  language({
    id: 'perl',
    displayName: 'Perl',
    extensions: ['.pl', '.pm', '.t'],
    aliases: ['pl', 'pm'],
    shebangs: ['perl'],
    ...cursorless('perl'),
  }),
  language({
    id: 'r',
    displayName: 'R',
    extensions: ['.r', '.rprofile'],
    aliases: ['rscript', 'splus'],
    filenames: ['.Rprofile'],
    shebangs: ['Rscript'],
    ...cursorless('r'),
  }),
  language({
    id: 'clojure',
    displayName: 'Clojure',
    extensions: ['.clj', '.cljs', '.cljc', '.edn'],
    aliases: ['clj', 'cljs', 'edn'],
    shebangs: ['bb', 'clojure'],
    ...cursorless('clojure'),
  }),
  language({
    id: 'elm',
    displayName: 'Elm',
    extensions: ['.elm'],
    ...cursorless('elm'),
  }),
  language({
    id: 'gleam',
    displayName: 'Gleam',
    extensions: ['.gleam'],
    ...cursorless('gleam'),
  }),
]
