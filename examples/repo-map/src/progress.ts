/** Where the progress display writes: a terminal, usually `process.stderr`. */
export interface ProgressStream {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

/** A progress display on one terminal line, redrawn in place. */
export interface Progress {
  /**
   * Shows `label` with `done` of `total` (a bar), `done` alone when the total is unknown (a
   * counter), or only the label and the time so far (work that reports no steps). Redraws at most
   * every `intervalMs`.
   */
  update(label: string, done?: number, total?: number): void
  /** Clears the line. The display stays off afterwards. */
  stop(): void
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Off: every call does nothing (not a terminal, `--no-progress`, `--json` piped on…). */
  enabled: boolean
  /** Nothing is drawn before this many ms have passed, so a small tree shows no flicker. Default 250. */
  delayMs?: number
  /** Least time between two redraws, ms. Default 80. */
  intervalMs?: number
  /** The clock, ms. Default `performance.now`. */
  now?: () => number
}

const BAR_WIDTH = 24
const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'

/**
 * A progress display for a terminal: a bar with a count and a percentage, or a counter, with the
 * time so far, drawn on one line with `\r` and cleared at the end. It draws only on a terminal,
 * only after `delayMs` (small trees finish before it shows), and at most every `intervalMs`.
 */
export function createProgress(stream: ProgressStream, options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now())
  const started = now()
  const delayMs = options.delayMs ?? 250
  const intervalMs = options.intervalMs ?? 80
  let drawnAt: number | undefined
  let width = 0
  let frame = 0
  let stopped = !options.enabled
  return {
    update(label, done, total) {
      if (stopped) return
      const at = now()
      if (at - started < delayMs) return
      const finished = done !== undefined && total !== undefined && done >= total
      if (drawnAt !== undefined && at - drawnAt < intervalMs && !finished) return
      drawnAt = at
      const seconds = `${((at - started) / 1000).toFixed(1)} s`
      let line: string
      if (done === undefined) {
        line = `${SPINNER[frame++ % SPINNER.length]} ${label}  ${seconds}`
      } else if (total === undefined || total <= 0) {
        line = `${label} ${done.toLocaleString('en-US')}  ${seconds}`
      } else {
        const ratio = Math.min(1, done / total)
        const filled = Math.round(ratio * BAR_WIDTH)
        const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`
        line =
          `${label} ${bar} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ` +
          `${Math.floor(ratio * 100)}%  ${seconds}`
      }
      // a pseudo-terminal may report 0 columns
      const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80
      if (line.length > columns - 1) line = line.slice(0, columns - 1)
      stream.write(`\r${line}${' '.repeat(Math.max(0, width - line.length))}`)
      width = line.length
    },
    stop() {
      if (!stopped && width > 0) stream.write(`\r${' '.repeat(width)}\r`)
      stopped = true
    },
  }
}
