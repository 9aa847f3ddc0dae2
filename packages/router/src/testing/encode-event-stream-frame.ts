/**
 * One AWS event-stream frame (`application/vnd.amazon.eventstream`), as Bedrock's ConverseStream
 * sends it, with string headers only (all the fake needs):
 *
 * ```
 * total length u32 | headers length u32 | prelude CRC32 u32 | headers | payload | message CRC32 u32
 * header: name length u8 | name | type u8 (7 = string) | value length u16 | value
 * ```
 *
 * Written here rather than taken from `@smithy/eventstream-codec`, so `@ql/router/testing` adds no
 * dependency for users who never start a Bedrock fake. `test/encode-event-stream-frame.test.ts`
 * checks it byte for byte against the Smithy codec the AWS SDK decodes with.
 */
export function encodeEventStreamFrame(headers: Record<string, string>, payload: Uint8Array): Uint8Array {
  const encoder = new TextEncoder()
  const encodedHeaders: Uint8Array[] = []
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = encoder.encode(name)
    const valueBytes = encoder.encode(value)
    const header = new Uint8Array(1 + nameBytes.length + 1 + 2 + valueBytes.length)
    const view = new DataView(header.buffer)
    header[0] = nameBytes.length
    header.set(nameBytes, 1)
    header[1 + nameBytes.length] = STRING_HEADER_TYPE
    view.setUint16(2 + nameBytes.length, valueBytes.length)
    header.set(valueBytes, 4 + nameBytes.length)
    encodedHeaders.push(header)
  }
  const headersLength = encodedHeaders.reduce((sum, header) => sum + header.length, 0)
  const totalLength = PRELUDE_LENGTH + headersLength + payload.length + CRC_LENGTH
  const frame = new Uint8Array(totalLength)
  const view = new DataView(frame.buffer)
  view.setUint32(0, totalLength)
  view.setUint32(4, headersLength)
  view.setUint32(8, crc32(frame.subarray(0, 8)))
  let offset = PRELUDE_LENGTH
  for (const header of encodedHeaders) {
    frame.set(header, offset)
    offset += header.length
  }
  frame.set(payload, offset)
  view.setUint32(totalLength - CRC_LENGTH, crc32(frame.subarray(0, totalLength - CRC_LENGTH)))
  return frame
}

const STRING_HEADER_TYPE = 7
const CRC_LENGTH = 4
const PRELUDE_LENGTH = 12

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** CRC-32 (IEEE 802.3, as zlib computes it), which event-stream frames use for both checksums. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
