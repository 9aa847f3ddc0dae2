import { createOpenAICompatible } from '../src/openai-compatible/index'
import { passThrough } from './conformance/pass-through'
import { type ConformanceTarget, runConformance } from './conformance/run-conformance'
import { openaiCompatibleWire } from './conformance/wire-openai'

const target: ConformanceTarget = {
  name: 'vllm',
  protocol: 'openai',
  modelId: 'llama-3.1-8b',
  createModel: (fake, settings) =>
    createOpenAICompatible({ name: 'vllm', baseURL: fake.baseURL, apiKey: settings?.apiKey }).chat(
      'llama-3.1-8b',
    ),
  supports: { structuredOutput: true, reasoning: true },
  wire: openaiCompatibleWire('llama-3.1-8b'),
}

runConformance(target)
// the whole suite again, through a middleware that changes nothing
runConformance(passThrough(target))
