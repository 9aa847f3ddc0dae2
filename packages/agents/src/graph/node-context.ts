/**
 * What a node gets besides the state.
 *
 * @typeParam Input - what a {@link Send} passes to the node (`undefined` for nodes reached by edges).
 */
export interface NodeContext<Input = unknown> {
  /** The node's name. */
  readonly node: string
  /** The step the node runs in (0 is the first step of the thread). */
  readonly step: number
  /** The thread the run belongs to. */
  readonly threadId: string
  /** The input of the {@link Send} that scheduled this task; `undefined` when an edge did. */
  readonly input: Input
  /**
   * Aborts when the run is cancelled, its deadline passes, the node's timeout passes, or a sibling
   * in the same step failed. Pass it to every model call, tool and wait.
   */
  readonly signal: AbortSignal
  /** Which attempt this is (1 for the first; more when the node's retry policy retries it). */
  readonly attempt: number
  /**
   * Pauses the run for a human (or any outside decision): the first call ends the run with
   * status `interrupted` and `payload`; when the thread is resumed with a value, the node runs
   * again from its start and this call returns that value. The same as the free function
   * {@link interrupt}.
   */
  interrupt<Resume = unknown>(payload: unknown): Resume
  /** Waits `ms` milliseconds, or rejects at once when the run is cancelled (no timer left behind). */
  sleep(ms: number): Promise<void>
  /** Emits a custom event on the run's event stream (`{ type: 'custom', node, data }`). */
  emit(data: unknown): void
  /**
   * Runs `work` once per task and remembers its (JSON) result under `key`: when the node runs again
   * after an interrupt is answered (or a retry), the call returns the remembered result instead of
   * doing the work again. Wrap model calls and side effects that come before an `interrupt()` in it.
   */
  memo<Value>(key: string, work: () => Value | Promise<Value>): Promise<Value>
}
