import type { FakeObject, FakeResource } from './fake-store'

/** Discovery documents for kubectl: the groups and resources the fake cluster serves. @internal */
export function discovery(path: string, address: string): unknown {
  const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'watch']
  switch (path) {
    case '/version':
      return {
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.0-ql-fake',
        gitCommit: 'fake',
        gitTreeState: 'clean',
        buildDate: '2025-01-01T00:00:00Z',
        goVersion: 'go1.23',
        compiler: 'gc',
        platform: 'linux/amd64',
      }
    case '/api':
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: address }],
      }
    case '/apis':
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: ['batch/v1', ...Object.keys(DISCOVERY_ONLY)].map((groupVersion) => {
          const [name, version] = groupVersion.split('/') as [string, string]
          return { name, versions: [{ groupVersion, version }], preferredVersion: { groupVersion, version } }
        }),
      }
    case '/api/v1':
      return {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [
          {
            name: 'pods',
            singularName: 'pod',
            namespaced: true,
            kind: 'Pod',
            verbs,
            shortNames: ['po'],
            categories: ['all'],
          },
          { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
          {
            name: 'configmaps',
            singularName: 'configmap',
            namespaced: true,
            kind: 'ConfigMap',
            verbs,
            shortNames: ['cm'],
          },
          { name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret', verbs },
          {
            name: 'events',
            singularName: 'event',
            namespaced: true,
            kind: 'Event',
            verbs,
            shortNames: ['ev'],
          },
          // known to kubectl (so `create --dry-run=client` maps them), not stored
          {
            name: 'namespaces',
            singularName: 'namespace',
            namespaced: false,
            kind: 'Namespace',
            verbs: ['get'],
          },
          {
            name: 'serviceaccounts',
            singularName: 'serviceaccount',
            namespaced: true,
            kind: 'ServiceAccount',
            verbs: ['get'],
          },
        ],
      }
    case '/apis/batch/v1':
      return {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: 'batch/v1',
        resources: [
          { name: 'jobs', singularName: 'job', namespaced: true, kind: 'Job', verbs, categories: ['all'] },
          { name: 'jobs/status', singularName: '', namespaced: true, kind: 'Job', verbs: ['get'] },
        ],
      }
    default: {
      const groupVersion = path.replace(/^\/apis\//, '')
      const resources = path.startsWith('/apis/') ? DISCOVERY_ONLY[groupVersion] : undefined
      if (resources === undefined) return undefined
      return {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion,
        resources: resources.map(([name, kind]) => ({
          name,
          singularName: kind.toLowerCase(),
          namespaced: true,
          kind,
          verbs: ['get'],
        })),
      }
    }
  }
}

/** Groups kubectl may map kinds to (for `create --dry-run=client` of rendered manifests); not stored. */
const DISCOVERY_ONLY: Record<string, [string, string][]> = {
  'apps/v1': [['deployments', 'Deployment']],
  'autoscaling/v2': [['horizontalpodautoscalers', 'HorizontalPodAutoscaler']],
  'policy/v1': [['poddisruptionbudgets', 'PodDisruptionBudget']],
  'rbac.authorization.k8s.io/v1': [
    ['roles', 'Role'],
    ['rolebindings', 'RoleBinding'],
  ],
}

/**
 * The server-side table kubectl asks for (`Accept: application/json;as=Table;...`): the columns
 * `kubectl get` prints for jobs and pods, and a name and age for the rest. @internal
 */
export function toTable(
  resource: FakeResource,
  objects: FakeObject[],
  resourceVersion: string,
  full: boolean,
) {
  const age = (object: FakeObject) => {
    const created = Date.parse(object.metadata.creationTimestamp ?? '')
    const seconds = Number.isNaN(created) ? 0 : Math.max(0, Math.round((Date.now() - created) / 1000))
    return seconds < 120 ? `${seconds}s` : `${Math.round(seconds / 60)}m`
  }
  const column = (name: string, type = 'string', format = '') => ({
    name,
    type,
    format,
    description: '',
    priority: 0,
  })
  let columns = [column('Name', 'string', 'name'), column('Age')]
  let cells = (object: FakeObject): unknown[] => [object.metadata.name, age(object)]
  if (resource === 'jobs') {
    columns = [
      column('Name', 'string', 'name'),
      column('Status'),
      column('Completions'),
      column('Duration'),
      column('Age'),
    ]
    cells = (object) => {
      const status = (object.status ?? {}) as {
        succeeded?: number
        conditions?: { type: string; status: string }[]
      }
      const condition = status.conditions?.find(
        (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
      )
      const state = condition === undefined ? 'Running' : condition.type
      return [object.metadata.name, state, `${status.succeeded ?? 0}/1`, age(object), age(object)]
    }
  } else if (resource === 'pods') {
    columns = [
      column('Name', 'string', 'name'),
      column('Ready'),
      column('Status'),
      column('Restarts', 'integer'),
      column('Age'),
    ]
    cells = (object) => {
      const status = (object.status ?? {}) as {
        phase?: string
        reason?: string
        containerStatuses?: {
          ready?: boolean
          state?: { waiting?: { reason?: string }; terminated?: { reason?: string } }
        }[]
      }
      const container = status.containerStatuses?.[0]
      const shown =
        object.metadata.deletionTimestamp !== undefined
          ? 'Terminating'
          : (status.reason ??
            container?.state?.waiting?.reason ??
            container?.state?.terminated?.reason ??
            status.phase ??
            'Pending')
      return [object.metadata.name, `${container?.ready ? 1 : 0}/1`, shown, 0, age(object)]
    }
  }
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns,
    rows: objects.map((object) => ({
      cells: cells(object),
      object: full
        ? object
        : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata },
    })),
  }
}
