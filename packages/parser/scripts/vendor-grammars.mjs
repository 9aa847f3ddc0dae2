#!/usr/bin/env node

// Rebuilds packages/parser/grammars/ from grammars/manifest.json: for each language, fetch the
// grammar's npm package with `npm pack` (the ordinary client), take its prebuilt .wasm or build
// one from the package's own C sources with Emscripten (Debian's `emscripten` package), and
// store it brotli-compressed as grammars/<id>.wasm.br. Grammar .wasm files are mostly sparse
// parse tables, so they compress 15–20×: all 34 languages ship in a few MB instead of pulling in
// 200 MB of npm packages with native install scripts we never run.
//
//   node scripts/vendor-grammars.mjs            rebuild every grammar, update sha256 and sizes
//   node scripts/vendor-grammars.mjs perl css   only these languages
//   node scripts/vendor-grammars.mjs --check    verify the stored files against the manifest
//
// The manifest records, per language, the package and version, how the .wasm was obtained, the
// licence, and the sha256 of the uncompressed .wasm. LICENSES.md collects the licence texts.

import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib'

const grammarsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'grammars')
const manifestPath = join(grammarsDir, 'manifest.json')
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
const args = process.argv.slice(2)
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex')

if (args.includes('--check')) {
  let bad = 0
  for (const entry of manifest.grammars) {
    const path = join(grammarsDir, entry.file)
    const wasm = existsSync(path) ? brotliDecompressSync(readFileSync(path)) : undefined
    const ok = wasm !== undefined && sha256(wasm) === entry.sha256
    if (!ok) bad += 1
    console.log(`${ok ? 'ok  ' : 'BAD '} ${entry.id} ${entry.package}@${entry.version}`)
  }
  process.exit(bad === 0 ? 0 : 1)
}

const only = new Set(args.filter((arg) => !arg.startsWith('--')))
const work = mkdtempSync(join(tmpdir(), 'ql-grammars-'))
const unpacked = new Map()

/** Unpacks `name@version` from the npm registry once; returns its package directory. */
function unpack(name, version) {
  const key = `${name}@${version}`
  if (!unpacked.has(key)) {
    const dir = join(work, key.replace(/[/@]/g, '_'))
    mkdirSync(dir, { recursive: true })
    const tarball = execFileSync('npm', ['pack', key, '--silent', '--pack-destination', dir], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop()
    execFileSync('tar', ['xzf', join(dir, tarball), '-C', dir])
    unpacked.set(key, join(dir, 'package'))
  }
  return unpacked.get(key)
}

/** Builds a grammar's parser.c (+ scanner.c) as a tree-sitter side module, as `tree-sitter build --wasm` does. */
function build(packageDir, src, symbol) {
  const dir = join(packageDir, src)
  const out = join(work, `${symbol}-${Date.now()}.wasm`)
  const files = ['parser.c', 'scanner.c'].map((file) => join(dir, file)).filter((file) => existsSync(file))
  execFileSync(
    'emcc',
    [
      '-o',
      out,
      '-Os',
      '-fno-exceptions',
      '-fvisibility=hidden',
      '-sSIDE_MODULE=2',
      '-sWASM=1',
      '-sTOTAL_MEMORY=33554432',
      '-sNODEJS_CATCH_EXIT=0',
      `-sEXPORTED_FUNCTIONS=_tree_sitter_${symbol}`,
      '-I',
      dir,
      ...files,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  )
  return readFileSync(out)
}

const emcc = (() => {
  try {
    return execFileSync('emcc', ['--version'], { encoding: 'utf8' }).split('\n')[0]
  } catch {
    return undefined
  }
})()

for (const entry of manifest.grammars) {
  if (only.size > 0 && !only.has(entry.id)) continue
  const packageDir = unpack(entry.package, entry.version)
  let wasm
  if (entry.from.wasm !== undefined) {
    wasm = readFileSync(join(packageDir, entry.from.wasm))
  } else {
    if (emcc === undefined)
      throw new Error(`${entry.id}: building from source needs emcc (apt-get install emscripten)`)
    wasm = build(packageDir, entry.from.build.src, entry.from.build.symbol)
    entry.from.build.compiler = emcc.replace(/\s*\(.*$/, '').trim()
  }
  const compressed = brotliCompressSync(wasm, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: wasm.length,
    },
  })
  writeFileSync(join(grammarsDir, entry.file), compressed)
  const licenseFile = readdirSync(packageDir).find((name) => /^licen[cs]e/i.test(name))
  entry.licenseText =
    licenseFile === undefined ? undefined : readFileSync(join(packageDir, licenseFile), 'utf8').trim()
  entry.sha256 = sha256(wasm)
  entry.wasmBytes = wasm.length
  entry.storedBytes = compressed.length
  console.log(`${entry.id}: ${entry.package}@${entry.version} ${wasm.length} → ${compressed.length} bytes`)
}

// LICENSES.md: one section per package: the languages taken from it (with the upstream grammar
// and its licence when the package is a collection of builds), and the licence text it ships.
const previous = existsSync(join(grammarsDir, 'LICENSES.md'))
  ? readFileSync(join(grammarsDir, 'LICENSES.md'), 'utf8')
  : ''
const sections = new Map()
for (const entry of manifest.grammars) {
  const key = `${entry.package}@${entry.version}`
  const section = sections.get(key) ?? { entries: [], text: undefined }
  section.entries.push(entry)
  section.text ??= entry.licenseText
  sections.set(key, section)
}
let licenses =
  '# Grammar licences\n\nThe grammar files in this folder are compiled from these projects; each keeps its own licence.\n'
for (const [key, section] of [...sections].sort(([a], [b]) => a.localeCompare(b))) {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const text =
    section.text ??
    previous.match(new RegExp(`## ${escaped}\\n[\\s\\S]*?\`\`\`text\\n([\\s\\S]*?)\\n\`\`\``))?.[1]
  const languages = section.entries
    .map((entry) =>
      entry.upstream ? `${entry.id} (grammar: ${entry.upstream}, ${entry.license})` : entry.id,
    )
    .join(', ')
  const license = section.entries.some((entry) => entry.upstream)
    ? ''
    : ` Licence: ${section.entries[0].license}.`
  licenses += `\n## ${key}\n\nLanguages: ${languages}.${license}\n\n\`\`\`text\n${text ?? '(see the upstream project)'}\n\`\`\`\n`
}
writeFileSync(join(grammarsDir, 'LICENSES.md'), licenses)
for (const entry of manifest.grammars) delete entry.licenseText
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`)
