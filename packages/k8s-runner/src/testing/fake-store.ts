import { randomUUID } from 'node:crypto'

/** A Kubernetes object as JSON, as the fake cluster stores it. */
export interface FakeObject {
  apiVersion: string
  kind: string
  metadata: FakeObjectMeta
  [field: string]: unknown
}

/** The metadata fields the fake cluster reads and maintains. */
export interface FakeObjectMeta {
  name: string
  namespace?: string
  generateName?: string
  uid?: string
  resourceVersion?: string
  creationTimestamp?: string
  deletionTimestamp?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: OwnerReference[]
  finalizers?: string[]
  [field: string]: unknown
}

/** An owner reference, as the garbage collector reads it. */
export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller?: boolean
  blockOwnerDeletion?: boolean
}

/** The resources the fake cluster serves. */
export type FakeResource = 'pods' | 'jobs' | 'configmaps' | 'secrets' | 'events'

/** What a resource is: its group version and kinds. @internal */
export const RESOURCES: Readonly<Record<FakeResource, { apiVersion: string; kind: string }>> = {
  pods: { apiVersion: 'v1', kind: 'Pod' },
  jobs: { apiVersion: 'batch/v1', kind: 'Job' },
  configmaps: { apiVersion: 'v1', kind: 'ConfigMap' },
  secrets: { apiVersion: 'v1', kind: 'Secret' },
  events: { apiVersion: 'v1', kind: 'Event' },
}

/** A change to a stored object, as a watch reports it. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  resource: FakeResource
  resourceVersion: number
  object: FakeObject
}

/** An API error with the Kubernetes `Status` body it is served as. @internal */
export class StatusError extends Error {
  readonly code: number
  readonly reason: string
  readonly details: Record<string, unknown> | undefined

  constructor(code: number, reason: string, message: string, details?: Record<string, unknown>) {
    super(message)
    this.code = code
    this.reason = reason
    this.details = details
  }

  /** The `Status` object for the response body. */
  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details === undefined ? {} : { details: this.details }),
      code: this.code,
    }
  }
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

/**
 * The fake cluster's object store: objects by resource, namespace and name, one resource
 * version counter, and a bounded history of changes for watches to resume from. @internal
 */
export class FakeStore {
  #version = 1
  readonly #objects = new Map<FakeResource, Map<string, FakeObject>>()
  readonly #history: StoreEvent[] = []
  #historyLimit: number
  /** The oldest resource version a watch can still resume from. */
  #oldest = 1
  readonly #listeners = new Set<(event: StoreEvent) => void>()

  constructor(historyLimit: number) {
    this.#historyLimit = historyLimit
    for (const resource of Object.keys(RESOURCES) as FakeResource[]) this.#objects.set(resource, new Map())
  }

  /** The current resource version. */
  get resourceVersion(): number {
    return this.#version
  }

  /** The oldest resource version a watch may resume from; older ones get 410 Gone. */
  get oldestResumable(): number {
    return this.#oldest
  }

  /** Forgets the change history: watches resumed from before now get 410 Gone. */
  compact(): void {
    this.#history.length = 0
    this.#oldest = this.#version
  }

  /** Changes after `resourceVersion`, oldest first. */
  changesSince(resourceVersion: number): StoreEvent[] {
    return this.#history.filter((event) => event.resourceVersion > resourceVersion)
  }

  /** Listens to every change. Returns a function that stops listening. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  get(resource: FakeResource, namespace: string, name: string): FakeObject | undefined {
    const object = this.#objects.get(resource)?.get(`${namespace}/${name}`)
    return object === undefined ? undefined : clone(object)
  }

  /** Like `get`, but a missing object is a 404 `StatusError`. */
  require(resource: FakeResource, namespace: string, name: string): FakeObject {
    const object = this.get(resource, namespace, name)
    if (object === undefined) throw notFound(resource, name)
    return object
  }

  list(resource: FakeResource, namespace?: string): FakeObject[] {
    const all = [...(this.#objects.get(resource)?.values() ?? [])]
    return all
      .filter((object) => namespace === undefined || object.metadata.namespace === namespace)
      .map(clone)
  }

  /** Every object whose ownerReferences name `uid`. */
  dependentsOf(uid: string): { resource: FakeResource; object: FakeObject }[] {
    const found: { resource: FakeResource; object: FakeObject }[] = []
    for (const [resource, objects] of this.#objects) {
      for (const object of objects.values()) {
        if (object.metadata.ownerReferences?.some((owner) => owner.uid === uid)) {
          found.push({ resource, object: clone(object) })
        }
      }
    }
    return found
  }

  create(resource: FakeResource, namespace: string, input: FakeObject): FakeObject {
    const object = clone(input)
    const { apiVersion, kind } = RESOURCES[resource]
    object.apiVersion ??= apiVersion
    object.kind ??= kind
    if (object.kind !== kind) {
      throw new StatusError(
        400,
        'BadRequest',
        `the kind "${object.kind}" does not match the resource ${resource}`,
      )
    }
    const metadata = object.metadata ?? ({} as FakeObjectMeta)
    object.metadata = metadata
    if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
      throw new StatusError(
        400,
        'BadRequest',
        `the namespace of the provided object does not match the namespace sent on the request`,
      )
    }
    metadata.namespace = namespace
    if (!metadata.name && metadata.generateName) {
      const map = this.#objects.get(resource) as Map<string, FakeObject>
      do metadata.name = `${metadata.generateName}${randomSuffix()}`
      while (map.has(`${namespace}/${metadata.name}`))
    }
    validate(resource, object)
    const map = this.#objects.get(resource) as Map<string, FakeObject>
    const key = `${namespace}/${metadata.name}`
    if (map.has(key)) {
      throw new StatusError(
        409,
        'AlreadyExists',
        `${resource}${group(resource)} "${metadata.name}" already exists`,
        {
          name: metadata.name,
          group: RESOURCES[resource].apiVersion.includes('/')
            ? RESOURCES[resource].apiVersion.split('/')[0]
            : '',
          kind: resource,
        },
      )
    }
    metadata.uid = randomUUID()
    metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    delete metadata.deletionTimestamp
    metadata.resourceVersion = String(++this.#version)
    map.set(key, object)
    this.#emit('ADDED', resource, object)
    return clone(object)
  }

  /** Changes a stored object in place (`change` gets a copy and returns it changed). */
  update(
    resource: FakeResource,
    namespace: string,
    name: string,
    change: (object: FakeObject) => FakeObject | undefined,
  ): FakeObject | undefined {
    const map = this.#objects.get(resource) as Map<string, FakeObject>
    const key = `${namespace}/${name}`
    const current = map.get(key)
    if (current === undefined) return undefined
    const next = change(clone(current)) ?? current
    next.metadata.resourceVersion = String(++this.#version)
    map.set(key, next)
    this.#emit('MODIFIED', resource, next)
    return clone(next)
  }

  /** Removes an object for good (no finalizers, no dependents: the caller handled those). */
  remove(resource: FakeResource, namespace: string, name: string): FakeObject | undefined {
    const map = this.#objects.get(resource) as Map<string, FakeObject>
    const key = `${namespace}/${name}`
    const current = map.get(key)
    if (current === undefined) return undefined
    map.delete(key)
    current.metadata.resourceVersion = String(++this.#version)
    this.#emit('DELETED', resource, current)
    return clone(current)
  }

  #emit(type: StoreEvent['type'], resource: FakeResource, object: FakeObject): void {
    const event: StoreEvent = { type, resource, resourceVersion: this.#version, object: clone(object) }
    this.#history.push(event)
    if (this.#history.length > this.#historyLimit) {
      const dropped = this.#history.splice(0, this.#history.length - this.#historyLimit)
      this.#oldest = (dropped.at(-1) as StoreEvent).resourceVersion
    }
    for (const listener of [...this.#listeners]) listener(event)
  }
}

/** A 404 `StatusError` for a missing object. @internal */
export function notFound(resource: FakeResource, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${resource}${group(resource)} "${name}" not found`, {
    name,
    kind: resource,
  })
}

function group(resource: FakeResource): string {
  const apiVersion = RESOURCES[resource].apiVersion
  return apiVersion.includes('/') ? `.${apiVersion.split('/')[0]}` : ''
}

function validate(resource: FakeResource, object: FakeObject): void {
  const causes: { field: string; message: string }[] = []
  const name = object.metadata.name
  if (typeof name !== 'string' || name === '') {
    causes.push({ field: 'metadata.name', message: 'Required value: name or generateName is required' })
  } else if (name.length > 253 || !NAME.test(name)) {
    causes.push({
      field: 'metadata.name',
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
    })
  } else if (resource === 'jobs' && name.length > 63) {
    causes.push({
      field: 'metadata.name',
      message: `Invalid value: "${name}": must be no more than 63 characters`,
    })
  }
  for (const [key, value] of Object.entries(object.metadata.labels ?? {})) {
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      causes.push({ field: `metadata.labels`, message: `Invalid value: "${value}" for label ${key}` })
    }
  }
  if (resource === 'jobs' || resource === 'pods') {
    const podSpec =
      resource === 'pods'
        ? (object.spec as { containers?: unknown[] } | undefined)
        : ((object.spec as { template?: { spec?: { containers?: unknown[] } } } | undefined)?.template
            ?.spec ?? undefined)
    const prefix = resource === 'pods' ? 'spec' : 'spec.template.spec'
    if (!Array.isArray(podSpec?.containers) || podSpec.containers.length === 0) {
      causes.push({ field: `${prefix}.containers`, message: 'Required value' })
    }
    if (resource === 'jobs') {
      const restart = (object.spec as { template?: { spec?: { restartPolicy?: string } } }).template?.spec
        ?.restartPolicy
      if (restart !== 'Never' && restart !== 'OnFailure') {
        causes.push({
          field: 'spec.template.spec.restartPolicy',
          message: `Unsupported value: "${restart ?? 'Always'}": supported values: "OnFailure", "Never"`,
        })
      }
    }
  }
  if (resource === 'configmaps') {
    const bytes =
      Buffer.byteLength(JSON.stringify(object.data ?? {})) +
      Buffer.byteLength(JSON.stringify(object.binaryData ?? {}))
    if (bytes > 1024 * 1024)
      causes.push({ field: 'data', message: 'Too long: must have at most 1048576 bytes' })
  }
  if (causes.length > 0) {
    const { kind } = RESOURCES[resource]
    throw new StatusError(
      422,
      'Invalid',
      `${kind} "${name ?? ''}" is invalid: ${causes.map((cause) => `${cause.field}: ${cause.message}`).join(', ')}`,
      { name, kind: resource, causes: causes.map((cause) => ({ reason: 'FieldValueInvalid', ...cause })) },
    )
  }
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789'
  let suffix = ''
  for (let index = 0; index < 5; index++) suffix += alphabet[Math.floor(Math.random() * alphabet.length)]
  return suffix
}

/** A deep copy of JSON. @internal */
export function clone<T>(value: T): T {
  return structuredClone(value)
}
