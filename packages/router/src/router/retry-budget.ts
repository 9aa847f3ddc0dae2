/**
 * A retry budget in the spirit of Envoy's retry budgets and the SRE book's client-side
 * throttling, as a token bucket: every call deposits `ratio` of a token, every extra upstream
 * attempt (a retry, or a failover after a failure) withdraws a whole one, and the balance never
 * exceeds `reserve`. Over any burst of N calls, extra attempts are at most `ratio × N + reserve`:
 * under a total outage a router makes at most `1 + ratio` attempts per call on average, plus the
 * reserve, however many retries each call would like.
 */
export class RetryBudget {
  readonly #ratio: number
  readonly #reserve: number
  #balance: number

  constructor(options: { ratio?: number | undefined; reserve?: number | undefined } = {}) {
    this.#ratio = options.ratio ?? 0.1
    this.#reserve = options.reserve ?? 10
    this.#balance = this.#reserve
  }

  /** A call starts: it earns `ratio` of a retry. */
  deposit(): void {
    this.#balance = Math.min(this.#reserve, this.#balance + this.#ratio)
  }

  /** Takes one retry if the budget has it. */
  tryWithdraw(): boolean {
    if (this.#balance < 1) return false
    this.#balance -= 1
    return true
  }

  /** Whole retries the budget can pay for now. */
  get available(): number {
    return Math.floor(this.#balance + 1e-9)
  }
}
