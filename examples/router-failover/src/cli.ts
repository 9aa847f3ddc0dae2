import { DEFAULT_BREAKER_RESET_MS, runFailoverDemo } from './failover-demo'

const HELP = `router-failover: a @ql/router over three fake providers, one of them failing

Usage: router-failover [--reset-ms <ms>] [--no-spans]

Starts fake OpenAI, Anthropic and Bedrock servers on 127.0.0.1, calls them through the real SDKs
behind one router, and prints its retries, failovers and circuit-breaker changes, with an
OpenTelemetry span per call and per attempt from ConsoleSpanExporter. No keys, no network.

  --reset-ms <ms>  how long the failing provider's breaker stays open (default: ${DEFAULT_BREAKER_RESET_MS})
  --no-spans       leave the spans out (only the router's events)
  -h, --help       show this help
`

/** Runs the demo for a command line; returns the exit code (0 done, 1 failed, 2 bad command line). */
export async function main(args: readonly string[]): Promise<number> {
  let breakerResetMs = DEFAULT_BREAKER_RESET_MS
  let spans = true
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(HELP)
      return 0
    }
    if (arg === '--no-spans') spans = false
    else if (arg === '--reset-ms') {
      breakerResetMs = Number(args[++i])
      if (!Number.isInteger(breakerResetMs) || breakerResetMs <= 0) {
        process.stderr.write(`router-failover: --reset-ms takes a positive whole number of milliseconds\n`)
        return 2
      }
    } else {
      process.stderr.write(
        `router-failover: unknown option ${arg}\nRun router-failover --help for the options.\n`,
      )
      return 2
    }
  }
  try {
    await runFailoverDemo({ breakerResetMs, ...(spans ? {} : { spanExporters: [] }) })
    return 0
  } catch (error) {
    process.stderr.write(`router-failover: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}
