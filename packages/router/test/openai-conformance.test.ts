import { createOpenAI } from '../src/openai/index'
import { runConformance } from './conformance/run-conformance'

runConformance({
  name: 'openai',
  protocol: 'openai',
  modelId: 'gpt-4o-mini',
  createModel: (fake, settings) =>
    createOpenAI({ baseURL: fake.baseURL, apiKey: settings?.apiKey }).chat('gpt-4o-mini'),
  supports: { structuredOutput: true, reasoning: false },
})
