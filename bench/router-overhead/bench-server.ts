// The bench's own loopback server, run in a child process (forked by run.ts) so its CPU is not
// counted as the clients' and it does not share their event loop. Plain `node:http` (HTTP/1.1,
// keep-alive) on 127.0.0.1, answering every protocol with the fixed bodies of wire-bodies.ts:
//
//   POST /v1/chat/completions              OpenAI (stream or not, from the body's "stream":true)
//   POST /v1/messages                      Anthropic (likewise)
//   POST /model/{id}/converse              Bedrock Converse
//   POST /model/{id}/converse-stream       Bedrock ConverseStream (AWS event-stream frames)
//
// It tells its parent its port (`{ port }`), answers `count` with `{ requests }` (how many
// requests it answered, so the bench can check that one call is one request), and exits when
// the parent goes away.

import { createServer, type ServerResponse } from 'node:http'
import {
  anthropicGenerate,
  anthropicStream,
  bedrockGenerate,
  bedrockStream,
  openaiGenerate,
  openaiStream,
  type WireAnswer,
} from './wire-bodies'

const STREAM_FLAG = '"stream":true'
let requests = 0

/**
 * Writes an answer: a non-streaming body with its length, a stream as chunked frames written one
 * by one (each its own `write`, as a provider sends them), so the client sees several network
 * chunks per stream.
 */
function send(res: ServerResponse, answer: WireAnswer, streaming: boolean): void {
  if (!streaming) {
    const body = answer.frames[0] as Buffer
    res.writeHead(200, { ...answer.headers, 'content-length': body.length })
    res.end(body)
    return
  }
  res.writeHead(200, answer.headers)
  for (const frame of answer.frames) res.write(frame)
  res.end()
}

const server = createServer({ keepAliveTimeout: 120_000, noDelay: true }, (req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    requests++
    const url = req.url ?? ''
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
    if (req.method === 'POST' && url === '/v1/chat/completions') {
      const streaming = body.includes(STREAM_FLAG)
      send(res, streaming ? openaiStream : openaiGenerate, streaming)
    } else if (req.method === 'POST' && url === '/v1/messages') {
      const streaming = body.includes(STREAM_FLAG)
      send(res, streaming ? anthropicStream : anthropicGenerate, streaming)
    } else if (req.method === 'POST' && url.startsWith('/model/') && url.endsWith('/converse-stream')) {
      send(res, bedrockStream, true)
    } else if (req.method === 'POST' && url.startsWith('/model/') && url.endsWith('/converse')) {
      send(res, bedrockGenerate, false)
    } else {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { message: `bench server: no route for ${req.method} ${url}` } }))
    }
  })
})
server.headersTimeout = 130_000
server.requestTimeout = 0

server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('bench server: no TCP address')
  process.send?.({ port: address.port })
})

process.on('message', (message: unknown) => {
  if (message === 'count') process.send?.({ requests })
})
process.on('disconnect', () => process.exit(0))
