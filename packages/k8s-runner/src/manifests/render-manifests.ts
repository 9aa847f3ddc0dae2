import { dumpYaml, type KubernetesObject, type V1ResourceRequirements } from '@kubernetes/client-node'
import { InvalidRequestError } from '@ql/provider'
import type { SecretEnvRef } from '../executor/executor-options'
import { MANAGED_BY } from '../executor/job-manifests'

/** Options of {@link renderManifests}. */
export interface ManifestOptions {
  /** The namespace everything lives in. */
  namespace: string
  /** Emit the Namespace itself, labelled to enforce the "restricted" Pod Security profile (default true). */
  createNamespace?: boolean
  /** The ServiceAccount of the host that runs the executor; the Role is bound to it (default `ql-runner`). */
  serviceAccountName?: string
  /** The ServiceAccount the node pods run as, with no API token (default `ql-worker`). */
  workerServiceAccountName?: string
  /** Extra RoleBinding subjects (a user or group running the host outside the cluster). */
  extraSubjects?: { kind: 'User' | 'Group' | 'ServiceAccount'; name: string; namespace?: string }[]
  /** Extra labels on every object. */
  labels?: Record<string, string>
  /**
   * For hosts that run the router (or any `@ql` host) as a service: a Deployment with a
   * HorizontalPodAutoscaler and a PodDisruptionBudget.
   */
  service?: {
    /** Default `ql-router`. */
    name?: string
    image: string
    command?: string[]
    args?: string[]
    /** The container port (default 8080). */
    port?: number
    /** An HTTP path for readiness and liveness probes (default none). */
    healthPath?: string
    /** Default 2. */
    replicas?: number
    /** Default 2. */
    minReplicas?: number
    /** Default 10. */
    maxReplicas?: number
    /** The HPA's average CPU utilization target, percent of requests (default 70). */
    targetCPUUtilization?: number
    /** The PDB's minAvailable (default 1). */
    minAvailable?: number
    /** Default: requests 100m CPU / 256Mi, limit 512Mi (the HPA needs CPU requests). */
    resources?: V1ResourceRequirements
    env?: Record<string, string>
    secretEnv?: Record<string, SecretEnvRef>
    runAsUser?: number
  }
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/**
 * Renders the cluster side of `@ql/k8s-runner` as multi-document YAML for `kubectl apply -f -`:
 * the Namespace (enforcing the "restricted" Pod Security profile), a ServiceAccount for the host
 * and one without a token for the node pods, a least-privilege Role and RoleBinding (jobs; pods,
 * pods/log read-only; configmaps — in this namespace only, nothing on secrets), and, with
 * `service`, a Deployment, HorizontalPodAutoscaler and PodDisruptionBudget for a host that runs
 * the router as a service.
 */
export function renderManifests(options: ManifestOptions): string {
  return manifestObjects(options)
    .map((object) => dumpYaml(object))
    .join('---\n')
}

/** The objects {@link renderManifests} renders, as JSON. */
export function manifestObjects(options: ManifestOptions): KubernetesObject[] {
  const issues: { path: string; message: string }[] = []
  const checkName = (path: string, value: string | undefined) => {
    if (value !== undefined && (value.length > 63 || !NAME.test(value))) {
      issues.push({ path, message: `must be a DNS label (lower-case letters, digits, '-'), got "${value}"` })
    }
  }
  checkName('namespace', options?.namespace)
  if (typeof options?.namespace !== 'string') issues.push({ path: 'namespace', message: 'is required' })
  checkName('serviceAccountName', options?.serviceAccountName)
  checkName('workerServiceAccountName', options?.workerServiceAccountName)
  checkName('service.name', options?.service?.name)
  if (options?.service !== undefined && !options.service.image) {
    issues.push({ path: 'service.image', message: 'is required' })
  }
  const service = options?.service
  const min = service?.minReplicas ?? 2
  const max = service?.maxReplicas ?? 10
  if (service !== undefined && (min < 1 || max < min)) {
    issues.push({ path: 'service.maxReplicas', message: `must be >= minReplicas (${min}) >= 1, got ${max}` })
  }
  if (issues.length > 0) {
    throw new InvalidRequestError({
      message: `renderManifests: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}.`,
      issues,
    })
  }
  const namespace = options.namespace
  const host = options.serviceAccountName ?? 'ql-runner'
  const worker = options.workerServiceAccountName ?? 'ql-worker'
  const labels = { ...options.labels, 'app.kubernetes.io/part-of': MANAGED_BY }
  const objects: KubernetesObject[] = []
  if (options.createNamespace !== false) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    } as KubernetesObject)
  }
  objects.push(
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: host, namespace, labels },
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: worker, namespace, labels },
      automountServiceAccountToken: false,
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: host, namespace, labels },
      rules: [
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'get', 'list', 'watch', 'delete'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'delete'] },
      ],
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: host, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: host },
      subjects: [
        { kind: 'ServiceAccount', name: host, namespace },
        ...(options.extraSubjects ?? []).map((subject) =>
          subject.kind === 'ServiceAccount'
            ? { kind: subject.kind, name: subject.name, namespace: subject.namespace ?? namespace }
            : { kind: subject.kind, name: subject.name, apiGroup: 'rbac.authorization.k8s.io' },
        ),
      ],
    } as KubernetesObject,
  )
  if (service !== undefined) objects.push(...serviceObjects(service, namespace, host, labels, min, max))
  return objects
}

function serviceObjects(
  service: NonNullable<ManifestOptions['service']>,
  namespace: string,
  serviceAccountName: string,
  labels: Record<string, string>,
  minReplicas: number,
  maxReplicas: number,
): KubernetesObject[] {
  const name = service.name ?? 'ql-router'
  const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name }
  const port = service.port ?? 8080
  const seccompProfile = { type: 'RuntimeDefault' }
  const probe =
    service.healthPath === undefined
      ? {}
      : {
          readinessProbe: { httpGet: { path: service.healthPath, port: 'http' }, periodSeconds: 5 },
          livenessProbe: {
            httpGet: { path: service.healthPath, port: 'http' },
            periodSeconds: 20,
            failureThreshold: 3,
          },
        }
  const env = [
    ...Object.entries(service.env ?? {}).map(([key, value]) => ({ name: key, value })),
    ...Object.entries(service.secretEnv ?? {}).map(([key, ref]) => ({
      name: key,
      valueFrom: {
        secretKeyRef: {
          name: ref.secret,
          key: ref.key,
          ...(ref.optional === undefined ? {} : { optional: ref.optional }),
        },
      },
    })),
  ]
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels: { ...labels, ...selector } },
      spec: {
        replicas: service.replicas ?? minReplicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels: { ...labels, ...selector } },
          spec: {
            serviceAccountName,
            securityContext: {
              runAsNonRoot: true,
              ...(service.runAsUser === undefined
                ? {}
                : { runAsUser: service.runAsUser, runAsGroup: service.runAsUser }),
              seccompProfile,
            },
            volumes: [{ name: 'tmp', emptyDir: {} }],
            containers: [
              {
                name,
                image: service.image,
                ...(service.command === undefined ? {} : { command: service.command }),
                ...(service.args === undefined ? {} : { args: service.args }),
                ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
                ...(env.length === 0 ? {} : { env }),
                resources: service.resources ?? {
                  requests: { cpu: '100m', memory: '256Mi' },
                  limits: { memory: '512Mi' },
                },
                ...probe,
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile,
                },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
          },
        },
      },
    } as KubernetesObject,
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas,
        maxReplicas,
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: service.targetCPUUtilization ?? 70 },
            },
          },
        ],
      },
    } as KubernetesObject,
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace, labels },
      spec: { minAvailable: service.minAvailable ?? 1, selector: { matchLabels: selector } },
    } as KubernetesObject,
  ]
}
