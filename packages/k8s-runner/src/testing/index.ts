// The public API of @ql/k8s-runner/testing.

export type { FakeCluster, FakeClusterOptions, FakeConnectionStats, FakeRequest } from './fake-cluster'
export { startFakeCluster } from './fake-cluster'
export type { PropagationPolicy } from './fake-job-controller'
export type { FakeObject, FakeObjectMeta, FakeResource, OwnerReference, StoreEvent } from './fake-store'
