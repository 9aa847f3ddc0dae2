import { InvalidToolInputError } from './errors/invalid-tool-input-error'

/**
 * Parses the JSON arguments of a tool call. An empty string is an empty object (providers send
 * it for tools without parameters).
 *
 * @throws InvalidToolInputError when the text is not valid JSON.
 */
export function parseToolInput(rawInput: string, toolName: string, provider?: string): unknown {
  if (rawInput.trim() === '') return {}
  try {
    return JSON.parse(rawInput)
  } catch (cause) {
    throw new InvalidToolInputError({
      message: `the model called tool '${toolName}' with arguments that are not valid JSON: ${(cause as Error).message}`,
      toolName,
      rawInput,
      cause,
      ...(provider === undefined ? {} : { provider }),
    })
  }
}
