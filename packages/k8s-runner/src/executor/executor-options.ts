import type { KubeConfig, V1ResourceRequirements, V1Toleration } from '@kubernetes/client-node'
import type { BlobStore, ExecutorTask } from '@ql/agents'

/** An environment variable read from a Kubernetes Secret (never a literal value). */
export interface SecretEnvRef {
  /** The Secret's name, in the executor's namespace. */
  secret: string
  /** The key in the Secret. */
  key: string
  /** When true, a missing Secret or key leaves the variable unset instead of failing the pod. */
  optional?: boolean
}

/** Options of {@link createKubernetesExecutor}. */
export interface KubernetesExecutorOptions {
  /** The cluster to talk to. Default: `KUBECONFIG`, `~/.kube/config` or the in-cluster service account. */
  kubeConfig?: KubeConfig
  /** The namespace for Jobs, pods and ConfigMaps. Default: the kubeconfig context's, else `default`. */
  namespace?: string
  /** The worker image: your graph module and `ql-worker` (see the package's `Dockerfile.example`). */
  image: string
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never'
  /** Names of Secrets with registry credentials. */
  imagePullSecrets?: string[]
  /** The container's command (default `['ql-worker']`). */
  command?: string[]
  args?: string[]
  /** Where `ql-worker` finds the graph in the image (its `QL_GRAPH_MODULE` / `QL_GRAPH_EXPORT`). */
  worker?: {
    /** Path or package name of the module that exports the compiled graph. */
    module?: string
    /** The export: a `CompiledGraph`, or a function (possibly async) returning one. Default `graph`. */
    export?: string
    /** An export of the module that is a `BlobStore` the worker puts large results in (see `resultStore`). */
    resultStoreExport?: string
  }
  /** A ServiceAccount for the pods. Its token is mounted only with `automountServiceAccountToken: true`. */
  serviceAccountName?: string
  /** Default false: a node's pod gets no Kubernetes API credentials unless asked. */
  automountServiceAccountToken?: boolean
  /** CPU and memory requests and limits of the worker container. */
  resources?: V1ResourceRequirements
  /** Plain environment variables. Never put secrets here: use `secretEnv`. */
  env?: Record<string, string>
  /** Environment variables from Secrets, by `secretKeyRef`: the value never enters a spec, log or error of ours. */
  secretEnv?: Record<string, SecretEnvRef>
  nodeSelector?: Record<string, string>
  tolerations?: V1Toleration[]
  priorityClassName?: string
  /** A numeric non-root user to run as (the image's `USER` must be numeric otherwise). */
  runAsUser?: number
  /** At most this many Jobs of this executor run at once; more wait in the host (default 16). */
  concurrency?: number
  /**
   * The Job's `activeDeadlineSeconds`: a number, or a function of the task. Default: the task's
   * `timeoutMs` (when the graph engine passes one) rounded up plus 30 s, else none. The node's own
   * `timeoutMs` also aborts the execution, which deletes the Job.
   */
  activeDeadlineSeconds?: number | ((task: ExecutorTask) => number | undefined)
  /** The Job's `ttlSecondsAfterFinished` (default 3,600): finished Jobs and their pods are deleted after it. */
  ttlSecondsAfterFinished?: number
  /** The pods' `terminationGracePeriodSeconds` (default 10). */
  terminationGracePeriodSeconds?: number
  /**
   * Results above this many bytes of JSON are refused with `PayloadTooLargeError` unless a
   * `resultStore` takes them (default 1 MiB).
   */
  maxResultBytes?: number
  /**
   * Where large results are read from: the same store the worker writes them to (the worker finds
   * its copy through `worker.resultStoreExport`).
   */
  resultStore?: BlobStore
  /** Extra labels on every Job, pod and ConfigMap. */
  labels?: Record<string, string>
  /** Extra annotations on every Job, pod and ConfigMap. */
  annotations?: Record<string, string>
  /** How long the watches stay open after the last task ended, in ms (default 2,000). */
  watchIdleMs?: number
}
