// A fake OpenAI-compatible provider in a process of its own (forked by run.ts), so the gateway
// process pays only the client side of each model call, as it would against a remote provider.
// Its script never runs out: it is topped up with the same answer, and its request log trimmed.
import { startFakeProvider } from '@ql/router/testing'
import { OFFLINE_ANSWERS } from '../../examples/graphql-gateway/src/offline-answers'

const fake = await startFakeProvider({ protocol: 'openai' })
const topUp = () => {
  if (fake.pending < 20_000) fake.enqueue(...Array.from({ length: 20_000 }, () => OFFLINE_ANSWERS.chat))
  fake.requests.splice(0)
}
topUp()
setInterval(topUp, 100)
process.send?.({ type: 'ready', baseURL: fake.baseURL, pid: process.pid })
process.on('message', async (message: { type: string }) => {
  if (message.type === 'stop') {
    await fake.close()
    process.exit(0)
  }
})
