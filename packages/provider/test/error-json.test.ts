import { describe, expect, it } from 'vitest'
import {
  AbortedError,
  AllTargetsFailedError,
  AuthenticationError,
  CircuitOpenError,
  ContentFilteredError,
  ContextLengthExceededError,
  InvalidRequestError,
  InvalidResponseError,
  InvalidToolInputError,
  isQlError,
  OverloadedError,
  QlError,
  type QlErrorDecoders,
  type QlErrorOptions,
  qlErrorFromJSON,
  RateLimitedError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  UnsupportedFeatureError,
} from '../src/index'

/** What another package (say @ql/k8s-runner) defines on top of the contract. */
class NodeFailedError extends QlError {
  readonly nodeId: string
  constructor(options: QlErrorOptions & { nodeId: string }) {
    super({ ...options, code: 'node_failed', retryable: options.retryable ?? true })
    this.name = 'NodeFailedError'
    this.nodeId = options.nodeId
  }
  protected override jsonDetails() {
    return { nodeId: this.nodeId }
  }
}

const decoders: QlErrorDecoders = {
  node_failed: (options, details) => new NodeFailedError({ ...options, nodeId: String(details.nodeId) }),
}

const throughJSON = (error: QlError, with_: QlErrorDecoders = {}) =>
  qlErrorFromJSON(JSON.parse(JSON.stringify(error)), with_)

const base = {
  status: 418,
  retryAfterMs: 1200,
  provider: 'openai',
  modelId: 'gpt-x',
  url: 'https://api.example.com/v1/chat',
  responseHeaders: { 'x-request-id': 'req_1' },
  responseBody: '{"error":{}}',
  cause: Object.assign(new Error('socket hang up'), { name: 'APIConnectionError' }),
}

/** One error of every class @ql/provider defines, each with every base field set. */
const everyClass: QlError[] = [
  new RateLimitedError({ message: 'r', ...base }),
  new OverloadedError({ message: 'o', ...base }),
  new UnavailableError({ message: 'u', ...base, retryable: false }),
  new InvalidResponseError({ message: 'ir', ...base }),
  new CircuitOpenError({ message: 'c', ...base }),
  new AuthenticationError({ message: 'a', ...base }),
  new ContextLengthExceededError({ message: 'cl', ...base }),
  new ContentFilteredError({ message: 'cf', ...base }),
  new UnsupportedFeatureError({ message: 'uf', ...base }),
  new UnknownError({ message: 'x', ...base }),
  new AbortedError({ message: 'ab', ...base }),
  new TimeoutError({ message: 't', ...base, timeoutMs: 50 }),
  new InvalidRequestError({ message: 'i', ...base, issues: [{ path: 'messages', message: 'empty' }] }),
  new InvalidToolInputError({ message: 'j', ...base, toolName: 'f', rawInput: '{bad' }),
  new InvalidToolInputError({
    message: 'k',
    ...base,
    toolName: 'search',
    rawInput: '{"q":1}',
    reason: 'schema_mismatch',
    toolCallId: 'call_1',
    issues: [{ path: 'q', message: 'expected a string' }],
  }),
  new AllTargetsFailedError({
    now: 1_000,
    attempts: [
      {
        targetId: 'east',
        provider: 'openai',
        modelId: 'a',
        at: 900,
        error: new RateLimitedError({ message: 'r', retryAfterMs: 500 }),
      },
      {
        targetId: 'west',
        provider: 'openai',
        modelId: 'a',
        at: 950,
        error: new OverloadedError({ message: 'o', retryAfterMs: 300, status: 529 }),
      },
    ],
  }),
]

describe('qlErrorFromJSON', () => {
  it.each(everyClass.map((error) => [error.name, error] as const))(
    '%s round-trips through JSON with its class, code and fields',
    (_name, original) => {
      const revived = throughJSON(original)
      expect(revived.constructor).toBe(original.constructor)
      expect(revived.name).toBe(original.name)
      expect(revived.code).toBe(original.code)
      expect(revived.retryable).toBe(original.retryable)
      expect(revived.toJSON()).toEqual(original.toJSON())
      expect((revived.cause as Error | undefined)?.name).toBe((original.cause as Error | undefined)?.name)
    },
  )

  it('keeps subclass fields and the attempts of an all-targets-failed error', () => {
    const all = everyClass.at(-1) as AllTargetsFailedError
    expect(all.retryAfterMs).toBe(250) // west is free at 950 + 300 = 1250, 250 ms after it was made
    const revived = throughJSON(all) as AllTargetsFailedError
    expect(revived.retryAfterMs).toBe(250)
    expect(revived.attempts.map((a) => [a.targetId, a.at, a.error.constructor])).toEqual([
      ['east', 900, RateLimitedError],
      ['west', 950, OverloadedError],
    ])
    expect((throughJSON(everyClass[11] as QlError) as TimeoutError).timeoutMs).toBe(50)
    expect((throughJSON(everyClass[12] as QlError) as InvalidRequestError).issues).toEqual([
      { path: 'messages', message: 'empty' },
    ])
  })

  it('rebuilds a code it does not know as a QlError that keeps every field and round-trips', () => {
    const fromNewerVersion = {
      name: 'QuotaSpentError',
      code: 'quota_spent',
      message: 'the monthly quota is spent',
      retryable: true,
      status: 402,
      retryAfterMs: 60_000,
      provider: 'openai',
      modelId: 'gpt-9',
      url: 'https://api.example.com/v1/chat',
      responseHeaders: { 'x-request-id': 'req_2' },
      responseBody: 'spent',
      cause: { name: 'APIError', message: 'spent' },
      details: { quota: 100, resetsAt: '2030-01-01T00:00:00Z', nested: { a: [1, 2] } },
      aFieldAddedLater: { anything: true },
    }
    const revived = qlErrorFromJSON(JSON.parse(JSON.stringify(fromNewerVersion)))
    expect(isQlError(revived)).toBe(true)
    expect(revived).toBeInstanceOf(QlError)
    expect(revived).toMatchObject({
      name: 'QuotaSpentError',
      code: 'quota_spent',
      message: 'the monthly quota is spent',
      retryable: true,
      status: 402,
      retryAfterMs: 60_000,
    })
    const { aFieldAddedLater: _dropped, ...known } = fromNewerVersion
    expect(revived.toJSON()).toEqual(known)
    expect(qlErrorFromJSON(JSON.parse(JSON.stringify(revived))).toJSON()).toEqual(known)
  })

  it('rebuilds another package’s subclass with its decoder, also inside attempts', () => {
    const original = new NodeFailedError({ message: 'pod exited 137', nodeId: 'plan', status: 500 })
    expect(throughJSON(original)).not.toBeInstanceOf(NodeFailedError)
    expect(throughJSON(original).toJSON()).toEqual(original.toJSON()) // without the decoder: nothing lost
    const revived = throughJSON(original, decoders)
    expect(revived).toBeInstanceOf(NodeFailedError)
    expect(revived.toJSON()).toEqual(original.toJSON())
    const all = new AllTargetsFailedError({
      attempts: [{ targetId: 'k8s', provider: 'k8s', modelId: 'm', at: 1, error: original }],
    })
    const revivedAll = throughJSON(all, decoders) as AllTargetsFailedError
    expect(revivedAll.attempts[0]?.error).toBeInstanceOf(NodeFailedError)
    expect((revivedAll.errors[0] as NodeFailedError).nodeId).toBe('plan')
  })

  it.each([
    [null, /the value must be an object, got null/],
    ['rate_limited', /the value must be an object, got "rate_limited"/],
    [{ message: 'x' }, /code must be a non-empty string, got undefined/],
    [{ code: 'timeout' }, /message must be a string/],
    [{ code: 'timeout', message: 'x', retryable: 'yes' }, /retryable must be a boolean, got "yes"/],
    [{ code: 'timeout', message: 'x', status: '429' }, /status must be a finite number/],
    [{ code: 'timeout', message: 'x', details: [] }, /details must be an object, got an array/],
    [{ code: 'timeout', message: 'x', cause: 'boom' }, /cause must be \{ name: string, message: string \}/],
    [
      {
        code: 'all_targets_failed',
        message: 'x',
        details: { attempts: [{ provider: 'p', modelId: 'm', error: {} }] },
      },
      /details\.attempts\[0\]\.targetId must be a string.*details\.attempts\[0\]\.error\.code/,
    ],
  ])('rejects malformed input %j with an InvalidRequestError that names the field', (input, message) => {
    let thrown: unknown
    try {
      qlErrorFromJSON(input)
    } catch (error) {
      thrown = error
    }
    expect(InvalidRequestError.isInstance(thrown)).toBe(true)
    expect((thrown as InvalidRequestError).message).toMatch(message)
    expect((thrown as InvalidRequestError).issues.length).toBeGreaterThan(0)
  })
})
