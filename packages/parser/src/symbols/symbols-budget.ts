import { BudgetExceededError, type BudgetedOperation } from '../errors/budget-exceeded-error'
import { InvalidArgumentError } from '../errors/invalid-argument-error'

/**
 * The default time budget of one `symbols()` call, in milliseconds: the same as a parse's default
 * time limit. Symbols of a 9 MB file take about 0.6 s on an idle machine; only hostile or
 * pathological input (a huge ERROR node of brackets, definitions nested thousands deep) comes
 * near it.
 */
export const DEFAULT_SYMBOLS_BUDGET_MS = 5_000

/**
 * A deadline for one operation on a tree, checked from the query cursor's progress callback and
 * from the loops that turn matches into symbols.
 */
export class SymbolsBudget {
  readonly #deadline: number
  readonly #budgetMs: number
  readonly #operation: BudgetedOperation
  readonly #what: string
  #exceeded = false
  #calls = 0

  /**
   * @param budgetMs the budget in ms; `Infinity` turns it off.
   * @param what names the input in the error message (language and size).
   * @throws {InvalidArgumentError} when `budgetMs` is not a positive number.
   */
  constructor(budgetMs: number, operation: BudgetedOperation, what: string) {
    if (!(budgetMs > 0)) {
      throw new InvalidArgumentError({
        message: `${operation}: budgetMs must be a positive number of milliseconds or Infinity, got ${String(budgetMs)}.`,
      })
    }
    this.#budgetMs = budgetMs
    this.#deadline = performance.now() + budgetMs
    this.#operation = operation
    this.#what = what
  }

  /** False when the budget is off (`Infinity`): no progress callback is needed. */
  get bounded(): boolean {
    return Number.isFinite(this.#budgetMs)
  }

  /**
   * For the query cursor's `progressCallback`: true (cancel the query) once past the deadline.
   * The cursor calls it every hundred or so steps.
   */
  readonly cancelQuery = (): boolean => {
    if (performance.now() <= this.#deadline) return false
    this.#exceeded = true
    return true
  }

  /** Throws when a query was cancelled by {@link SymbolsBudget.cancelQuery}. */
  afterQuery(): void {
    if (this.#exceeded) throw this.#error()
  }

  /** Cheap enough to call per item of a loop: reads the clock every 64th call. */
  check(): void {
    if ((++this.#calls & 63) !== 0) return
    if (performance.now() > this.#deadline) throw this.#error()
  }

  #error(): BudgetExceededError {
    return new BudgetExceededError({
      operation: this.#operation,
      budgetMs: this.#budgetMs,
      message: `${this.#operation} ran past its budget of ${this.#budgetMs} ms on ${this.#what} and was stopped. The input is pathological (deep nesting, a huge run of brackets or errors, one enormous line); raise the budget (budgetMs) only for input you trust.`,
    })
  }
}
