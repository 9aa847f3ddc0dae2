#!/usr/bin/env node
// `ql-worker`: the command of a @ql/k8s-runner Job's container. It runs the one task the Job was
// created for and hands the result back to the executor (see runWorker).
import { workerMain } from './run-worker'

workerMain().then(
  (exitCode) => {
    // the node may leave handles open (timers, sockets): the task is done, so is the process
    process.stdout.write('', () => process.exit(exitCode))
  },
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
