// Timing of one variant for one round: latency per call at concurrency 1, throughput at a
// higher concurrency, and the client's CPU per call (process.cpuUsage: user + system of this
// process; the server runs in another process).

import type { Variant } from './clients'
import { ANSWER_TEXT } from './wire-bodies'

/** One round of one variant. Times in microseconds. */
export interface RoundResult {
  /** Median latency per call at concurrency 1. */
  p50Us: number
  p90Us: number
  p99Us: number
  /** Client CPU (user + system) per call at concurrency 1. */
  cpuUsPerCall: number
  /** Calls per second at the throughput concurrency. */
  callsPerSecond: number
  /** Client CPU per call at the throughput concurrency. */
  cpuUsPerCallConcurrent: number
}

const gc = (globalThis as { gc?: () => void }).gc

/** Throws unless `text` is the whole answer: a call that lost events must not count as fast. */
function check(variant: Variant, text: string): void {
  if (text.length !== ANSWER_TEXT.length) {
    throw new Error(
      `${variant.provider} ${variant.mode} ${variant.client}: got ${JSON.stringify(text)}, expected ${JSON.stringify(ANSWER_TEXT)}`,
    )
  }
}

/** The first call of a variant, checked in full (text equal, not only its length). */
export async function verify(variant: Variant): Promise<void> {
  const text = await variant.call()
  if (text !== ANSWER_TEXT) check(variant, `${text}\u0000`)
}

const quantile = (sorted: Float64Array, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number

const cpuUs = (usage: NodeJS.CpuUsage) => usage.user + usage.system

/** `calls` calls one after another; per-call latencies and the CPU they took. */
export async function latencyRun(
  variant: Variant,
  calls: number,
): Promise<Pick<RoundResult, 'p50Us' | 'p90Us' | 'p99Us' | 'cpuUsPerCall'>> {
  gc?.()
  const times = new Float64Array(calls)
  const cpuStart = process.cpuUsage()
  for (let i = 0; i < calls; i++) {
    const start = performance.now()
    const text = await variant.call()
    times[i] = performance.now() - start
    if (text.length !== ANSWER_TEXT.length) check(variant, text)
  }
  const cpu = cpuUs(process.cpuUsage(cpuStart))
  times.sort()
  return {
    p50Us: quantile(times, 0.5) * 1000,
    p90Us: quantile(times, 0.9) * 1000,
    p99Us: quantile(times, 0.99) * 1000,
    cpuUsPerCall: cpu / calls,
  }
}

/** `calls` calls with `concurrency` of them in flight at all times; calls per second and CPU per call. */
export async function throughputRun(
  variant: Variant,
  calls: number,
  concurrency: number,
): Promise<Pick<RoundResult, 'callsPerSecond' | 'cpuUsPerCallConcurrent'>> {
  gc?.()
  let started = 0
  const worker = async () => {
    while (started < calls) {
      started++
      const text = await variant.call()
      if (text.length !== ANSWER_TEXT.length) check(variant, text)
    }
  }
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker))
  const seconds = (performance.now() - start) / 1000
  return {
    callsPerSecond: calls / seconds,
    cpuUsPerCallConcurrent: cpuUs(process.cpuUsage(cpuStart)) / calls,
  }
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
