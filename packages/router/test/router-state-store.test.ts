import { describe, expect, it } from 'vitest'
import { createMemoryRouterState } from '../src/router/state/create-memory-router-state'
import { InvalidRouterConfigError } from '../src/router/state/invalid-router-config-error'
import { describeRouterStateStore } from './router-state-store-spec'

describeRouterStateStore('memory', ({ now }) => createMemoryRouterState({ now }))

describe('createMemoryRouterState', () => {
  it('answers synchronously (no promise on the hot path)', () => {
    const store = createMemoryRouterState()
    expect(store.kind).toBe('memory')
    expect(Array.isArray(store.readTargets(['a']))).toBe(true)
    expect(store.extendCooldown('a', Date.now() + 60_000)).toBeTypeOf('number')
    expect(store.reserveCapacity).toBeUndefined()
  })

  it('uses the latency weight it is given, and rejects a bad one', () => {
    const store = createMemoryRouterState({ latencyAlpha: 1 })
    store.recordLatency('a', 'total', 100)
    expect(store.recordLatency('a', 'total', 300)).toBe(300)
    expect(() => createMemoryRouterState({ latencyAlpha: 0 })).toThrow(InvalidRouterConfigError)
  })
})
