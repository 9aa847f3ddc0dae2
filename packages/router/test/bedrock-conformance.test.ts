import { createBedrock } from '../src/bedrock/index'
import { bedrockAdapterWire } from './bedrock-wire'
import { passThrough } from './conformance/pass-through'
import { type ConformanceTarget, runConformance } from './conformance/run-conformance'

const target: ConformanceTarget = {
  name: 'bedrock',
  protocol: 'bedrock',
  modelId: 'anthropic.claude-test-v1:0',
  // the conformance key is used as a Bedrock API key (bearer token)
  createModel: (fake, settings) =>
    createBedrock({ region: 'us-east-1', baseURL: fake.baseURL, apiKey: settings?.apiKey }).chat(
      'anthropic.claude-test-v1:0',
    ),
  supports: { structuredOutput: true, reasoning: true },
  wire: bedrockAdapterWire,
}

runConformance(target)
// the whole suite again, through a middleware that changes nothing
runConformance(passThrough(target))
