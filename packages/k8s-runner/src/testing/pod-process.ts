import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** A container as the fake kubelet reads it from a pod spec. @internal */
export interface ContainerSpec {
  name: string
  image?: string
  command?: string[]
  args?: string[]
  workingDir?: string
  env?: {
    name: string
    value?: string
    valueFrom?: {
      secretKeyRef?: { name: string; key: string; optional?: boolean }
      configMapKeyRef?: { name: string; key: string; optional?: boolean }
      fieldRef?: { fieldPath: string }
    }
  }[]
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[]
  terminationMessagePath?: string
  terminationMessagePolicy?: string
}

/** The log of one container: everything it wrote to stdout and stderr, and who follows it. @internal */
export class ContainerLog {
  #text = ''
  #done = false
  readonly #followers = new Set<{ write(chunk: string): void; end(): void }>()
  static readonly LIMIT = 10 * 1024 * 1024

  get done(): boolean {
    return this.#done
  }

  append(chunk: string): void {
    this.#text += chunk
    if (this.#text.length > ContainerLog.LIMIT) this.#text = this.#text.slice(-ContainerLog.LIMIT)
    for (const follower of this.#followers) follower.write(chunk)
  }

  end(): void {
    this.#done = true
    for (const follower of this.#followers) follower.end()
    this.#followers.clear()
  }

  /** The log, cut to its last `tailLines` lines and then to `limitBytes` bytes. */
  read(options: { tailLines?: number; limitBytes?: number } = {}): string {
    let text = this.#text
    if (options.tailLines !== undefined) {
      const lines = text.split('\n')
      const trailing = lines.at(-1) === '' ? 1 : 0
      text = lines.slice(Math.max(0, lines.length - trailing - options.tailLines)).join('\n')
      if (options.tailLines === 0) text = ''
    }
    if (options.limitBytes !== undefined) text = Buffer.from(text).subarray(0, options.limitBytes).toString()
    return text
  }

  /** Streams what is written from now on to `sink`, until the container ends. */
  follow(sink: { write(chunk: string): void; end(): void }): () => void {
    if (this.#done) {
      sink.end()
      return () => {}
    }
    this.#followers.add(sink)
    return () => this.#followers.delete(sink)
  }
}

/** How a container process ended. @internal */
export interface ContainerExit {
  exitCode: number
  signal: NodeJS.Signals | null
  /** The termination message (the file, or the log tail under FallbackToLogsOnError). */
  message: string
  startedAt: string
  finishedAt: string
}

const MESSAGE_LIMIT = 4096

/**
 * Runs one container's command as a local process in a sandbox directory: volume mount paths and
 * the termination message path in the command, arguments, working directory and environment are
 * rewritten to directories inside the sandbox (the image is ignored). @internal
 */
export class PodProcess {
  readonly log = new ContainerLog()
  readonly startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  readonly #child: ChildProcess
  readonly #terminationFile: string
  readonly #policy: string
  readonly exited: Promise<ContainerExit>
  #killTimer: NodeJS.Timeout | undefined
  /** Why the process was killed, when it was. */
  killReason: string | undefined

  constructor(options: {
    container: ContainerSpec
    sandbox: string
    env: Record<string, string>
    mounts: Record<string, string>
  }) {
    const { container, sandbox } = options
    const terminationPath = container.terminationMessagePath ?? '/dev/termination-log'
    this.#terminationFile = join(sandbox, 'termination-log')
    this.#policy = container.terminationMessagePolicy ?? 'File'
    mkdirSync(dirname(this.#terminationFile), { recursive: true })
    writeFileSync(this.#terminationFile, '')
    const rewrites = Object.entries({ ...options.mounts, [terminationPath]: this.#terminationFile }).sort(
      ([a], [b]) => b.length - a.length,
    )
    // every occurrence of a mounted path (also inside a shell command line) points into the sandbox;
    // the pod's image is this machine's file system, so a file that exists here under a mount
    // (a checkout in /tmp, say) stays visible, as if the image had it outside the mount
    const pattern =
      rewrites.length === 0
        ? undefined
        : new RegExp(
            `(?<![\\w./-])(${rewrites.map(([from]) => escapeRegExp(from)).join('|')})(?![\\w.-])(/[^\\s'";&|<>()$\`]*)?`,
            'g',
          )
    const targets = new Map(rewrites)
    const rewrite = (value: string) =>
      pattern === undefined
        ? value
        : value.replace(pattern, (whole, from: string, rest: string | undefined) =>
            rest !== undefined && rest.length > 1 && existsSync(whole)
              ? whole
              : `${targets.get(from) ?? from}${rest ?? ''}`,
          )
    const env: Record<string, string> = {}
    for (const [name, value] of Object.entries(options.env)) env[name] = rewrite(value)
    const expand = (value: string) =>
      rewrite(value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole))
    const argv = [...(container.command ?? []), ...(container.args ?? [])].map(expand)
    const cwd = container.workingDir === undefined ? sandbox : rewrite(container.workingDir)
    mkdirSync(cwd, { recursive: true })
    const [file, ...args] = argv
    this.#child = spawn(file ?? 'false', args, {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    this.#child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.log.append(chunk))
    this.#child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.log.append(chunk))
    this.exited = new Promise((resolve) => {
      let spawnError: Error | undefined
      this.#child.on('error', (error) => {
        spawnError = error
        this.log.append(`exec ${file}: ${error.message}\n`)
      })
      this.#child.on('close', (code, signal) => {
        clearTimeout(this.#killTimer)
        this.log.end()
        const exitCode = spawnError !== undefined ? 128 : (code ?? 128 + signalNumber(signal))
        resolve({
          exitCode,
          signal,
          message: this.#message(exitCode),
          startedAt: this.startedAt,
          finishedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        })
      })
    })
  }

  /** The process id, or undefined if it did not start. */
  get pid(): number | undefined {
    return this.#child.pid
  }

  /** SIGTERM now, SIGKILL after `graceSeconds` (as a kubelet stops a container). */
  stop(graceSeconds: number, reason?: string): void {
    this.killReason ??= reason
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return
    this.#signal(graceSeconds === 0 ? 'SIGKILL' : 'SIGTERM')
    if (graceSeconds > 0 && this.#killTimer === undefined) {
      this.#killTimer = setTimeout(() => this.#signal('SIGKILL'), graceSeconds * 1000)
    }
  }

  #signal(signal: NodeJS.Signals): void {
    const pid = this.#child.pid
    if (pid === undefined) return
    try {
      process.kill(-pid, signal) // the whole process group, like a container's
    } catch {
      try {
        this.#child.kill(signal)
      } catch {
        // already gone
      }
    }
  }

  #message(exitCode: number): string {
    let message = ''
    try {
      message = readFileSync(this.#terminationFile, 'utf8')
    } catch {
      message = ''
    }
    if (message === '' && exitCode !== 0 && this.#policy === 'FallbackToLogsOnError') {
      message = this.log.read({ tailLines: 80 })
      const bytes = Buffer.from(message)
      if (bytes.length > 2048) message = bytes.subarray(bytes.length - 2048).toString()
    }
    const bytes = Buffer.from(message)
    return bytes.length > MESSAGE_LIMIT ? bytes.subarray(0, MESSAGE_LIMIT).toString() : message
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  switch (signal) {
    case 'SIGKILL':
      return 9
    case 'SIGTERM':
      return 15
    case 'SIGINT':
      return 2
    default:
      return 1
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
