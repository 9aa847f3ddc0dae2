/**
 * The credential values this provider has used lately (API keys, secret keys, session tokens),
 * to redact from errors. A few are kept, so a key that was just rotated out is still hidden.
 */
export class RecentSecrets {
  readonly #values: string[] = []

  add(...values: (string | undefined)[]): void {
    for (const value of values) {
      if (value === undefined || value === '' || this.#values.includes(value)) continue
      this.#values.push(value)
      if (this.#values.length > 8) this.#values.shift()
    }
  }

  list(): string[] {
    return [
      ...this.#values,
      ...(process.env.AWS_BEARER_TOKEN_BEDROCK ? [process.env.AWS_BEARER_TOKEN_BEDROCK] : []),
    ]
  }
}
