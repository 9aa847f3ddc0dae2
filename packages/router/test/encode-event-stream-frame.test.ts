import { EventStreamCodec } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'
import { describe, expect, it } from 'vitest'
import { encodeEventStreamFrame } from '../src/testing/encode-event-stream-frame'

// the codec the AWS SDK decodes ConverseStream with
const smithy = new EventStreamCodec(toUtf8, fromUtf8)

function smithyEncode(headers: Record<string, string>, body: string): Uint8Array {
  return smithy.encode({
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, { type: 'string' as const, value }]),
    ),
    body: fromUtf8(body),
  })
}

describe('encodeEventStreamFrame', () => {
  const cases: [string, Record<string, string>, string][] = [
    [
      'an event',
      { ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' },
      JSON.stringify({ contentBlockIndex: 0, delta: { text: 'Hello' } }),
    ],
    [
      'an exception',
      {
        ':message-type': 'exception',
        ':exception-type': 'throttlingException',
        ':content-type': 'application/json',
      },
      JSON.stringify({ message: 'slow down' }),
    ],
    ['non-ASCII text and an empty body', { ':event-type': 'größe ✓' }, ''],
    ['no headers', {}, 'x'.repeat(70_000)],
  ]

  it.each(cases)('encodes %s byte for byte as @smithy/eventstream-codec does', (_, headers, body) => {
    const ours = encodeEventStreamFrame(headers, fromUtf8(body))
    expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(smithyEncode(headers, body)).toString('hex'))
    const decoded = smithy.decode(ours)
    expect(toUtf8(decoded.body)).toBe(body)
    expect(Object.fromEntries(Object.entries(decoded.headers).map(([k, v]) => [k, v.value]))).toEqual(headers)
  })

  it('makes a frame the Smithy decoder rejects when a payload byte is flipped', () => {
    const frame = encodeEventStreamFrame({ ':event-type': 'x' }, fromUtf8('{"a":1}'))
    const last = frame.length - 6
    frame[last] = (frame[last] ?? 0) ^ 0xff
    expect(() => smithy.decode(frame)).toThrow(/checksum/i)
  })
})
