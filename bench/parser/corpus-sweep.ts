// Corpus sweep: @ql/parser's syntax diagnostics judged against each language's own tool, on real
// files none of us wrote (language standard libraries from Debian packages, installed npm
// packages, the JDK's sources). A script, not a test: it takes minutes and needs the tools below.
//
//   cd bench && node --conditions=@ql/source --import ./parser/register-ts.mjs parser/corpus-sweep.ts
//   SWEEP_LANGUAGES=perl,css SWEEP_FILES=100 ...          only some languages, fewer files each
//   SWEEP_GRAMMARS=perl=/tmp/tree-sitter-perl.wasm ...     try another grammar build for a language
//   SWEEP_JSON=/tmp/sweep.json ...                         write every verdict to a file
//
// Per language it prints: files, the tool's verdicts, false positives (the tool accepts the file,
// we report diagnostics: the failure that makes a model "fix" correct code) and misses (the tool
// rejects the file, we say it is clean). A file the tool cannot judge (a module it cannot load, a
// timeout) counts as "no verdict". Tools (Debian): perl, python3, gcc, g++, a JDK, gofmt, ruby,
// php, luac5.4, Rscript, xmllint; CSS is judged by lightningcss when it can be resolved. The
// JavaScript, TypeScript, JSON and Bash sweeps live with their reference-parser checks.

import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listLanguages, parseCode, registerLanguage } from '@ql/parser'

type Verdict = 'ok' | 'reject' | 'unknown'

interface Corpus {
  /** Directories to walk (missing ones are skipped). */
  roots: string[]
  accept: (path: string) => boolean
  /** The language's own tool: a verdict per file. */
  check: (files: string[]) => Verdict[]
  tool: string
}

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const pnpmStore = join(workspaceRoot, 'node_modules', '.pnpm')
const cache = join(tmpdir(), 'ql-corpus-sweep')
const perLanguage = Number(process.env.SWEEP_FILES ?? 200)
const maxBytes = 500_000

function run(command: string, args: string[], timeoutMs = 20_000, input?: string) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: timeoutMs,
    input,
    maxBuffer: 64 << 20,
  })
  return { status: result.error ? null : result.status, out: `${result.stdout ?? ''}${result.stderr ?? ''}` }
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0
}

/** One verdict per file from a command run on each file alone: exit 0 is ok. */
function perFile(
  command: string,
  args: (file: string) => string[],
  classify: (status: number | null, out: string) => Verdict = (status) =>
    status === 0 ? 'ok' : status === null ? 'unknown' : 'reject',
): (files: string[]) => Verdict[] {
  return (files) =>
    files.map((file) => {
      const { status, out } = run(command, args(file))
      return classify(status, out)
    })
}

/** Verdicts from a helper that prints one `ok|reject|unknown<TAB>file` line per file. */
function batch(command: string, args: string[], timeoutMs = 600_000): (files: string[]) => Verdict[] {
  return (files) => {
    const { out } = run(command, [...args, ...files], timeoutMs)
    const verdicts = new Map<string, Verdict>()
    for (const line of out.split('\n')) {
      const tab = line.indexOf('\t')
      if (tab > 0) verdicts.set(line.slice(tab + 1).trim(), line.slice(0, tab).trim() as Verdict)
    }
    return files.map((file) => verdicts.get(file) ?? 'unknown')
  }
}

const musl = '/usr/share/emscripten/system/lib/libc/musl'
/** musl's own include path for its sources (Emscripten's copy), so they compile on their own. */
function muslIncludes(file: string): string[] {
  if (!file.startsWith(musl)) return []
  const dirs = ['src/include', 'src/internal', 'arch/emscripten', 'arch/generic', 'include']
  return [
    '-nostdinc',
    ...dirs.flatMap((dir) => ['-I', join(musl, dir)]),
    '-I',
    '/usr/share/emscripten/system/lib/libc',
  ]
}

/** A compiler's verdict: a missing include or an `#error` says nothing about the file's syntax. */
function compilerVerdict(status: number | null, out: string): Verdict {
  if (status === 0) return 'ok'
  if (status === null || /No such file or directory|#error/.test(out)) return 'unknown'
  return 'reject'
}

const pythonCheck = `
import sys
for f in sys.argv[1:]:
    try:
        compile(open(f, 'rb').read(), f, 'exec', dont_inherit=True)
        print('ok\\t' + f)
    except SyntaxError:
        print('reject\\t' + f)
    except Exception:
        print('unknown\\t' + f)
`

/** Java's own parser (javac's, parse only: no symbols resolved), one verdict per file. */
function javaCheck(): ((files: string[]) => Verdict[]) | undefined {
  const jdk = [
    '/usr/lib/jvm/temurin-25-jdk-amd64',
    '/usr/lib/jvm/java-21-openjdk-amd64',
    '/usr/lib/jvm/java-17-openjdk-amd64',
  ]
    .map((home) => join(home, 'bin', 'java'))
    .find((java) => existsSync(java))
  if (jdk === undefined) return undefined
  mkdirSync(cache, { recursive: true })
  const source = join(cache, 'ParseOnly.java')
  writeFileSync(
    source,
    `import javax.tools.*; import com.sun.source.util.JavacTask; import java.util.*; import java.io.File;
public class ParseOnly { public static void main(String[] a) throws Exception {
  JavaCompiler c = ToolProvider.getSystemJavaCompiler();
  StandardJavaFileManager fm = c.getStandardFileManager(null, null, null);
  for (String f : a) {
    DiagnosticCollector<JavaFileObject> d = new DiagnosticCollector<>();
    JavacTask t = (JavacTask) c.getTask(null, fm, d, List.of("-proc:none", "--enable-preview", "--release", String.valueOf(Runtime.version().feature())), null, fm.getJavaFileObjects(new File(f)));
    try { t.parse(); } catch (Throwable e) { System.out.println("unknown\\t" + f); continue; }
    boolean bad = d.getDiagnostics().stream().anyMatch(x -> x.getKind() == Diagnostic.Kind.ERROR);
    System.out.println((bad ? "reject" : "ok") + "\\t" + f);
  } } }`,
  )
  return batch(jdk, [source])
}

/** lightningcss (a strict CSS parser) when the workspace has it; otherwise no verdicts. */
function cssCheck(): ((files: string[]) => Verdict[]) | undefined {
  const folder = existsSync(pnpmStore)
    ? readdirSync(pnpmStore).find((name) => /^lightningcss@\d/.test(name))
    : undefined
  if (folder === undefined) return undefined
  const require = createRequire(join(pnpmStore, folder, 'node_modules', 'lightningcss', 'package.json'))
  const { transform } = require('lightningcss') as {
    transform: (options: { filename: string; code: Uint8Array; errorRecovery: boolean }) => unknown
  }
  return (files) =>
    files.map((filename) => {
      try {
        transform({ filename, code: readFileSync(filename), errorRecovery: false })
        return 'ok'
      } catch {
        return 'reject'
      }
    })
}

function extractJdkSources(): string | undefined {
  const zip = [
    '/usr/lib/jvm/temurin-25-jdk-amd64/lib/src.zip',
    '/usr/lib/jvm/java-17-openjdk-amd64/lib/src.zip',
  ].find((path) => existsSync(path))
  if (zip === undefined) return undefined
  const out = join(cache, 'jdk-src')
  if (!existsSync(out)) {
    mkdirSync(out, { recursive: true })
    run(
      'unzip',
      [
        '-q',
        '-o',
        zip,
        'java.base/java/util/*',
        'java.base/java/lang/*',
        'java.base/java/io/*',
        'java.net.http/*',
        'jdk.compiler/com/sun/tools/javac/parser/*',
        '-d',
        out,
      ],
      300_000,
    )
  }
  return out
}

const ext =
  (...extensions: string[]) =>
  (path: string) =>
    extensions.some((e) => path.endsWith(e))

const corpora: Record<string, () => Corpus | undefined> = {
  perl: () =>
    has('perl')
      ? {
          roots: ['/usr/share/perl', '/usr/lib/x86_64-linux-gnu/perl', '/usr/share/perl5'],
          accept: ext('.pm', '.pl'),
          tool: 'perl -c',
          check: perFile(
            'perl',
            (f) => ['-c', f],
            (status, out) =>
              status === 0
                ? 'ok'
                : /syntax error|Missing right|Unmatched right|Can't find string terminator|Illegal declaration/.test(
                      out,
                    )
                  ? 'reject'
                  : 'unknown',
          ),
        }
      : undefined,
  python: () =>
    has('/usr/bin/python3')
      ? {
          roots: ['/usr/lib/python3.11', '/usr/lib/python3/dist-packages'],
          accept: ext('.py'),
          tool: 'python3 compile()',
          check: batch('/usr/bin/python3', ['-c', pythonCheck]),
        }
      : undefined,
  c: () =>
    has('gcc')
      ? {
          roots: ['/usr/share/emscripten/system/lib/libc/musl/src', '/usr/include'],
          accept: (path) =>
            path.endsWith('.c') ||
            (path.endsWith('.h') &&
              !path.includes('/c++/') &&
              !/\/(linux|asm|x86_64|rpc|llvm|clang|node)\//.test(path)),
          tool: 'gcc -fsyntax-only',
          check: perFile(
            'gcc',
            (f) => ['-fsyntax-only', '-w', '-x', 'c', '-std=gnu17', ...muslIncludes(f), f],
            compilerVerdict,
          ),
        }
      : undefined,
  cpp: () =>
    has('g++')
      ? {
          roots: [
            '/usr/share/emscripten/system/lib/libcxx/src',
            '/usr/share/emscripten/system/lib/libcxxabi/src',
            '/usr/include/c++',
          ],
          accept: (path) => !path.includes('/backward/') && !path.includes('/x86_64-linux-gnu/'),
          tool: 'g++ -fsyntax-only',
          check: perFile(
            'g++',
            (f) => ['-fsyntax-only', '-w', '-x', 'c++', '-std=gnu++20', f],
            compilerVerdict,
          ),
        }
      : undefined,
  java: () => {
    const check = javaCheck()
    const root = check && extractJdkSources()
    return check && root
      ? { roots: [root], accept: ext('.java'), tool: 'javac parser (JDK)', check }
      : undefined
  },
  go: () =>
    has('gofmt')
      ? {
          roots: readdirSync('/usr/lib')
            .filter((d) => d.startsWith('go-'))
            .map((d) => `/usr/lib/${d}/src`),
          accept: ext('.go'),
          tool: 'gofmt -e',
          check: perFile('gofmt', (f) => ['-e', '-l', f]),
        }
      : undefined,
  ruby: () =>
    has('ruby')
      ? {
          roots: ['/usr/lib/ruby'],
          accept: ext('.rb'),
          tool: 'ruby -c',
          check: batch('ruby', [
            '-e',
            'ARGV.each { |f| begin; RubyVM::InstructionSequence.compile_file(f); puts "ok\\t#{f}"; rescue SyntaxError; puts "reject\\t#{f}"; rescue StandardError; puts "unknown\\t#{f}"; end }',
          ]),
        }
      : undefined,
  php: () =>
    has('php')
      ? {
          roots: ['/usr/share/php'],
          accept: ext('.php'),
          tool: 'php -l',
          check: perFile('php', (f) => ['-l', f]),
        }
      : undefined,
  lua: () =>
    has('luac5.4')
      ? {
          roots: ['/usr/share/lua', '/usr/share/texlive', '/usr/share/nmap'],
          accept: ext('.lua'),
          tool: 'luac5.4 -p',
          check: perFile('luac5.4', (f) => ['-p', f]),
        }
      : undefined,
  r: () =>
    has('Rscript')
      ? {
          roots: ['/usr/lib/R', '/usr/share/R'],
          accept: ext('.R', '.r'),
          tool: 'Rscript parse()',
          check: batch('Rscript', [
            '-e',
            'for (f in commandArgs(TRUE)) cat(tryCatch({ parse(f); "ok" }, error = function(e) "reject"), "\\t", f, "\\n", sep = "")',
          ]),
        }
      : undefined,
  xml: () =>
    has('xmllint')
      ? {
          roots: ['/usr/share'],
          accept: (path) => ext('.xml', '.xsd', '.xsl', '.svg')(path) && !path.startsWith('/usr/share/doc/'),
          tool: 'xmllint --noout',
          check: perFile('xmllint', (f) => ['--noout', '--nonet', f]),
        }
      : undefined,
  css: () => {
    const check = cssCheck()
    return check
      ? {
          roots: [
            pnpmStore,
            '/usr/share',
            '/usr/lib/python3',
            join(process.env.HOME ?? '/root', '.pyenv'),
            join(process.env.HOME ?? '/root', '.rustup'),
          ],
          accept: ext('.css'),
          tool: 'lightningcss',
          check,
        }
      : undefined
  },
  yaml: () =>
    has('ruby')
      ? {
          roots: [pnpmStore, '/usr/share'],
          accept: ext('.yml', '.yaml'),
          tool: 'Psych.parse_stream (ruby)',
          check: batch('ruby', [
            '-ryaml',
            '-e',
            'ARGV.each { |f| begin; Psych.parse_stream(File.read(f)); puts "ok\\t#{f}"; rescue Psych::SyntaxError; puts "reject\\t#{f}"; rescue StandardError; puts "unknown\\t#{f}"; end }',
          ]),
        }
      : undefined,
}

/** All files under `roots` that `accept` takes, sorted; then `limit` of them spread evenly over the list. */
function collect(roots: string[], accept: (path: string) => boolean, limit: number): string[] {
  const all: string[] = []
  const seen = new Set<string>()
  const walk = (dir: string) => {
    let names: string[]
    try {
      names = readdirSync(dir).sort()
    } catch {
      return
    }
    for (const name of names) {
      const path = join(dir, name)
      const stat = statSync(path, { throwIfNoEntry: false })
      if (stat === undefined) continue
      if (stat.isDirectory()) walk(path)
      else if (stat.isFile() && stat.size > 0 && stat.size < maxBytes && accept(path)) {
        // the pnpm store links one file from several places: judge it once
        const real = realpathSync(path)
        if (!seen.has(real)) all.push(path)
        seen.add(real)
      }
    }
  }
  for (const root of roots) walk(root)
  if (all.length <= limit) return all
  return Array.from({ length: limit }, (_, i) => all[Math.floor((i * all.length) / limit)] as string)
}

interface Row {
  language: string
  grammar: string
  tool: string
  files: number
  ok: number
  reject: number
  unknown: number
  falsePositives: { file: string; line: number; message: string }[]
  misses: string[]
}

for (const spec of (process.env.SWEEP_GRAMMARS ?? '').split(',').filter(Boolean)) {
  const [id, wasm] = spec.split('=') as [string, string]
  const existing = listLanguages().find((language) => language.id === id)
  registerLanguage({
    id,
    wasm,
    extensions: [...(existing?.extensions ?? [])],
    aliases: [...(existing?.aliases ?? [])],
  })
}

const wanted = (process.env.SWEEP_LANGUAGES ?? Object.keys(corpora).join(',')).split(',')
const rows: Row[] = []
for (const language of wanted) {
  const corpus = corpora[language]?.()
  const grammar = listLanguages().find((l) => l.id === language)?.grammarName ?? '?'
  if (corpus === undefined) {
    console.error(`${language}: no tool or corpus here, skipped`)
    continue
  }
  const files = collect(corpus.roots, corpus.accept, perLanguage)
  const verdicts = corpus.check(files)
  const row: Row = {
    language,
    grammar: process.env.SWEEP_GRAMMARS?.includes(`${language}=`) ? 'override' : grammar,
    tool: corpus.tool,
    files: files.length,
    ok: 0,
    reject: 0,
    unknown: 0,
    falsePositives: [],
    misses: [],
  }
  for (const [i, file] of files.entries()) {
    const verdict = verdicts[i] as Verdict
    row[verdict] += 1
    if (verdict === 'unknown') continue
    const parsed = await parseCode(readFileSync(file), { language, timeoutMs: 30_000 }).catch(() => undefined)
    if (parsed === undefined) continue
    try {
      const first = parsed.diagnostics[0]
      if (verdict === 'ok' && first !== undefined) {
        row.falsePositives.push({ file, line: first.line, message: first.message })
      } else if (verdict === 'reject' && first === undefined) {
        row.misses.push(file)
      }
    } finally {
      parsed.dispose()
    }
  }
  rows.push(row)
  const rate = row.ok === 0 ? 0 : (100 * row.falsePositives.length) / row.ok
  console.error(
    `${language}: ${row.files} files, ${row.ok} ok / ${row.reject} rejected / ${row.unknown} no verdict by ${row.tool}; ` +
      `false positives ${row.falsePositives.length} (${rate.toFixed(1)}%), misses ${row.misses.length}`,
  )
  for (const fp of row.falsePositives.slice(0, Number(process.env.SWEEP_SHOW ?? 5))) {
    console.error(`  FP ${fp.file}:${fp.line} ${fp.message.slice(0, 100)}`)
  }
}

console.log(
  '\n| language | grammar | tool | files | tool ok | tool rejects | no verdict | false positives | misses |',
)
console.log('|---|---|---|---|---|---|---|---|---|')
for (const r of rows) {
  const rate = r.ok === 0 ? 0 : (100 * r.falsePositives.length) / r.ok
  console.log(
    `| ${r.language} | ${r.grammar} | ${r.tool} | ${r.files} | ${r.ok} | ${r.reject} | ${r.unknown} | ${r.falsePositives.length} (${rate.toFixed(1)}%) | ${r.misses.length} |`,
  )
}
if (process.env.SWEEP_JSON) writeFileSync(process.env.SWEEP_JSON, JSON.stringify(rows, null, 2))
