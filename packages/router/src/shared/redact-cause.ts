import { redactSecrets } from '@ql/provider'

/**
 * A stand-in for an SDK error to keep as a typed error's `cause`: its name, and its message with
 * the secrets removed. The SDK's own error object holds request state (and may echo a key in a
 * message or body), and a `cause` is printed by `inspect` and serialized by `toJSON`, so it must
 * not carry anything a secret could hide in.
 */
export function redactCause(error: unknown, secrets: readonly (string | undefined)[]): Error {
  const source = error instanceof Error ? error : new Error(String(error))
  const copy = new Error(redactSecrets(source.message, secrets))
  copy.name = source.name
  if (source.stack !== undefined) copy.stack = redactSecrets(source.stack, secrets)
  return copy
}
