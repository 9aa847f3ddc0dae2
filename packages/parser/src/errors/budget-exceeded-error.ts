import type { ParserErrorOptions } from './parser-error'
import { isParserError, ParserError } from './parser-error'

/** The operations that run under a budget once a tree exists. */
export type BudgetedOperation = 'symbols' | 'chunks' | 'diagnostics' | 'repo-map'

/**
 * An operation on a parsed tree (`symbols()`, `chunks()`, diagnostics, `buildRepoMap`) ran past
 * its time budget and was stopped; nothing partial was returned. Code `budget_exceeded`. The
 * input is hostile or pathological (deep nesting, one enormous line); raise the budget only if
 * you trust it.
 */
export class BudgetExceededError extends ParserError {
  /** True when `error` is a `BudgetExceededError`, from any copy of this package. Safe to pass unbound. */
  static override isInstance(error: unknown): error is BudgetExceededError {
    return isParserError(error, 'budget_exceeded')
  }
  /** What ran out of budget. */
  readonly operation: BudgetedOperation
  /** The budget that ran out, in milliseconds. */
  readonly budgetMs: number

  constructor(options: ParserErrorOptions & { operation: BudgetedOperation; budgetMs: number }) {
    super({ ...options, code: 'budget_exceeded' })
    this.name = 'BudgetExceededError'
    this.operation = options.operation
    this.budgetMs = options.budgetMs
  }

  protected override jsonDetails() {
    return { operation: this.operation, budgetMs: this.budgetMs }
  }
}
