// The fan-out on the fake cluster: every item is crunched by a Job whose pod is a real ql-worker
// process, and deleting the run leaves no Jobs or pods behind.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from '../src/cli'
import { runFanout } from '../src/fanout'
import { crunch } from '../src/graph'

/** Bundling with esbuild and starting a Node process per pod is slow on a loaded machine (about 3 s idle). */
const TIMEOUT_MS = 90_000
const ITEMS = 4

afterEach(() => {
  vi.restoreAllMocks()
})

describe('k8s-fanout on the fake cluster', () => {
  it(
    'runs every item as a Job in its own pod process, joins the results and cleans up',
    async () => {
      const lines: string[] = []
      const result = await runFanout({ items: ITEMS, print: (line) => lines.push(line) })

      expect(result.mode).toBe('fake')
      expect(lines[0]).toMatch(/^offline: a fake Kubernetes cluster/)
      const items = Array.from({ length: ITEMS }, (_, k) => `item-${k + 1}`)
      expect(result.results.map((r) => r.item).sort()).toEqual(items)
      for (const r of result.results) expect(r.digest).toBe(crunch(r.item))
      expect(result.summary).toBe(`${ITEMS} of ${ITEMS} items crunched in ${ITEMS} pods`)

      // each result came from another process (a pod), not this one
      const pids = new Set(result.results.map((r) => r.pid))
      expect(pids.size).toBe(ITEMS)
      expect(pids.has(process.pid)).toBe(false)

      // one Job per item, whose pod process started exactly once, and none left after cleanup
      expect(result.jobs).toHaveLength(ITEMS)
      for (const job of result.jobs) expect(job.processStarts).toBe(1)
      expect(new Set(result.results.map((r) => r.pod.replace(/-[a-z0-9]+$/, '')))).toEqual(
        new Set(result.jobs.map((job) => job.name)),
      )
      expect(result.leftover).toEqual({ jobs: 0, pods: 0 })
    },
    TIMEOUT_MS,
  )

  it('prints its help and refuses a bad command line', async () => {
    const out: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0)
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0)
    expect(await main(['--help'])).toBe(0)
    expect(out.join('')).toContain('--items <n>')
    expect(await main(['--items', '0'])).toBe(2)
    expect(await main(['--nope'])).toBe(2)
    expect(out.join('')).toContain('unknown option --nope')
  })
})
