import { type ChatModelMiddleware, relayChatStream, wrapChatModel } from '@ql/provider'
import type { ConformanceTarget } from './run-conformance'

/**
 * A middleware that touches every hook and changes nothing: the request goes through an async
 * `transformRequest`, `generate` through `wrapGenerate`, and every stream event through a relay
 * that maps each event to itself (so the response is rebuilt from the relayed events).
 */
export const passThroughMiddleware: ChatModelMiddleware = {
  transformRequest: async ({ request }) => request,
  wrapGenerate: ({ doGenerate }) => doGenerate(),
  wrapStream: ({ doStream }) => relayChatStream(doStream(), { map: (event) => event }),
}

/** The same conformance target, behind {@link passThroughMiddleware}: it must pass unchanged. */
export function passThrough(target: ConformanceTarget): ConformanceTarget {
  return {
    ...target,
    title: `${target.name} behind a pass-through wrapChatModel`,
    createModel: (fake, settings) => wrapChatModel(target.createModel(fake, settings), passThroughMiddleware),
  }
}
