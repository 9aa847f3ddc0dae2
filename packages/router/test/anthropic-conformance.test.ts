import { createAnthropic } from '../src/anthropic/index'
import { anthropicAdapterWire } from './anthropic-wire'
import { passThrough } from './conformance/pass-through'
import { type ConformanceTarget, runConformance } from './conformance/run-conformance'

const target: ConformanceTarget = {
  name: 'anthropic',
  protocol: 'anthropic',
  modelId: 'claude-test',
  createModel: (fake, settings) =>
    createAnthropic({ baseURL: fake.baseURL, apiKey: settings?.apiKey }).chat('claude-test'),
  supports: { structuredOutput: true, reasoning: true },
  wire: anthropicAdapterWire,
}

runConformance(target)
// the whole suite again, through a middleware that changes nothing
runConformance(passThrough(target))
