import { createOpenAI } from '../src/openai/index'
import { runConformance } from './conformance/run-conformance'
import { openaiResponsesWire } from './conformance/wire-openai'

runConformance({
  name: 'openai',
  protocol: 'openai',
  modelId: 'gpt-4o-mini',
  createModel: (fake, settings) =>
    createOpenAI({ baseURL: fake.baseURL, apiKey: settings?.apiKey }).responses('gpt-4o-mini'),
  supports: { structuredOutput: true, reasoning: true },
  wire: openaiResponsesWire,
})
