/**
 * The key of `request.metadata` that names the end user, the same in every adapter:
 * `metadata.userId` → OpenAI `safety_identifier`, OpenAI-compatible `user`, Anthropic
 * `metadata.user_id`, Bedrock `requestMetadata.userId` (Bedrock has no end-user field; request
 * metadata is what its invocation logs can be filtered by). A number or boolean is sent as a string.
 */
export const END_USER_ID_KEY = 'userId'

/** The end user named by request metadata, as a string, or `undefined`. */
export function readEndUserId(
  metadata: Record<string, string | number | boolean> | undefined,
): string | undefined {
  const value = metadata?.[END_USER_ID_KEY]
  return value === undefined ? undefined : String(value)
}
