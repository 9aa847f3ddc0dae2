import { type ImagePart, InvalidRequestError } from '@ql/provider'

/**
 * The URL OpenAI takes for an image part: an `https:` or `data:` URL as it is, base64 text or
 * bytes as a `data:` URL of the part's media type.
 *
 * @throws InvalidRequestError when base64 or bytes come without a `mediaType`.
 */
export function toOpenAIImageUrl(part: ImagePart, path: string): string {
  const { image, mediaType } = part
  if (typeof image === 'string' && /^(https?|data):/i.test(image)) return image
  if (mediaType === undefined) {
    throw new InvalidRequestError({
      message: `${path}: an image given as base64 or bytes needs a mediaType (for example 'image/png')`,
      issues: [{ path: `${path}.mediaType`, message: 'required for base64 and byte images' }],
    })
  }
  const base64 = typeof image === 'string' ? image : Buffer.from(image).toString('base64')
  return `data:${mediaType};base64,${base64}`
}
