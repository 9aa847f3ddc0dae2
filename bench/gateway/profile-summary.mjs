// Where a gateway .cpuprofile spends its time: self time grouped by package (or by our source
// directory), then the top functions. `node gateway/profile-summary.mjs FILE [--top 25]`.
import { readFileSync } from 'node:fs'

const file = process.argv[2]
const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 25
const profile = JSON.parse(readFileSync(file, 'utf8'))
const dt = new Map()
profile.samples.forEach((id, index) => {
  dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0))
})

const byGroup = new Map()
const byFunction = new Map()
for (const node of profile.nodes) {
  const time = dt.get(node.id) ?? 0
  if (time === 0) continue
  const { url, functionName, lineNumber } = node.callFrame
  const group = groupOf(url, functionName)
  byGroup.set(group, (byGroup.get(group) ?? 0) + time)
  const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + time)
}
const total = [...byGroup.values()].reduce((a, b) => a + b, 0)
const busy = total - (byGroup.get('(idle)') ?? 0)
const print = (map, n) => {
  for (const [key, time] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    if (key === '(idle)') continue
    console.log(`${((100 * time) / busy).toFixed(1).padStart(5)}%  ${key}`)
  }
}
console.log(
  `busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s profiled; share of busy time:`,
)
print(byGroup, 30)
console.log('\ntop functions (self time):')
print(byFunction, top)

function groupOf(url, name) {
  if (url === '') return name.startsWith('(') ? name : '(native / V8 builtins)'
  if (url.includes('deps/undici')) return 'undici (node:internal fetch)'
  if (url.startsWith('node:internal/')) return `node:internal/${url.slice(14).split('/')[0]}`
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`
  const pnpm = url.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/)
  if (pnpm) return pnpm[1]
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)
  if (nm) return nm[1]
  const ours = url.match(/\/(packages\/[^/]+|examples\/[^/]+)\//)
  if (ours) return `@ql ${ours[1]}`
  return url.split('/').slice(-2).join('/')
}
