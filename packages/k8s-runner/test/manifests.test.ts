import { execFile, execFileSync } from 'node:child_process'
import { loadAllYaml } from '@kubernetes/client-node'
import { describe, expect, it } from 'vitest'
import {
  anchorManifest,
  inputManifest,
  jobManifest,
  ownerReference,
  taskNames,
} from '../src/executor/job-manifests'
import { manifestObjects, renderManifests } from '../src/index'
import { startFakeCluster } from '../src/testing/index'
import { checkShape, MODEL_OF } from './openapi-shapes'

const full = renderManifests({
  namespace: 'agents',
  extraSubjects: [{ kind: 'User', name: 'ci@example.com' }],
  service: {
    image: 'registry.example.com/router:1',
    healthPath: '/healthz',
    secretEnv: { OPENAI_API_KEY: { secret: 'llm', key: 'openai' } },
    env: { LOG_LEVEL: 'info' },
    runAsUser: 10001,
  },
})
const documents = loadAllYaml(full) as {
  apiVersion: string
  kind: string
  metadata: { name: string }
  [key: string]: any
}[]

describe('renderManifests', () => {
  it('renders YAML that parses into the OpenAPI shapes of each kind', () => {
    expect(documents.map((d) => d.kind)).toEqual([
      'Namespace',
      'ServiceAccount',
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'Deployment',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
    ])
    for (const document of documents) {
      expect(checkShape(document, MODEL_OF[document.kind] as string, document.kind)).toEqual([])
    }
    // the checker does catch a misplaced field
    const broken = structuredClone(documents[5]) as any
    broken.spec.template.spec.containers[0].runAsNonRoot = true
    expect(checkShape(broken, 'V1Deployment')).toEqual([
      '.spec.template.spec.containers[0].runAsNonRoot: no such field in V1Container',
    ])
  })

  it('builds Jobs and ConfigMaps in the OpenAPI shapes too', () => {
    const task = {
      graph: 'g',
      threadId: 't',
      step: 2,
      taskId: '2:review:0',
      node: 'review',
      attempt: 1,
      state: {},
      answers: {},
      memo: {},
    }
    const names = taskNames(task)
    const owner = ownerReference({ name: names.anchor, uid: 'uid-1' })
    const options = {
      image: 'worker:1',
      resources: { requests: { cpu: '500m' }, limits: { memory: '1Gi' } },
      tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
      secretEnv: { KEY: { secret: 's', key: 'k', optional: true } },
      imagePullSecrets: ['registry'],
      worker: { module: '/app/graph.js', export: 'graph', resultStoreExport: 'results' },
      maxResultBytes: 2048,
      runAsUser: 10001,
      priorityClassName: 'batch',
    }
    expect(checkShape(jobManifest(task, names, owner, options, 60), 'V1Job')).toEqual([])
    expect(checkShape(inputManifest(task, names, '{}', owner, options), 'V1ConfigMap')).toEqual([])
    expect(checkShape(anchorManifest('t', names), 'V1ConfigMap')).toEqual([])
  })

  it('grants least privilege: jobs, pods and logs read, configmaps, in one namespace, nothing on secrets', () => {
    const role = documents.find((d) => d.kind === 'Role')
    expect(role?.metadata).toMatchObject({ name: 'ql-runner', namespace: 'agents' })
    expect(role?.rules).toEqual([
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'get', 'list', 'watch', 'delete'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'delete'] },
    ])
    expect(JSON.stringify(documents)).not.toMatch(/"secrets"|ClusterRole|"\*"/)
    const binding = documents.find((d) => d.kind === 'RoleBinding')
    expect(binding?.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'ql-runner', namespace: 'agents' },
      { kind: 'User', name: 'ci@example.com', apiGroup: 'rbac.authorization.k8s.io' },
    ])
    const worker = documents.filter((d) => d.kind === 'ServiceAccount')[1]
    expect(worker).toMatchObject({ metadata: { name: 'ql-worker' }, automountServiceAccountToken: false })
    expect(documents[0]?.metadata).toMatchObject({
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
    })
  })

  it('runs the service restricted, autoscaled and disruption-budgeted, with secrets by reference', () => {
    const deployment = documents.find((d) => d.kind === 'Deployment')
    const pod = deployment?.spec.template.spec
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    })
    expect(pod.containers[0].securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    })
    expect(pod.containers[0].env).toContainEqual({
      name: 'OPENAI_API_KEY',
      valueFrom: { secretKeyRef: { name: 'llm', key: 'openai' } },
    })
    expect(pod.containers[0].readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' })
    const selector = deployment?.spec.selector.matchLabels
    expect(documents.find((d) => d.kind === 'PodDisruptionBudget')?.spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: selector },
    })
    expect(documents.find((d) => d.kind === 'HorizontalPodAutoscaler')?.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ql-router' },
      minReplicas: 2,
      maxReplicas: 10,
    })
  })

  it('leaves out the namespace and the service when asked, and rejects bad options', () => {
    const kinds = manifestObjects({ namespace: 'existing', createNamespace: false }).map((o) => o.kind)
    expect(kinds).toEqual(['ServiceAccount', 'ServiceAccount', 'Role', 'RoleBinding'])
    expect(() => renderManifests({ namespace: 'Not_Valid' })).toThrow(/namespace must be a DNS label/)
    expect(() =>
      renderManifests({ namespace: 'a', service: { image: 'x', minReplicas: 3, maxReplicas: 2 } }),
    ).toThrow(/maxReplicas must be >= minReplicas/)
  })

  const kubectl = (() => {
    try {
      execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  })()
  if (!kubectl) console.warn('SKIPPED: kubectl create --dry-run=client needs kubectl on PATH; none found.')

  it.skipIf(!kubectl)(
    'passes kubectl create --dry-run=client',
    async () => {
      await using cluster = await startFakeCluster({ anonymous: true })
      const { mkdirSync, mkdtempSync, writeFileSync } = await import('node:fs')
      const { join } = await import('node:path')
      mkdirSync(join(import.meta.dirname, '..', '.tmp'), { recursive: true })
      const directory = mkdtempSync(join(import.meta.dirname, '..', '.tmp', 'manifests-'))
      try {
        const kubeconfig = cluster.writeKubeconfig(join(directory, 'kubeconfig'))
        const file = join(directory, 'manifests.yaml')
        writeFileSync(file, full)
        const output = await new Promise<string>((resolve, reject) =>
          execFile(
            'kubectl',
            [
              '--kubeconfig',
              kubeconfig,
              'create',
              '--dry-run=client',
              '--validate=false',
              '-f',
              file,
              '-o',
              'name',
            ],
            (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(stderr))),
          ),
        )
        expect(output.trim().split('\n')).toEqual([
          'namespace/agents',
          'serviceaccount/ql-runner',
          'serviceaccount/ql-worker',
          'role.rbac.authorization.k8s.io/ql-runner',
          'rolebinding.rbac.authorization.k8s.io/ql-runner',
          'deployment.apps/ql-router',
          'horizontalpodautoscaler.autoscaling/ql-router',
          'poddisruptionbudget.policy/ql-router',
        ])
      } finally {
        const { rmSync } = await import('node:fs')
        rmSync(directory, { recursive: true, force: true })
      }
    },
    120_000,
  )
})
