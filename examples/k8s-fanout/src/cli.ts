import { bundleWorker } from './bundle'
import { type FanoutResult, type RealClusterOptions, runFanout } from './fanout'

const DEFAULT_ITEMS = 8

const HELP = `k8s-fanout: an @ql/agents graph whose heavy node runs as Kubernetes Jobs

Usage: k8s-fanout [--items <n>] [--json] [--image <image> [--namespace <ns>] [--worker-module <path>]]
       k8s-fanout --build <dir>

Splits a list of items, runs one Job per item (the "crunch" node, through @ql/k8s-runner), joins
the results, then deletes the run's Jobs and pods.

Without --image it runs offline, on a fake Kubernetes API server on 127.0.0.1 whose job controller
runs each pod as a local ql-worker process. With --image (or K8S_FANOUT_IMAGE) the Jobs go to the
cluster in KUBECONFIG (else ~/.kube/config, else in-cluster); build the image as the README says.

  --items <n>            how many items, one Job each (default: ${DEFAULT_ITEMS})
  --json                 print the result as JSON only
  --image <image>        the worker image: run on a real cluster
  --namespace <ns>       the namespace of the Jobs (default: the kubeconfig context's)
  --worker-module <path> the graph module in the image (default: /app/dist/graph.mjs)
  --build <dir>          write the worker bundles (ql-worker.mjs, graph.mjs) into <dir> and exit
  -h, --help             show this help
`

function fail(message: string): number {
  process.stderr.write(`k8s-fanout: ${message}\nRun k8s-fanout --help for the options.\n`)
  return 2
}

/** Runs the command line; returns the exit code (0 done, 1 failed, 2 bad command line). */
export async function main(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let items = DEFAULT_ITEMS
  let json = false
  let image = env.K8S_FANOUT_IMAGE || undefined
  let namespace: string | undefined
  let workerModule: string | undefined
  let buildDir: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const value = () => {
      const next = args[++i]
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`)
      return next
    }
    try {
      if (arg === '-h' || arg === '--help') {
        process.stdout.write(HELP)
        return 0
      }
      if (arg === '--json') json = true
      else if (arg === '--items') {
        items = Number(value())
        if (!Number.isInteger(items) || items < 1 || items > 1000)
          return fail('--items takes a whole number from 1 to 1000')
      } else if (arg === '--image') image = value()
      else if (arg === '--namespace') namespace = value()
      else if (arg === '--worker-module') workerModule = value()
      else if (arg === '--build') buildDir = value()
      else return fail(`unknown option ${arg}`)
    } catch (error) {
      return fail((error as Error).message)
    }
  }
  try {
    if (buildDir !== undefined) {
      const bundle = await bundleWorker(buildDir)
      process.stdout.write(`wrote ${bundle.workerEntry}\nwrote ${bundle.graphModule}\n`)
      return 0
    }
    if (image === undefined && env.KUBECONFIG)
      process.stderr.write(
        'k8s-fanout: KUBECONFIG is set but no --image was given: running on the fake cluster\n',
      )
    const cluster: RealClusterOptions | undefined =
      image === undefined
        ? undefined
        : {
            image,
            ...(namespace === undefined ? {} : { namespace }),
            ...(workerModule === undefined ? {} : { workerModule }),
          }
    const result: FanoutResult = await runFanout({
      items,
      ...(cluster === undefined ? {} : { cluster }),
      ...(json ? {} : { print: (line: string) => process.stdout.write(`${line}\n`) }),
    })
    if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    return result.results.length === items ? 0 : 1
  } catch (error) {
    process.stderr.write(`k8s-fanout: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}
