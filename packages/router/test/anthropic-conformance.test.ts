import { createAnthropic } from '../src/anthropic/index'
import { anthropicAdapterWire } from './anthropic-wire'
import { runConformance } from './conformance/run-conformance'

runConformance({
  name: 'anthropic',
  protocol: 'anthropic',
  modelId: 'claude-test',
  createModel: (fake, settings) =>
    createAnthropic({ baseURL: fake.baseURL, apiKey: settings?.apiKey }).chat('claude-test'),
  supports: { structuredOutput: true, reasoning: true },
  wire: anthropicAdapterWire,
})
