import type { ChatRequest } from '@ql/provider'
import { describe, expect, it, vi } from 'vitest'
import { InvalidRouterConfigError } from '../src/router/state/invalid-router-config-error'
import { LatencyTracker } from '../src/router/state/latency-tracker'
import { matchesRoute } from '../src/router/state/match-route'
import { RoutingFunctionError } from '../src/router/state/routing-function-error'

const request = (metadata?: ChatRequest['metadata']): ChatRequest => ({
  messages: [{ role: 'user', content: 'hi' }],
  ...(metadata === undefined ? {} : { metadata }),
})

describe('matchesRoute', () => {
  it('matches every call without a condition, or with an empty one', () => {
    expect(matchesRoute(undefined, request())).toBe(true)
    expect(matchesRoute({}, request())).toBe(true)
    expect(matchesRoute({ tags: [] }, request())).toBe(true)
  })

  it('needs every tag, from request metadata (comma-separated) or call metadata (array or string)', () => {
    const condition = { tags: ['eu', 'batch'] }
    expect(matchesRoute(condition, request({ tags: 'eu, batch ,x' }))).toBe(true)
    expect(matchesRoute(condition, request({ tags: 'eu' }))).toBe(false)
    expect(matchesRoute(condition, request(), { tags: ['batch', 'eu'] })).toBe(true)
    expect(matchesRoute(condition, request({ tags: 'eu' }), { tags: 'batch' })).toBe(true)
    expect(matchesRoute(condition, request({ tags: 7 }), { tags: [1, 'eu', null] })).toBe(false)
    expect(matchesRoute(condition, request())).toBe(false)
    expect(matchesRoute({ tags: ['EU'] }, request({ tags: 'eu' }))).toBe(false) // case matters
  })

  it('compares metadata values exactly; call metadata wins over the request’s', () => {
    const condition = { metadata: { tier: 'batch', priority: 1, internal: true } }
    expect(matchesRoute(condition, request({ tier: 'batch', priority: 1, internal: true }))).toBe(true)
    expect(matchesRoute(condition, request({ tier: 'batch', priority: '1', internal: true }))).toBe(false)
    expect(matchesRoute(condition, request({ tier: 'batch', priority: 1 }))).toBe(false)
    expect(
      matchesRoute(condition, request({ tier: 'online', priority: 1, internal: true }), { tier: 'batch' }),
    ).toBe(true)
    expect(
      matchesRoute(condition, request({ tier: 'batch', priority: 1, internal: true }), { tier: 'online' }),
    ).toBe(false)
    expect(matchesRoute({ metadata: { tier: 'batch' }, tags: ['eu'] }, request({ tier: 'batch' }))).toBe(
      false,
    )
  })

  it('calls a function condition with the request and the call metadata', () => {
    const condition = vi.fn(
      (r: ChatRequest, context: { metadata: Record<string, unknown> | undefined }) =>
        r.messages.length === 1 && context.metadata?.vip === true,
    )
    expect(matchesRoute(condition, request(), { vip: true })).toBe(true)
    expect(matchesRoute(condition, request())).toBe(false)
    expect(condition).toHaveBeenCalledTimes(2)
  })

  it('turns a throwing or non-boolean function into a typed error', () => {
    const boom = new Error('boom')
    try {
      matchesRoute(() => {
        throw boom
      }, request())
      expect.unreachable()
    } catch (error) {
      expect(RoutingFunctionError.isInstance(error)).toBe(true)
      expect((error as RoutingFunctionError).kind).toBe('route-condition')
      expect((error as Error).cause).toBe(boom)
    }
    expect(() => matchesRoute((() => 'yes') as never, request())).toThrow(/returned string/)
    expect(() => matchesRoute((() => null) as never, request())).toThrow(/returned null/)
    expect(() =>
      matchesRoute(() => {
        throw 'text'
      }, request()),
    ).toThrow(/threw: text/)
  })

  it('rejects conditions of the wrong shape with the field named', () => {
    expect(() => matchesRoute('eu' as never, request())).toThrow(InvalidRouterConfigError)
    expect(() => matchesRoute(null as never, request())).toThrow(/got null/)
    expect(() => matchesRoute({ tags: 'eu' } as never, request())).toThrow(/when\.tags/)
    expect(() => matchesRoute({ metadata: 'x' } as never, request())).toThrow(/when\.metadata/)
  })

  it('ignores inherited properties of a condition’s metadata', () => {
    const metadata = Object.create({ tier: 'batch' }) as Record<string, string>
    expect(matchesRoute({ metadata }, request())).toBe(true)
  })
})

describe('LatencyTracker', () => {
  it('starts unmeasured, takes the first sample as is, then moves by alpha', () => {
    const tracker = new LatencyTracker()
    expect(tracker.alpha).toBe(0.3)
    expect(tracker.value).toBeUndefined()
    tracker.record(100)
    expect(tracker.value).toBe(100)
    tracker.record(200)
    expect(tracker.value).toBeCloseTo(130)
    expect(tracker.samples).toBe(2)
  })

  it('converges on a new level', () => {
    const tracker = new LatencyTracker({ alpha: 0.5 })
    tracker.record(1000)
    for (let i = 0; i < 20; i++) tracker.record(100)
    expect(tracker.value).toBeCloseTo(100, 0)
  })

  it('ignores samples that are negative or not finite', () => {
    const tracker = new LatencyTracker({ alpha: 1 })
    tracker.record(50)
    for (const bad of [-1, Number.NaN, Infinity, -Infinity]) tracker.record(bad)
    expect(tracker.value).toBe(50)
    expect(tracker.samples).toBe(1)
  })

  it.each([0, -0.1, 1.01, Number.NaN, '0.5'])('rejects alpha %j with a typed error', (alpha) => {
    expect(() => new LatencyTracker({ alpha: alpha as number })).toThrow(InvalidRouterConfigError)
  })
})
