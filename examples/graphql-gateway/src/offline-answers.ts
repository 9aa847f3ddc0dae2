import type { FakeStep } from '@ql/router/testing'

/**
 * What the offline fakes answer. `write` is a first draft with a syntax error (a parenthesis
 * never closed) so that `runGraph` shows the parser's diagnostics and the repair; `repair` is
 * the fixed file.
 */
export const OFFLINE_ANSWERS = {
  chat: {
    text: "This answer comes from the gateway's offline fake provider. Set OPENAI_API_KEY, ANTHROPIC_API_KEY, AWS credentials or OPENAI_COMPATIBLE_BASE_URL to talk to a real model.",
    chunkSize: 24,
    usage: { inputTokens: 24, outputTokens: 36 },
  },
  write: {
    text: [
      'Here is the function:',
      '',
      '```ts',
      'export function slugify(title: string): string {',
      '  return title',
      '    .normalize("NFKD")',
      '    .toLowerCase()',
      '    .replace(/[^a-z0-9]+/g, "-"',
      '    .replace(/^-+|-+$/g, "")',
      '}',
      '```',
    ].join('\n'),
    chunkSize: 24,
    usage: { inputTokens: 40, outputTokens: 52 },
  },
  repair: {
    text: [
      'The first `replace` call was missing its closing parenthesis:',
      '',
      '```ts',
      'export function slugify(title: string): string {',
      '  return title',
      '    .normalize("NFKD")',
      '    .toLowerCase()',
      '    .replace(/[^a-z0-9]+/g, "-")',
      '    .replace(/^-+|-+$/g, "")',
      '}',
      '```',
    ].join('\n'),
    chunkSize: 24,
    usage: { inputTokens: 120, outputTokens: 60 },
  },
} satisfies Record<string, FakeStep>
