import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { describe, expect, it } from 'vitest'
import { createRouter } from '../src/index'
import { closeAll, collect, fakeTarget, http, OPENAI_KEY, ok, request } from './router-fixtures'

describe('createRouter: OpenTelemetry', () => {
  it('makes a CLIENT span per call with a child span per attempt, named by the GenAI conventions', async () => {
    const exporter = new InMemorySpanExporter()
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
    const flaky = await fakeTarget('openai', [http(401), http(500), http(500)])
    const backup = await fakeTarget('anthropic', [ok('Oslo'), ok('Oslo streamed')])
    try {
      const router = createRouter({
        id: 'chat-router',
        targets: [
          { id: 'flaky', model: flaky.model },
          { id: 'backup', model: backup.model },
        ],
        telemetry: { tracer: provider.getTracer('test') },
      })
      await router.generate(request)
      await collect(router.stream(request))
      const spans = exporter.getFinishedSpans()
      const calls = spans.filter((span) => span.name === 'chat chat-router')
      expect(calls).toHaveLength(2)
      const [first] = calls
      expect(first?.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'chat-router',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': 3,
        'ql.router.target.id': 'backup',
        'ql.router.attempts': 2,
        'ql.router.fallbacks': 1,
      })
      const attempts = spans.filter((span) => span.parentSpanContext?.spanId === first?.spanContext().spanId)
      expect(attempts.map((span) => span.attributes['ql.router.target.id'])).toEqual(['flaky', 'backup'])
      expect(attempts[0]?.attributes['error.type']).toBeDefined()
      expect(calls[1]?.attributes['gen_ai.request.stream']).toBe(true)
      expect(JSON.stringify(spans.map((span) => [span.attributes, span.events]))).not.toContain(OPENAI_KEY)
      router.close()
    } finally {
      await closeAll(flaky, backup)
      await provider.shutdown()
    }
  })
})
