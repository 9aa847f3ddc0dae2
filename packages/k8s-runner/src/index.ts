// The public API of @ql/k8s-runner.

export type { PodFailureReason } from './errors/kubernetes-errors'
export {
  KubernetesApiError,
  kubernetesErrorDecoders,
  PayloadTooLargeError,
  PodFailedError,
} from './errors/kubernetes-errors'
export type {
  KubernetesExecutor,
  KubernetesExecutorStats,
} from './executor/create-kubernetes-executor'
export { CONFIGMAP_LIMIT_BYTES, createKubernetesExecutor } from './executor/create-kubernetes-executor'
export type { KubernetesExecutorOptions, SecretEnvRef } from './executor/executor-options'
export { LABELS, MANAGED_BY, runSelector } from './executor/job-manifests'
export type { WatchStats } from './executor/watched-collection'
export type { ManifestOptions } from './manifests/render-manifests'
export { manifestObjects, renderManifests } from './manifests/render-manifests'
export type { WorkerOptions, WorkerOutcome } from './worker/run-worker'
export { runWorker } from './worker/run-worker'
