import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMemoryCheckpointer } from '@ql/agents'
import { createMockChatModel } from '@ql/provider/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { createCodegenGraph } from '../src/codegen-graph'

// The graph on its own, over an in-memory scripted model (the demo itself goes through the real
// SDKs and the loopback fakes: see demo.test.ts). Parsing loads grammars on first use: be generous.
const TIMEOUT_MS = 60_000
const scratch = mkdtempSync(join(tmpdir(), 'codegen-graph-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const broken = '```py app/main.py\ndef main(:\n    pass\n```'

describe('createCodegenGraph', () => {
  it(
    'stops after maxAttempts when the model never fixes the code, and still writes what it has',
    async () => {
      const model = createMockChatModel({
        script: [{ text: '1. app/main.py' }, { text: broken }, { text: broken }],
      })
      const graph = createCodegenGraph({ model }, createMemoryCheckpointer())
      const outDir = join(scratch, 'unrepaired')
      const result = await graph.run({ task: 'a main', outDir, maxAttempts: 2 })
      expect(result.state).toMatchObject({
        status: 'unrepaired',
        attempts: 2,
        calls: 3,
        written: ['app/main.py'],
      })
      expect(result.state.problemsPerAttempt).toHaveLength(2)
      expect(result.state.problems[0]).toMatchObject({ path: 'app/main.py', line: 1 })
      // the repair request carried the diagnostics and the broken file
      const repair = model.calls[2]?.request.messages[0]?.content
      expect(repair).toContain('app/main.py:1:')
      expect(repair).toContain('def main(:')
      expect(readFileSync(join(outDir, 'app/main.py'), 'utf8')).toBe('def main(:\n    pass\n')
    },
    TIMEOUT_MS,
  )

  it(
    'never writes outside the output directory: such a path is a problem the model must fix',
    async () => {
      const outside = '```ts ../../escape.ts\nexport const x = 1\n```'
      const fixed = '```ts src/x.ts\nexport const x = 1\n```'
      const model = createMockChatModel({ script: [{ text: 'plan' }, { text: outside }, { text: fixed }] })
      const outDir = join(scratch, 'escape', 'out')
      const result = await createCodegenGraph({ model }).run({ task: 'x', outDir })
      expect(result.state.status).toBe('clean')
      expect(result.state.problemsPerAttempt).toEqual([1, 0])
      // the bad path was never kept, reported to the model, and not written
      expect(result.state.written).toEqual(['src/x.ts'])
      expect(existsSync(join(scratch, 'escape.ts'))).toBe(false)
      expect(model.calls[2]?.request.messages[0]?.content).toContain('leaves the output directory')
    },
    TIMEOUT_MS,
  )

  it(
    'maps an existing repository and gives the map to the planner and the writer',
    async () => {
      const repo = join(scratch, 'repo')
      mkdirSync(join(repo, 'src'), { recursive: true })
      writeFileSync(
        join(repo, 'src/money.ts'),
        'export function formatPrice(cents: number): string {\n  return ""\n}\n',
      )
      writeFileSync(
        join(repo, 'src/cart.ts'),
        "import { formatPrice } from './money'\nexport const total = formatPrice(1)\n",
      )
      const model = createMockChatModel({
        script: [{ text: 'plan' }, { text: '```ts src/tax.ts\nexport const tax = 0.25\n```' }],
      })
      const result = await createCodegenGraph({ model }).run({
        task: 'add tax to formatPrice',
        outDir: join(scratch, 'repo-out'),
        repoRoot: repo,
      })
      expect(result.state.status).toBe('clean')
      expect(result.state.repoMap).toContain('formatPrice')
      expect(model.calls[0]?.request.messages[0]?.content).toContain('src/money.ts')
      expect(model.calls[1]?.request.messages[0]?.content).toContain('formatPrice')
    },
    TIMEOUT_MS,
  )
})
