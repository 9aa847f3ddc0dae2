/** The gateway's GraphQL schema (SDL). Every operation needs an API key. */
export const typeDefs = /* GraphQL */ `
  type Query {
    "Syntax diagnostics of one file: the gate for generated code."
    validate(code: String!, language: String, filename: String): Validation!
    "Diagnostics, definitions, references and imports of one file."
    parse(code: String!, language: String, filename: String): ParsedFile!
    "A ranked map of the definitions in the files sent, cut to a token budget."
    repoMap(files: [SourceFileInput!]!, maxTokens: Int = 1024, focus: [String!]): RepoMap!
    "The languages the parser knows."
    languages: [Language!]!
    "The calling client's usage since the gateway started, in total and per key."
    usage: Usage!
  }

  type Mutation {
    "One model call through the router, answered when it is complete."
    generate(input: GenerateInput!): Generation!
    "Runs the write-validate-repair graph to the end."
    runGraph(input: RunGraphInput!): GraphRun!
    "Rotation: a new key for the calling client, shown once. Its other keys keep working."
    createApiKey(expiresInSeconds: Int): NewApiKey!
    "Rotation: revokes one of the calling client's keys (after its users moved to a new one)."
    revokeApiKey(keyId: ID!): Boolean!
  }

  type Subscription {
    "One model call, streamed: token deltas, then the finished generation."
    generate(input: GenerateInput!): GenerateEvent!
    "The write-validate-repair graph, streamed: node starts and ends, tokens, validations, the result."
    runGraph(input: RunGraphInput!): GraphEvent!
  }

  input GenerateInput {
    prompt: String!
    system: String
    "Output tokens, 1 to 8192 (default 1024)."
    maxTokens: Int
    temperature: Float
  }

  type Generation {
    text: String!
    finishReason: String!
    provider: String!
    model: String!
    usage: TokenUsage!
  }

  type TokenUsage {
    inputTokens: Int!
    outputTokens: Int!
    "US dollars; 0 when the model's price is unknown."
    costUsd: Float!
  }

  union GenerateEvent = TokenDelta | GenerationDone

  type TokenDelta {
    delta: String!
  }

  type GenerationDone {
    generation: Generation!
  }

  input RunGraphInput {
    task: String!
    language: String = "typescript"
    "Write and repair attempts, 1 to 5."
    maxAttempts: Int = 3
  }

  type GraphRun {
    threadId: ID!
    status: String!
    language: String!
    code: String!
    valid: Boolean!
    attempts: Int!
    diagnostics: [Diagnostic!]!
    modelCalls: Int!
    usage: TokenUsage!
  }

  union GraphEvent = NodeStarted | NodeFinished | GraphToken | CodeValidated | GraphDone

  type NodeStarted {
    node: String!
    step: Int!
  }

  type NodeFinished {
    node: String!
    step: Int!
    durationMs: Float!
  }

  type GraphToken {
    node: String!
    delta: String!
  }

  type CodeValidated {
    valid: Boolean!
    problems: Int!
  }

  type GraphDone {
    run: GraphRun!
  }

  type Diagnostic {
    line: Int!
    column: Int!
    endLine: Int!
    endColumn: Int!
    message: String!
    sourceLine: String!
  }

  type Validation {
    language: String!
    valid: Boolean!
    diagnostics: [Diagnostic!]!
  }

  type ParsedFile {
    language: String!
    valid: Boolean!
    diagnostics: [Diagnostic!]!
    definitions: [Definition!]!
    references: [Reference!]!
    imports: [Import!]!
  }

  type Definition {
    name: String!
    kind: String!
    line: Int!
    signature: String!
    enclosing: String
  }

  type Reference {
    name: String!
    kind: String!
    line: Int!
  }

  type Import {
    source: String!
    names: [String!]!
    line: Int!
  }

  input SourceFileInput {
    path: String!
    content: String!
  }

  type RepoMap {
    text: String!
    tokens: Int!
    files: [RankedFile!]!
    skipped: [SkippedFile!]!
  }

  type RankedFile {
    path: String!
    rank: Float!
  }

  type SkippedFile {
    path: String!
    reason: String!
  }

  type Language {
    id: String!
    displayName: String!
    extensions: [String!]!
  }

  type Usage {
    clientId: ID!
    requests: Int!
    modelCalls: Int!
    inputTokens: Int!
    outputTokens: Int!
    costUsd: Float!
    keys: [KeyUsage!]!
  }

  type KeyUsage {
    keyId: ID!
    requests: Int!
    modelCalls: Int!
    inputTokens: Int!
    outputTokens: Int!
    costUsd: Float!
  }

  type NewApiKey {
    "The key itself: shown this once, stored only as a hash."
    key: String!
    keyId: ID!
    expiresAt: String
  }
`
