#!/usr/bin/env node
// What installing @ql/parser costs a user: packs the package as it would be published, installs
// the tarball with npm into an empty temporary project, and prints the installed size, the
// number of packages, and every install script they declare (npm 11 only runs approved ones, so
// declared scripts are counted whether or not they ran). Then it loads every built-in language
// from the installed copy, to show that nothing was lost.
//
//   node bench/parser/install-size.mjs            build, pack, install, measure
//   node bench/parser/install-size.mjs --no-build use the current packages/parser/dist
//   INSTALL_SIZE_KEEP=1 ...                       keep the temporary project (its path is printed)
//
// Bar (issue 13): <= 40 MB installed, no install scripts, no native build, all languages kept.

import { execFileSync } from 'node:child_process'
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages', 'parser')
const work = mkdtempSync(join(tmpdir(), 'ql-install-size-'))
const sh = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })

if (!process.argv.includes('--no-build')) sh('pnpm', ['run', 'build'], packageDir)
const tarball = join(
  work,
  sh('npm', ['pack', '--silent', '--pack-destination', work], packageDir).trim().split('\n').pop(),
)
const project = join(work, 'project')
sh('mkdir', ['-p', project])
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify({ name: 'install-size-probe', private: true, type: 'module' }),
)
const started = performance.now()
sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], project)
const installSeconds = (performance.now() - started) / 1000

/** Every installed package directory (scoped and nested ones included). */
function packages(nodeModules, out = []) {
  if (!existsSync(nodeModules)) return out
  for (const name of readdirSync(nodeModules)) {
    if (name.startsWith('.')) continue
    const path = join(nodeModules, name)
    if (name.startsWith('@')) {
      for (const scoped of readdirSync(path)) {
        out.push(join(path, scoped))
        packages(join(path, scoped, 'node_modules'), out)
      }
    } else {
      out.push(path)
      packages(join(path, 'node_modules'), out)
    }
  }
  return out
}

function bytes(path) {
  const stat = lstatSync(path)
  if (!stat.isDirectory()) return stat.size
  let total = 0
  for (const name of readdirSync(path)) total += bytes(join(path, name))
  return total
}

const nodeModules = join(project, 'node_modules')
const installed = packages(nodeModules)
const scripts = []
for (const dir of installed) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  for (const hook of ['preinstall', 'install', 'postinstall']) {
    if (manifest.scripts?.[hook])
      scripts.push(`${manifest.name}@${manifest.version} ${hook}: ${manifest.scripts[hook]}`)
  }
  // npm runs `node-gyp rebuild` for a package with a binding.gyp and no install script of its own
  if (!manifest.scripts?.install && !manifest.scripts?.preinstall && existsSync(join(dir, 'binding.gyp'))) {
    scripts.push(`${manifest.name}@${manifest.version} install (implicit): node-gyp rebuild`)
  }
}
const total = bytes(nodeModules)
const diskKb = Number(sh('du', ['-sk', nodeModules]).split('\t')[0])
const mb = (n) => (n / 1e6).toFixed(1)

console.log(`@ql/parser install size (npm ${sh('npm', ['-v']).trim()}, Node ${process.version})`)
console.log(`tarball: ${mb(lstatSync(tarball).size)} MB`)
console.log(
  `installed: ${mb(total)} MB of files (${mb(diskKb * 1024)} MB on disk) in ${installed.length} packages; npm install took ${installSeconds.toFixed(1)} s`,
)
const sizes = installed.map((dir) => ({ dir, size: bytes(dir) })).sort((a, b) => b.size - a.size)
for (const { dir, size } of sizes)
  console.log(`  ${mb(size).padStart(6)} MB  ${dir.slice(nodeModules.length + 1)}`)
console.log(`install scripts: ${scripts.length}`)
for (const script of scripts) console.log(`  ${script}`)

// Every built-in language loads from the installed copy.
const check = `
import { listLanguages, parseCode } from '@ql/parser'
const failed = []
for (const { id } of listLanguages()) {
  try { const parsed = await parseCode('x', { language: id }); parsed.dispose() } catch (error) { failed.push(id + ': ' + error.message) }
}
console.log(JSON.stringify({ languages: listLanguages().length, failed }))
`
writeFileSync(join(project, 'check.mjs'), check)
const loaded = JSON.parse(sh('node', ['check.mjs'], project).trim().split('\n').pop())
console.log(
  `languages: ${loaded.languages} listed, ${loaded.languages - loaded.failed.length} load and parse from the installed package`,
)
for (const failure of loaded.failed) console.log(`  FAILED ${failure}`)

const met = total <= 40e6 && scripts.length === 0 && loaded.failed.length === 0
console.log(`bar: <= 40 MB, no install scripts, every language loads: ${met ? 'met' : 'NOT met'}`)
if (process.env.INSTALL_SIZE_KEEP) console.log(`kept: ${project}`)
else rmSync(work, { recursive: true, force: true })
process.exitCode = met ? 0 : 1
