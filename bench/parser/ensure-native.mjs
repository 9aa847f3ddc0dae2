// The native `tree-sitter` binding is the benchmark's reference point. Its linux-x64 prebuild
// needs a newer libstdc++ than Debian 12 ships, so when it does not load, build it once from
// source with node-gyp (about 20 s; g++ and Node's headers are on every machine here).
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'

const require = createRequire(import.meta.url)

function loads() {
  try {
    require('tree-sitter')
    return true
  } catch (error) {
    console.error(
      `native tree-sitter does not load (${error.code ?? error.message}); building it from source`,
    )
    return false
  }
}

if (!loads()) {
  const dir = dirname(require.resolve('tree-sitter/package.json'))
  execFileSync('npx', ['--yes', 'node-gyp', 'rebuild'], { cwd: dir, stdio: 'inherit' })
  if (!loads()) process.exit(1)
}
