// `--profile`: runs one client's stream path for OpenAI and Anthropic under the V8 sampling
// profiler (node:inspector, in this process) and lists the frames with the most self time,
// overall and those in this repository's packages. Writes each profile as a `.cpuprofile`
// (open it in Chrome DevTools or speedscope) next to the results.

import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import type { Variant } from './clients'
import { latencyRun } from './measure'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}

interface Profile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** One frame's self time, summed over every place it was sampled. */
export interface FrameTime {
  frame: string
  /** Self time per call, µs. */
  usPerCall: number
  /** Share of all samples, %. */
  percent: number
}

/** Files of this repository's packages (sources under `@ql/source`, or built). */
const OURS = /\/packages\/(provider|router)\//

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  const file = url === '' ? '' : url.replace(/^file:\/\/.*?\/(packages|node_modules)\//, '$1/')
  const where =
    file === ''
      ? ''
      : ` ${file.replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')}:${lineNumber + 1}`
  return `${functionName === '' ? '(anonymous)' : functionName}${where}`
}

/** Self time per frame from the samples' time deltas, largest first. */
function selfTimes(profile: Profile, calls: number, filter: (node: ProfileNode) => boolean): FrameTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const total = profile.endTime - profile.startTime
  const times = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)
    if (node === undefined || !filter(node)) return
    const name = frameName(node)
    times.set(name, (times.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0))
  })
  return [...times.entries()]
    .map(([frame, us]) => ({ frame, usPerCall: us / calls, percent: (100 * us) / total }))
    .sort((a, b) => b.usPerCall - a.usPerCall)
}

/** What one profiled variant spent its time on. */
export interface ProfileSummary {
  variant: string
  calls: number
  file: string
  top: FrameTime[]
  ours: FrameTime[]
  /** All self time in this repository's packages, µs per call. */
  oursUsPerCall: number
}

/** Profiles `calls` calls of each variant at concurrency 1 (after `warmup` calls) and summarizes them. */
export async function profileVariants(
  variants: Variant[],
  { calls, warmup, directory }: { calls: number; warmup: number; directory: string },
): Promise<ProfileSummary[]> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 50 })
  const summaries: ProfileSummary[] = []
  for (const variant of variants) {
    await latencyRun(variant, warmup)
    await session.post('Profiler.start')
    await latencyRun(variant, calls)
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile }
    const name = `${variant.provider}-${variant.mode}-${variant.client}`
    const file = join(directory, `${name}.cpuprofile`)
    writeFileSync(file, JSON.stringify(profile))
    const ours = selfTimes(profile, calls, (node) => OURS.test(node.callFrame.url))
    summaries.push({
      variant: name,
      calls,
      file,
      top: selfTimes(profile, calls, (node) => node.callFrame.functionName !== '(idle)').slice(0, 15),
      ours: ours.slice(0, 15),
      oursUsPerCall: ours.reduce((sum, frame) => sum + frame.usPerCall, 0),
    })
  }
  session.disconnect()
  return summaries
}
