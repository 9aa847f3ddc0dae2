// The clients the bench compares, one call each: for OpenAI (Chat Completions), Anthropic
// (Messages) and Bedrock (Converse/ConverseStream), the raw official SDK, ours (@ql/router) and
// the Vercel AI SDK 6, each as `generate` (one non-streaming call) and `stream` (a streaming call
// whose events are all iterated). Every call returns the answer's text, so the bench can check
// that each call got the whole answer; every client sends the same request (a system prompt, one
// user message, a token limit) with its retries off.

import { Agent } from 'node:http'
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock'
import { createAnthropic as createAiSdkAnthropic } from '@ai-sdk/anthropic'
import { createOpenAI as createAiSdkOpenAI } from '@ai-sdk/openai'
import Anthropic from '@anthropic-ai/sdk'
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime'
import type { ChatModel, ChatRequest } from '@ql/provider'
import { createRouter } from '@ql/router'
import { createAnthropic } from '@ql/router/anthropic'
import { createBedrock } from '@ql/router/bedrock'
import { createOpenAI } from '@ql/router/openai'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { generateText, type LanguageModel, streamText } from 'ai'
import OpenAI from 'openai'

export type Provider = 'openai' | 'anthropic' | 'bedrock'
export type Mode = 'generate' | 'stream'
export type ClientName = 'raw' | 'ours' | 'router-1' | 'router-3' | 'ai-sdk'

export const PROVIDERS: readonly Provider[] = ['openai', 'anthropic', 'bedrock']
export const MODES: readonly Mode[] = ['generate', 'stream']
export const CLIENTS: readonly ClientName[] = ['raw', 'ours', 'router-1', 'router-3', 'ai-sdk']

export const CLIENT_LABELS: Record<ClientName, string> = {
  raw: 'raw SDK',
  ours: '@ql/router adapter',
  'router-1': 'createRouter, 1 target',
  'router-3': 'createRouter, 3 targets',
  'ai-sdk': 'AI SDK 6',
}

/** One thing to measure: a provider, a mode and a client, and one call of it. */
export interface Variant {
  provider: Provider
  mode: Mode
  client: ClientName
  /** Makes one call and resolves with the answer's text (streamed: the text deltas joined). */
  call(): Promise<string>
}

const SYSTEM = 'You are a concise assistant. Answer in one or two sentences.'
const PROMPT = 'Name the three smallest prime numbers.'
const MAX_TOKENS = 256
const API_KEY = 'sk-bench-0000000000000000000000000000000000000000'
const OPENAI_MODEL = 'gpt-4o-mini'
const ANTHROPIC_MODEL = 'claude-sonnet-4-6'
const BEDROCK_MODEL = 'anthropic.claude-sonnet-4-6-v1:0'
const REGION = 'us-east-1'
const AWS_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
}

/** Our request, the same for the three providers. */
const REQUEST: ChatRequest = {
  system: SYSTEM,
  messages: [{ role: 'user', content: PROMPT }],
  maxTokens: MAX_TOKENS,
}

/**
 * The HTTP/1.1 handler every Bedrock client of the bench gets (the AWS SDK's default speaks
 * HTTP/2; the AI SDK's Bedrock provider uses `fetch`, which speaks HTTP/1.1): keep-alive, and
 * enough sockets for the concurrency, as `fetch` has.
 */
const bedrockHandler = () =>
  new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 1024 }) })

/** The 30 variants against the bench server at `origin` (`http://127.0.0.1:port`). */
export function createVariants(origin: string): Variant[] {
  return [...openaiVariants(origin), ...anthropicVariants(origin), ...bedrockVariants(origin)]
}

function modelVariants(provider: Provider, client: ClientName, model: ChatModel): Variant[] {
  return [
    {
      provider,
      mode: 'generate',
      client,
      call: async () => (await model.generate(REQUEST)).text,
    },
    {
      provider,
      mode: 'stream',
      client,
      call: async () => {
        let text = ''
        for await (const event of model.stream(REQUEST)) if (event.type === 'text-delta') text += event.delta
        return text
      },
    },
  ]
}

/**
 * Our adapter alone, and `createRouter` over it: with one target, and with three targets (the
 * first answers; circuit breakers, the retry budget, cost and the no-op OpenTelemetry API on, as
 * by default). `makeModel` makes one adapter instance per target.
 */
function oursVariants(provider: Provider, makeModel: () => ChatModel): Variant[] {
  const one = createRouter({ targets: [{ id: 'only', model: makeModel() }] })
  const three = createRouter({
    targets: [
      { id: 'first', model: makeModel() },
      { id: 'second', model: makeModel() },
      { id: 'third', model: makeModel() },
    ],
  })
  return [
    ...modelVariants(provider, 'ours', makeModel()),
    ...modelVariants(provider, 'router-1', one),
    ...modelVariants(provider, 'router-3', three),
  ]
}

function aiSdkVariants(provider: Provider, model: LanguageModel): Variant[] {
  const settings = { model, system: SYSTEM, prompt: PROMPT, maxOutputTokens: MAX_TOKENS, maxRetries: 0 }
  return [
    {
      provider,
      mode: 'generate',
      client: 'ai-sdk',
      call: async () => (await generateText(settings)).text,
    },
    {
      provider,
      mode: 'stream',
      client: 'ai-sdk',
      call: async () => {
        let text = ''
        for await (const part of streamText(settings).fullStream) {
          if (part.type === 'text-delta') text += part.text
          else if (part.type === 'error') throw part.error
        }
        return text
      },
    },
  ]
}

function openaiVariants(origin: string): Variant[] {
  const baseURL = `${origin}/v1`
  const raw = new OpenAI({ apiKey: API_KEY, baseURL, maxRetries: 0 })
  const messages = [
    { role: 'system' as const, content: SYSTEM },
    { role: 'user' as const, content: PROMPT },
  ]
  return [
    {
      provider: 'openai',
      mode: 'generate',
      client: 'raw',
      call: async () => {
        const completion = await raw.chat.completions.create({
          model: OPENAI_MODEL,
          messages,
          max_completion_tokens: MAX_TOKENS,
        })
        return completion.choices[0]?.message.content ?? ''
      },
    },
    {
      provider: 'openai',
      mode: 'stream',
      client: 'raw',
      call: async () => {
        const chunks = await raw.chat.completions.create({
          model: OPENAI_MODEL,
          messages,
          max_completion_tokens: MAX_TOKENS,
          stream: true,
          stream_options: { include_usage: true },
        })
        let text = ''
        for await (const chunk of chunks) text += chunk.choices[0]?.delta.content ?? ''
        return text
      },
    },
    ...oursVariants('openai', () => createOpenAI({ apiKey: API_KEY, baseURL }).chat(OPENAI_MODEL)),
    ...aiSdkVariants('openai', createAiSdkOpenAI({ apiKey: API_KEY, baseURL }).chat(OPENAI_MODEL)),
  ]
}

function anthropicVariants(origin: string): Variant[] {
  const raw = new Anthropic({ apiKey: API_KEY, baseURL: origin, maxRetries: 0 })
  const body = {
    model: ANTHROPIC_MODEL,
    max_tokens: MAX_TOKENS,
    system: SYSTEM,
    messages: [{ role: 'user' as const, content: PROMPT }],
  }
  return [
    {
      provider: 'anthropic',
      mode: 'generate',
      client: 'raw',
      call: async () => {
        const message = await raw.messages.create(body)
        let text = ''
        for (const block of message.content) if (block.type === 'text') text += block.text
        return text
      },
    },
    {
      provider: 'anthropic',
      mode: 'stream',
      client: 'raw',
      call: async () => {
        const events = await raw.messages.create({ ...body, stream: true })
        let text = ''
        for await (const event of events) {
          if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
            text += event.delta.text
        }
        return text
      },
    },
    ...oursVariants('anthropic', () =>
      createAnthropic({ apiKey: API_KEY, baseURL: origin }).chat(ANTHROPIC_MODEL),
    ),
    ...aiSdkVariants(
      'anthropic',
      createAiSdkAnthropic({ apiKey: API_KEY, baseURL: `${origin}/v1` })(ANTHROPIC_MODEL),
    ),
  ]
}

function bedrockVariants(origin: string): Variant[] {
  const raw = new BedrockRuntimeClient({
    region: REGION,
    endpoint: origin,
    credentials: AWS_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: bedrockHandler(),
  })
  const input = {
    modelId: BEDROCK_MODEL,
    system: [{ text: SYSTEM }],
    messages: [{ role: 'user' as const, content: [{ text: PROMPT }] }],
    inferenceConfig: { maxTokens: MAX_TOKENS },
  }
  return [
    {
      provider: 'bedrock',
      mode: 'generate',
      client: 'raw',
      call: async () => {
        const output = await raw.send(new ConverseCommand(input))
        let text = ''
        for (const block of output.output?.message?.content ?? []) text += block.text ?? ''
        return text
      },
    },
    {
      provider: 'bedrock',
      mode: 'stream',
      client: 'raw',
      call: async () => {
        const output = await raw.send(new ConverseStreamCommand(input))
        let text = ''
        for await (const event of output.stream ?? []) text += event.contentBlockDelta?.delta?.text ?? ''
        return text
      },
    },
    ...oursVariants('bedrock', () =>
      createBedrock({
        region: REGION,
        baseURL: origin,
        credentials: AWS_CREDENTIALS,
        requestHandler: bedrockHandler(),
      }).chat(BEDROCK_MODEL),
    ),
    ...aiSdkVariants(
      'bedrock',
      createAmazonBedrock({ region: REGION, ...AWS_CREDENTIALS, baseURL: origin })(BEDROCK_MODEL),
    ),
  ]
}
