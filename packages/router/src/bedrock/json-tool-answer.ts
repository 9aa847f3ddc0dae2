import type { ChatResponseInput, ChatStreamPart } from '@ql/provider'

type Content = ChatResponseInput['content']

/**
 * In `structuredOutputMode: 'tool'` the answer arrives as a call of the forced tool: turns that
 * call back into the answer's JSON text, and its `tool_use` stop into `stop`.
 */
export function answerFromJsonTool(
  content: Content,
  finishReason: ChatResponseInput['finishReason'],
  jsonTool: string,
): { content: Content; finishReason: ChatResponseInput['finishReason'] } {
  let answered = false
  const converted: Content = content.map((part) => {
    if (part.type !== 'tool-call' || part.toolName !== jsonTool) return part
    answered = true
    return { type: 'text', text: JSON.stringify(part.input ?? {}) }
  })
  return {
    content: converted,
    finishReason: answered && finishReason === 'tool-calls' ? 'stop' : finishReason,
  }
}

/**
 * The streaming side of {@link answerFromJsonTool}: wraps `emit` so the forced tool's argument
 * fragments become text and its `tool_use` stop becomes `stop`.
 */
export function emitAnswerFromJsonTool(
  emit: (part: ChatStreamPart) => void,
  jsonTool: string,
): (part: ChatStreamPart) => void {
  const answerIds = new Set<string>()
  return (part) => {
    if (part.type === 'tool-call-delta' && (part.toolName === jsonTool || answerIds.has(part.toolCallId))) {
      answerIds.add(part.toolCallId)
      if (part.inputDelta !== '') emit({ type: 'text-delta', delta: part.inputDelta })
    } else if (part.type === 'tool-call-end' && answerIds.has(part.toolCallId)) {
      // the answer is text now: nothing to close
    } else if (part.type === 'finish' && answerIds.size > 0 && part.finishReason === 'tool-calls') {
      emit({ ...part, finishReason: 'stop' })
    } else {
      emit(part)
    }
  }
}
