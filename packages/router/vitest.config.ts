import { defineQlProject } from '../../vitest.shared.ts'

/**
 * Each test file runs in a fresh module graph, so its first call through an SDK loads what the SDK
 * imports lazily (the AWS credential chain and HTTP/2 handler, the OpenAI and Anthropic stream
 * decoders), which can take seconds on a busy 2-core machine. The explicit 15 s keeps that from
 * depending on vitest's 5 s default; a test that really hangs still fails.
 */
export default defineQlProject('router', { testTimeout: 15_000, hookTimeout: 30_000 })
