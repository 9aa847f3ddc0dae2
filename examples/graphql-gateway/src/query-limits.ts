import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit'
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases'
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth'
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives'
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens'
import type { ASTVisitor, GraphQLError, ValidationContext, ValidationRule } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { gatewayError } from './gateway-errors'

/** Limits on what one GraphQL operation may ask for. */
export interface QueryLimits {
  /** Nesting depth of selections (default 8). Introspection's `__schema` is exempt; `__type` is not. */
  maxDepth?: number
  /** graphql-armor's cost: 2 per object, 1 per scalar, ×1.5 per level of depth (default 2,000). */
  maxCost?: number
  /** Aliases per operation (default 10). */
  maxAliases?: number
  /** Directives per operation (default 20). */
  maxDirectives?: number
  /** Lexical tokens in the document, checked while parsing (default 2,000). */
  maxTokens?: number
  /** Fields that call a model or build a map (`generate`, `runGraph`, `repoMap`) per operation (default 1). */
  maxExpensiveFields?: number
}

const EXPENSIVE = new Set(['generate', 'runGraph', 'repoMap'])

/**
 * The gateway's guard against hostile queries, as yoga plugins: graphql-armor's depth, cost,
 * alias, directive and token limits (each rejection reported as a `QUERY_TOO_COMPLEX` validation error),
 * plus a limit on the fields that cost real money, so one request cannot alias `generate` a
 * hundred times.
 */
export function queryLimitPlugins(limits: QueryLimits = {}): Plugin[] {
  const reject = (context: ValidationContext | null, error: GraphQLError) => {
    const coded = gatewayError('QUERY_TOO_COMPLEX', error.message.replace(/^Syntax Error: /, ''))
    if (context === null) throw coded
    context.reportError(coded)
  }
  const common = { onReject: [reject], propagateOnRejection: false, exposeLimits: true }
  const rules: ValidationRule[] = [
    maxDepthRule({ ...common, n: limits.maxDepth ?? 8 }),
    costLimitRule({ ...common, maxCost: limits.maxCost ?? 2_000 }),
    maxAliasesRule({ ...common, n: limits.maxAliases ?? 10 }),
    maxDirectivesRule({ ...common, n: limits.maxDirectives ?? 20 }),
    expensiveFieldsRule(limits.maxExpensiveFields ?? 1),
  ]
  return [
    maxTokensPlugin({ ...common, n: limits.maxTokens ?? 2_000 }) as Plugin,
    { onValidate: ({ addValidationRule }) => rules.forEach(addValidationRule) },
  ]
}

/** At most `max` of the expensive root fields (aliases and fragments included) per document. */
function expensiveFieldsRule(max: number): ValidationRule {
  return (context): ASTVisitor => {
    let count = 0
    return {
      Field(node) {
        const parent = context.getParentType()?.name
        if (parent !== 'Query' && parent !== 'Mutation' && parent !== 'Subscription') return
        if (!EXPENSIVE.has(node.name.value)) return
        count += 1
        if (count === max + 1) {
          context.reportError(
            gatewayError(
              'QUERY_TOO_COMPLEX',
              `At most ${max} of generate, runGraph and repoMap per operation; send separate requests.`,
            ),
          )
        }
      },
    }
  }
}
