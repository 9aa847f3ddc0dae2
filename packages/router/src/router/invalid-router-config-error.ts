import { isQlError, QlError, type ValidationIssue } from '@ql/provider'

/**
 * `createRouter` was given a configuration it cannot run: `issues` names each wrong field
 * (`targets[1].weight`, `retry.maxAttempts`) and says what was expected. Thrown at once, before
 * any call. Code `invalid_router_config`; never retried: fix the configuration.
 */
export class InvalidRouterConfigError extends QlError {
  /** True when `error` is an `InvalidRouterConfigError`, from any copy of this package. */
  static override isInstance(error: unknown): error is InvalidRouterConfigError {
    return isQlError(error, 'invalid_router_config')
  }
  /** Each problem found, with the field it is in. */
  readonly issues: readonly ValidationIssue[]

  constructor(issues: readonly ValidationIssue[]) {
    const lines = issues.slice(0, 10).map((issue) => `  - ${issue.path || '(config)'}: ${issue.message}`)
    if (issues.length > 10) lines.push(`  - ... and ${issues.length - 10} more`)
    super({
      message: `invalid router config, ${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}:\n${lines.join('\n')}`,
      code: 'invalid_router_config',
      retryable: false,
    })
    this.name = 'InvalidRouterConfigError'
    this.issues = issues
  }

  protected override jsonDetails() {
    return { issues: this.issues }
  }
}
