import { spawn } from 'node:child_process'

/** What `bash -n` says about a script. */
export type BashVerdict = 'accepts' | 'rejects' | 'unavailable'

/** How long `bash -n` may take before its answer is given up on (and the diagnostics kept). */
export const BASH_CHECK_TIMEOUT_MS = 5_000

let command = 'bash'
/** Set once `bash` turned out to be missing, so later checks do not try to spawn it again. */
let missing = false

/**
 * Runs `bash -n` (read and parse, execute nothing) on `code`, given on stdin: never through a
 * shell string, with no startup files (`--norc --noprofile`, an environment without `BASH_ENV`
 * or `ENV`) and a time limit. Returns `unavailable` when no `bash` can be started, when it runs
 * past `timeoutMs`, or when it fails for a reason other than the script's syntax.
 */
export function checkWithBash(code: string, timeoutMs = BASH_CHECK_TIMEOUT_MS): Promise<BashVerdict> {
  if (missing) return Promise.resolve('unavailable')
  return new Promise((resolve) => {
    let settled = false
    const settle = (verdict: BashVerdict) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(verdict)
    }
    const child = spawn(command, ['--norc', '--noprofile', '-n'], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
      windowsHide: true,
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      settle('unavailable')
    }, timeoutMs)
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') missing = true
      settle('unavailable')
    })
    let stderr = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk
    })
    child.on('close', (status) => {
      if (status === 0) settle('accepts')
      // bash reports syntax errors with status 2 (1 on some builds) and a message naming the line
      else if (status !== null && /syntax error|unexpected/i.test(stderr)) settle('rejects')
      else settle('unavailable')
    })
    // a script bash stops reading early (a syntax error at the top) closes stdin: not our error
    child.stdin.on('error', () => {})
    child.stdin.end(code)
  })
}

/**
 * @internal Tests only: the command spawned as bash (`undefined` restores `bash`), and forgets
 * that it was missing.
 */
export function setBashCommandForTests(replacement: string | undefined): void {
  command = replacement ?? 'bash'
  missing = false
}
