/** Totals for one key or one client. */
export interface UsageTotals {
  /** GraphQL operations that passed authentication and the rate limit. */
  requests: number
  /** Model calls made for them. */
  modelCalls: number
  inputTokens: number
  outputTokens: number
  /** US dollars, from the router's pricing table (0 when a model's price is unknown). */
  costUsd: number
}

/** A client's usage, in total and per key. */
export interface ClientUsage extends UsageTotals {
  clientId: string
  keys: (UsageTotals & { keyId: string })[]
}

const empty = (): UsageTotals => ({ requests: 0, modelCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 })

/**
 * Usage accounting per client and key, in memory, since the process started. A billing system
 * would ship these records to a database; the shape stays the same.
 */
export class UsageLedger {
  readonly #byKey = new Map<string, UsageTotals & { keyId: string; clientId: string }>()

  #entry(clientId: string, keyId: string) {
    let entry = this.#byKey.get(keyId)
    if (entry === undefined) {
      entry = { ...empty(), keyId, clientId }
      this.#byKey.set(keyId, entry)
    }
    return entry
  }

  /** Counts one operation. */
  countRequest(clientId: string, keyId: string): void {
    this.#entry(clientId, keyId).requests += 1
  }

  /** Adds model calls' tokens and cost. */
  addModelCalls(
    clientId: string,
    keyId: string,
    usage: { modelCalls: number; inputTokens: number; outputTokens: number; costUsd?: number | undefined },
  ): void {
    const entry = this.#entry(clientId, keyId)
    entry.modelCalls += usage.modelCalls
    entry.inputTokens += usage.inputTokens
    entry.outputTokens += usage.outputTokens
    entry.costUsd += usage.costUsd ?? 0
  }

  /** One client's usage. */
  usageOf(clientId: string): ClientUsage {
    const keys = [...this.#byKey.values()]
      .filter((entry) => entry.clientId === clientId)
      .map(({ clientId: _, ...entry }) => entry)
    const total = empty()
    for (const key of keys) {
      total.requests += key.requests
      total.modelCalls += key.modelCalls
      total.inputTokens += key.inputTokens
      total.outputTokens += key.outputTokens
      total.costUsd += key.costUsd
    }
    return { clientId, ...total, keys }
  }
}
