import { createOpenAI } from '../src/openai/index'
import { passThrough } from './conformance/pass-through'
import { type ConformanceTarget, runConformance } from './conformance/run-conformance'

const target: ConformanceTarget = {
  name: 'openai',
  protocol: 'openai',
  modelId: 'gpt-4o-mini',
  createModel: (fake, settings) =>
    createOpenAI({ baseURL: fake.baseURL, apiKey: settings?.apiKey }).chat('gpt-4o-mini'),
  supports: { structuredOutput: true, reasoning: false },
}

runConformance(target)
// the whole suite again, through a middleware that changes nothing
runConformance(passThrough(target))
