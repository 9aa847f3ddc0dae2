import type { FakeFault } from '../../src/testing/index'

/**
 * What differs between protocols in the conformance suite: how the outgoing wire body must look
 * for a scenario, and how a provider spells a fault that has no protocol-neutral form.
 *
 * Each assertion receives the parsed JSON body the fake recorded and checks it with `expect`.
 */
export interface WireExpectations {
  /** The second turn of the tool round trip: system, user, the assistant's tool call, the tool result. */
  toolRoundTrip(body: unknown, options: { stream: boolean }): void
  /** A system prompt and a user / assistant / user conversation. */
  multiTurn(body: unknown, options: { stream: boolean }): void
  /** A request with `responseFormat: { type: 'json', schema, name: 'person' }` (only when supported). */
  structuredOutput(body: unknown): void
  /** A context-window fault as the provider sends it. */
  contextLengthFault: FakeFault
  /** An overloaded fault as the provider sends it (Anthropic 529 `overloaded_error`). */
  overloadedFault: FakeFault
  /** The typed error code an overloaded fault maps to. */
  overloadedCode: 'overloaded' | 'unavailable' | 'rate_limited'
  /** An in-stream error event, and the typed error code it maps to (streaming). */
  inStreamError: { fault: FakeFault; code: string }
  /**
   * How many frames of the standard answer (`text: 'Hello world'`, default chunking) the fake may
   * send before the stream lacks only its terminal event(s); a truncation there must still fail.
   */
  framesBeforeTerminal: number
  /**
   * A frame count after which the standard streamed answer has sent at least one text delta, for
   * the faults scripted mid-stream (stall, abort, reset). Default: 2 for stalls, 3 for resets.
   */
  midStreamFrames?: number
}
