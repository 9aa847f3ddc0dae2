import type { ChatRequest } from '@ql/provider'
import { QlError } from '@ql/provider'
import { describe, expect, it, vi } from 'vitest'
import { RoutingFunctionError } from '../src/router/state/routing-function-error'
import type { StrategyContext } from '../src/router/state/strategies'
import { isBuiltInStrategy, orderTargets } from '../src/router/state/strategies'
import type { TargetView } from '../src/router/state/target-view'

const request: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] }
const context: StrategyContext = { request, metadata: undefined, attempt: 1 }

function view(id: string, overrides: Partial<TargetView> = {}): TargetView {
  return {
    id,
    weight: 1,
    priority: 0,
    inFlight: 0,
    latencyMs: undefined,
    costPerMTokens: undefined,
    tags: [],
    ...overrides,
  }
}

/** mulberry32: a small seeded generator, so distributions are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ids = (targets: readonly TargetView[]) => targets.map((target) => target.id)

describe('orderTargets: priority', () => {
  it('orders by priority ascending, then configuration order', () => {
    const targets = [
      view('a', { priority: 1 }),
      view('b', { priority: 0 }),
      view('c', { priority: 1 }),
      view('d', { priority: 0 }),
    ]
    expect(ids(orderTargets('priority', targets, context))).toEqual(['b', 'd', 'a', 'c'])
  })

  it('returns a new array and leaves the input alone', () => {
    const targets = [view('a', { priority: 2 }), view('b')]
    const ordered = orderTargets('priority', targets, context)
    expect(ordered).not.toBe(targets)
    expect(ids(targets)).toEqual(['a', 'b'])
    const single = [view('only')]
    expect(orderTargets('weighted', single, context)).not.toBe(single)
    expect(orderTargets('weighted', [], context)).toEqual([])
  })

  it('puts a priority that is not finite last, in configuration order', () => {
    const targets = [
      view('nan', { priority: Number.NaN }),
      view('b', { priority: 5 }),
      view('inf', { priority: Infinity }),
    ]
    expect(ids(orderTargets('priority', targets, context))).toEqual(['b', 'nan', 'inf'])
  })
})

describe('orderTargets: weighted', () => {
  it('picks the first target in proportion to its weight (seeded, 20,000 picks, ±2%)', () => {
    const targets = [view('a', { weight: 1 }), view('b', { weight: 3 }), view('c', { weight: 6 })]
    const random = seeded(42)
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 }
    const n = 20_000
    for (let i = 0; i < n; i++) {
      const first = orderTargets('weighted', targets, context, random)[0] as TargetView
      counts[first.id] = (counts[first.id] ?? 0) + 1
    }
    expect((counts.a as number) / n).toBeCloseTo(0.1, 1)
    expect(Math.abs((counts.a as number) / n - 0.1)).toBeLessThan(0.02)
    expect(Math.abs((counts.b as number) / n - 0.3)).toBeLessThan(0.02)
    expect(Math.abs((counts.c as number) / n - 0.6)).toBeLessThan(0.02)
  })

  it('draws fallbacks without replacement: the second place follows the remaining weights', () => {
    // P(second = a) = P(b first)·1/(1+6) + P(c first)·1/(1+3) = 0.3/7 + 0.6/4 ≈ 0.1929
    const targets = [view('a', { weight: 1 }), view('b', { weight: 3 }), view('c', { weight: 6 })]
    const random = seeded(7)
    let secondIsA = 0
    const n = 20_000
    for (let i = 0; i < n; i++) {
      const ordered = orderTargets('weighted', targets, context, random)
      expect(new Set(ids(ordered)).size).toBe(3)
      if (ordered[1]?.id === 'a') secondIsA++
    }
    expect(Math.abs(secondIsA / n - (0.3 / 7 + 0.6 / 4))).toBeLessThan(0.02)
  })

  it('tries weight-0 targets only after every positive weight, and reads bad weights as 0', () => {
    const targets = [
      view('zero', { weight: 0 }),
      view('neg', { weight: -5 }),
      view('nan', { weight: Number.NaN }),
      view('inf', { weight: Infinity }),
      view('w', { weight: 2 }),
    ]
    const random = seeded(1)
    for (let i = 0; i < 200; i++) {
      expect(ids(orderTargets('weighted', targets, context, random))).toEqual([
        'w',
        'zero',
        'neg',
        'nan',
        'inf',
      ])
    }
  })

  it('keeps priority tiers: weights only shuffle within a tier', () => {
    const targets = [view('backup', { priority: 1, weight: 1000 }), view('a'), view('b')]
    const random = seeded(3)
    for (let i = 0; i < 200; i++) {
      expect(orderTargets('weighted', targets, context, random)[2]?.id).toBe('backup')
    }
  })

  it('survives a random source that returns values outside [0, 1)', () => {
    const targets = [view('a'), view('b')]
    for (const value of [Number.NaN, -1, 1, 2, Infinity]) {
      const ordered = orderTargets('weighted', targets, context, () => value)
      expect(ids(ordered).sort()).toEqual(['a', 'b'])
    }
  })

  it('uses Math.random by default', () => {
    const spy = vi.spyOn(Math, 'random').mockReturnValue(0.5)
    orderTargets('weighted', [view('a'), view('b')], context)
    expect(spy).toHaveBeenCalledTimes(2)
    spy.mockRestore()
  })
})

describe('orderTargets: least-latency', () => {
  it('orders by latency, unmeasured targets first so they get measured', () => {
    const targets = [
      view('slow', { latencyMs: 900 }),
      view('fast', { latencyMs: 100 }),
      view('new1'),
      view('mid', { latencyMs: 300 }),
      view('new2'),
    ]
    expect(ids(orderTargets('least-latency', targets, context))).toEqual([
      'new1',
      'new2',
      'fast',
      'mid',
      'slow',
    ])
  })

  it('breaks ties on in-flight calls, then configuration order; bad latencies count as unmeasured', () => {
    const targets = [
      view('busy', { latencyMs: 100, inFlight: 3 }),
      view('idle', { latencyMs: 100, inFlight: 0 }),
      view('neg', { latencyMs: -1, inFlight: 2 }),
      view('nan', { latencyMs: Number.NaN, inFlight: 1 }),
    ]
    expect(ids(orderTargets('least-latency', targets, context))).toEqual(['nan', 'neg', 'idle', 'busy'])
  })
})

describe('orderTargets: least-busy and lowest-cost', () => {
  it('least-busy orders by calls in flight, ties in configuration order', () => {
    const targets = [
      view('a', { inFlight: 2 }),
      view('b', { inFlight: 0 }),
      view('c', { inFlight: 2 }),
      view('d', { inFlight: Number.NaN }),
    ]
    expect(ids(orderTargets('least-busy', targets, context))).toEqual(['b', 'd', 'a', 'c'])
  })

  it('lowest-cost orders by price, unknown prices last', () => {
    const targets = [
      view('unknown'),
      view('pricey', { costPerMTokens: 15 }),
      view('cheap', { costPerMTokens: 0.5 }),
      view('free', { costPerMTokens: 0 }),
      view('bad', { costPerMTokens: Number.NaN }),
    ]
    expect(ids(orderTargets('lowest-cost', targets, context))).toEqual([
      'free',
      'cheap',
      'pricey',
      'unknown',
      'bad',
    ])
  })

  it('every built-in strategy keeps priority tiers', () => {
    const targets = [
      view('fallback', { priority: 1, inFlight: 0, latencyMs: 1, costPerMTokens: 0 }),
      view('main', { inFlight: 9, latencyMs: 999, costPerMTokens: 99 }),
    ]
    for (const strategy of ['priority', 'weighted', 'least-latency', 'least-busy', 'lowest-cost'] as const) {
      expect(isBuiltInStrategy(strategy)).toBe(true)
      expect(ids(orderTargets(strategy, targets, context))).toEqual(['main', 'fallback'])
    }
  })

  it('orders many targets the same way (the path for more than 32 targets)', () => {
    const targets = Array.from({ length: 40 }, (_, i) =>
      view(`t${i}`, { priority: i % 3, inFlight: (i * 7) % 5 }),
    )
    const expected = [...targets].sort(
      (a, b) => a.priority - b.priority || a.inFlight - b.inFlight || targets.indexOf(a) - targets.indexOf(b),
    )
    expect(ids(orderTargets('least-busy', targets, context))).toEqual(ids(expected))
    // and a small call after a big one still sorts right (scratch buffers reused)
    expect(ids(orderTargets('least-busy', [view('x', { inFlight: 2 }), view('y')], context))).toEqual([
      'y',
      'x',
    ])
  })

  it('survives a random source that orders targets itself (re-entrant call)', () => {
    const inner = [view('p', { inFlight: 1 }), view('q')]
    let innerOrder: string[] = []
    const random = () => {
      innerOrder = ids(orderTargets('least-busy', inner, context))
      return 0.5
    }
    const ordered = orderTargets(
      'weighted',
      [view('a', { weight: 1 }), view('b', { weight: 1e9 })],
      context,
      random,
    )
    expect(ids(ordered)).toEqual(['b', 'a'])
    expect(innerOrder).toEqual(['q', 'p'])
  })

  it('rejects an unknown strategy name with a typed error', () => {
    expect(() => orderTargets('fastest' as never, [view('a')], context)).toThrow(RoutingFunctionError)
    expect(isBuiltInStrategy('round-robin')).toBe(false)
    expect(() => orderTargets('round-robin' as never, [view('a'), view('b')], context)).toThrow(
      /unknown routing strategy "round-robin"/,
    )
  })
})

describe('orderTargets: a strategy function', () => {
  const targets = [view('a'), view('b'), view('c')]

  it('uses the order it returns, as ids or views, and passes the context', () => {
    const strategy = vi.fn(() => ['c', 'a'])
    expect(ids(orderTargets(strategy, targets, { ...context, attempt: 2 }))).toEqual(['c', 'a'])
    expect(strategy).toHaveBeenCalledWith(targets, expect.objectContaining({ attempt: 2, request }))
    expect(ids(orderTargets((views) => [...views].reverse(), targets, context))).toEqual(['c', 'b', 'a'])
  })

  it('returns the router’s own views, not objects the function made up', () => {
    const forged = { ...view('b'), weight: 1e9 }
    const ordered = orderTargets(() => [forged], targets, context)
    expect(ordered[0]).toBe(targets[1])
  })

  it('counts repeated ids once', () => {
    expect(ids(orderTargets(() => ['b', 'b', 'a', 'b'], targets, context))).toEqual(['b', 'a'])
    expect(() => orderTargets(() => ['x', 'x'], targets, context)).toThrow(/an id no target has: "x";/)
  })

  it('looks ids up the same way among many targets', () => {
    const many = Array.from({ length: 30 }, (_, i) => view(`t${i}`))
    expect(ids(orderTargets(() => ['t29', 't3', 't29'], many, context))).toEqual(['t29', 't3'])
    expect(() => orderTargets(() => ['t30'], many, context)).toThrow(RoutingFunctionError)
  })

  it('throws a typed error naming ids no target has', () => {
    let caught: unknown
    try {
      orderTargets(() => ['a', 'nope', 'gone'], targets, context)
    } catch (error) {
      caught = error
    }
    expect(RoutingFunctionError.isInstance(caught)).toBe(true)
    const error = caught as RoutingFunctionError
    expect(error.code).toBe('routing_function_failed')
    expect(error.retryable).toBe(false)
    expect(error.kind).toBe('strategy')
    expect(error.unknownIds).toEqual(['nope', 'gone'])
    expect(error.message).toContain('"nope", "gone"')
    expect(error.toJSON().details).toEqual({ kind: 'strategy', unknownIds: ['nope', 'gone'] })
  })

  it('drops ids of configured targets that are not eligible now, when told which ids exist', () => {
    const allTargetIds = new Set(['a', 'b', 'c', 'cooling'])
    expect(ids(orderTargets(() => ['cooling', 'b'], targets, { ...context, allTargetIds }))).toEqual(['b'])
    expect(() => orderTargets(() => ['typo'], targets, { ...context, allTargetIds })).toThrow(
      RoutingFunctionError,
    )
  })

  it('caps the ids it lists', () => {
    const many = Array.from({ length: 15 }, (_, i) => `x${i}`)
    try {
      orderTargets(() => many, targets, context)
      expect.unreachable()
    } catch (error) {
      expect((error as RoutingFunctionError).unknownIds).toHaveLength(10)
      expect((error as Error).message).toContain('…')
    }
  })

  it('rejects output that is not an array, a Promise, and invalid entries', () => {
    expect(() => orderTargets(() => 'a' as never, targets, context)).toThrow(/returned string/)
    expect(() => orderTargets(() => null as never, targets, context)).toThrow(/returned null/)
    expect(() => orderTargets((() => Promise.resolve(['a'])) as never, targets, context)).toThrow(
      /synchronously/,
    )
    expect(() => orderTargets(() => [42] as never, targets, context)).toThrow(
      /invalid entry at index 0 \(number\)/,
    )
    expect(() => orderTargets(() => [null] as never, targets, context)).toThrow(/index 0 \(null\)/)
    expect(() => orderTargets(() => [{ name: 'a' }] as never, targets, context)).toThrow(RoutingFunctionError)
  })

  it('wraps what the function throws, keeping it as the cause', () => {
    const boom = new Error('boom')
    try {
      orderTargets(
        () => {
          throw boom
        },
        targets,
        context,
      )
      expect.unreachable()
    } catch (error) {
      expect(QlError.isInstance(error)).toBe(true)
      expect((error as Error).message).toContain('threw: boom')
      expect((error as Error).cause).toBe(boom)
    }
    expect(() =>
      orderTargets(
        () => {
          throw 'text'
        },
        targets,
        context,
      ),
    ).toThrow(/threw: text/)
  })

  it('allows an empty answer: no target for this call', () => {
    expect(orderTargets(() => [], targets, context)).toEqual([])
  })
})

describe('least-latency ordering of stale latencies', () => {
  it('puts unmeasured targets first, then stale ones by their last latency, then fresh ones', () => {
    const targets = [
      view('fresh-fast', { latencyMs: 50 }),
      view('stale-slow', { latencyMs: 900, latencyStale: true }),
      view('unmeasured', { inFlight: 2 }),
      view('stale-fast', { latencyMs: 80, latencyStale: true, inFlight: 5 }),
      view('fresh-slow', { latencyMs: 400, latencyStale: false }),
    ]
    expect(orderTargets('least-latency', targets, context).map((target) => target.id)).toEqual([
      'unmeasured',
      'stale-fast',
      'stale-slow',
      'fresh-fast',
      'fresh-slow',
    ])
  })

  it('keeps priority tiers over staleness', () => {
    const targets = [
      view('backup', { priority: 1, latencyMs: 9, latencyStale: true }),
      view('main', { latencyMs: 99 }),
    ]
    expect(orderTargets('least-latency', targets, context).map((target) => target.id)).toEqual([
      'main',
      'backup',
    ])
  })
})
