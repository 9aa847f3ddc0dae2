import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, it } from 'vitest'
import { createFileCheckpointer, createMemoryCheckpointer } from '../src/index'
import { checkpointerConformance } from '../src/testing/index'

describe('memory checkpointer conformance', () => {
  for (const test of checkpointerConformance(() => createMemoryCheckpointer())) it(test.name, test.run)
})

describe('file checkpointer conformance', () => {
  const root = mkdtempSync(join(tmpdir(), 'ql-agents-file-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  let count = 0
  for (const test of checkpointerConformance(() => createFileCheckpointer(join(root, String(count++))))) {
    it(test.name, test.run, 30_000)
  }
})
