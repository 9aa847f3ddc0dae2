// Prints the functions with the most self time in a .cpuprofile: `node agents/top-self.mjs FILE`.
import { readFileSync } from 'node:fs'

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const self = new Map()
const dt = new Map()
profile.samples.forEach((id, index) => {
  dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0))
})
for (const node of profile.nodes) {
  const frame = node.callFrame
  const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`
  self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0))
}
const total = [...self.values()].reduce((a, b) => a + b, 0)
for (const [key, time] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`${((100 * time) / total).toFixed(1).padStart(5)}%  ${key}`)
}
