import type { KubeConfig } from '@kubernetes/client-node'
import { Watch } from '@kubernetes/client-node'

/** The fields of a Kubernetes object the executor reads. @internal */
export interface ObjectLike {
  metadata?: { name?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string> }
}

/** Counters of one collection, for tests and benchmarks. */
export interface WatchStats {
  /** Full lists (the first, and one after each 410 Gone). */
  lists: number
  /** Watch requests (the first, and one per resume). */
  watches: number
  /** Watches that resumed from a resource version without listing again. */
  resumes: number
  /** 410 Gone answers that forced a new list. */
  expired: number
  bookmarks: number
}

/**
 * One list-then-watch of a collection with a label selector: a cache of its objects, kept by a
 * single watch that resumes from the last resource version it saw (bookmarks included), and lists
 * again only when the server answers 410 Gone. Calls `onChange(name)` for every object that
 * changed. @internal
 */
export class WatchedCollection<T extends ObjectLike> {
  readonly objects = new Map<string, T>()
  readonly stats: WatchStats = { lists: 0, watches: 0, resumes: 0, expired: 0, bookmarks: 0 }
  readonly #watch: Watch
  readonly #path: string
  readonly #labelSelector: string
  readonly #list: () => Promise<{ items: T[]; resourceVersion: string }>
  readonly #onChange: (name: string, object: T | undefined) => void
  #resourceVersion: string | undefined
  #controller: AbortController | undefined
  #running: Promise<void> | undefined
  #stopped = true
  #wake: (() => void) | undefined

  constructor(options: {
    kubeConfig: KubeConfig
    path: string
    labelSelector: string
    list: () => Promise<{ items: T[]; resourceVersion: string }>
    onChange: (name: string, object: T | undefined) => void
  }) {
    this.#watch = new Watch(options.kubeConfig)
    this.#path = options.path
    this.#labelSelector = options.labelSelector
    this.#list = options.list
    this.#onChange = options.onChange
  }

  /** Lists (the first time, or after a 410) and starts watching; resolves once the cache is filled. */
  start(): Promise<void> {
    if (!this.#stopped && this.#running !== undefined) return this.#ready ?? Promise.resolve()
    this.#stopped = false
    let ready!: () => void
    let failed!: (error: unknown) => void
    this.#ready = new Promise<void>((resolve, reject) => {
      ready = resolve
      failed = reject
    })
    this.#running = this.#loop(ready, failed)
    return this.#ready
  }

  #ready: Promise<void> | undefined

  /** Stops watching (the cache and resource version stay, so the next start resumes). */
  async stop(): Promise<void> {
    this.#stopped = true
    this.#controller?.abort()
    this.#wake?.()
    await this.#running
    this.#running = undefined
  }

  async #loop(ready: () => void, failed: (error: unknown) => void): Promise<void> {
    let delay = 250
    let signalled = false
    while (!this.#stopped) {
      try {
        if (this.#resourceVersion === undefined) await this.#relist()
        else this.stats.resumes++
        if (!signalled) {
          signalled = true
          ready()
        }
        const ended = await this.#watchOnce()
        if (ended === 'expired') {
          this.stats.expired++
          this.#resourceVersion = undefined
          continue
        }
        if (ended === 'closed') {
          delay = 250
          continue
        }
        throw ended
      } catch (error) {
        if (this.#stopped) break
        if (!signalled && this.stats.lists === 0) {
          // the first list failed: the caller sees why (RBAC, wrong namespace, unreachable)
          signalled = true
          this.#stopped = true
          failed(error)
          break
        }
        const status =
          (error as { statusCode?: number; code?: number })?.statusCode ?? (error as { code?: number }).code
        if (status === 410) {
          this.stats.expired++
          this.#resourceVersion = undefined
          continue
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay)
          this.#wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        delay = Math.min(delay * 2, 10_000)
      }
    }
  }

  async #relist(): Promise<void> {
    const { items, resourceVersion } = await this.#list()
    this.stats.lists++
    const seen = new Set<string>()
    for (const item of items) {
      const name = item.metadata?.name
      if (name === undefined) continue
      seen.add(name)
      const before = this.objects.get(name)
      this.objects.set(name, item)
      if (before?.metadata?.resourceVersion !== item.metadata?.resourceVersion) this.#onChange(name, item)
    }
    for (const name of [...this.objects.keys()]) {
      if (!seen.has(name)) {
        this.objects.delete(name)
        this.#onChange(name, undefined)
      }
    }
    this.#resourceVersion = resourceVersion
  }

  /** One watch request; resolves with how it ended: closed by the server, 410 Gone, or an error. */
  #watchOnce(): Promise<'closed' | 'expired' | Error> {
    return new Promise((resolve) => {
      let expired = false
      this.stats.watches++
      this.#watch
        .watch(
          this.#path,
          {
            labelSelector: this.#labelSelector,
            allowWatchBookmarks: true,
            resourceVersion: this.#resourceVersion,
          },
          (type: string, object: T & { code?: number }) => {
            if (type === 'ERROR') {
              if (object?.code === 410) expired = true
              return
            }
            const version = object?.metadata?.resourceVersion
            if (type === 'BOOKMARK') {
              this.stats.bookmarks++
              if (version !== undefined) this.#resourceVersion = version
              return
            }
            const name = object?.metadata?.name
            if (name === undefined) return
            if (version !== undefined) this.#resourceVersion = version
            if (type === 'DELETED') this.objects.delete(name)
            else this.objects.set(name, object)
            this.#onChange(name, type === 'DELETED' ? undefined : object)
          },
          (error: unknown) => {
            if (expired) resolve('expired')
            else if (error === null || error === undefined || this.#stopped) resolve('closed')
            else if ((error as { statusCode?: number }).statusCode === 410) resolve('expired')
            else resolve(error instanceof Error ? error : new Error(String(error)))
          },
        )
        .then((controller) => {
          this.#controller = controller
          if (this.#stopped) controller.abort()
        })
    })
  }
}
