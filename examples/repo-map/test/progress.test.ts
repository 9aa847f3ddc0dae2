import { describe, expect, it } from 'vitest'
import { createProgress } from '../src/progress'

function terminal() {
  const writes: string[] = []
  return { writes, stream: { write: (text: string) => writes.push(text), isTTY: true, columns: 60 } }
}

describe('createProgress', () => {
  it('draws nothing before the delay, then a bar, a counter or a spinner, at most every interval', () => {
    let now = 0
    const { writes, stream } = terminal()
    const progress = createProgress(stream, { enabled: true, delayMs: 250, intervalMs: 80, now: () => now })
    progress.update('listing files', 10)
    expect(writes).toEqual([])

    now = 300
    progress.update('listing files', 500)
    expect(writes.at(-1)).toBe('\rlisting files 500  0.3 s')
    now = 320
    progress.update('listing files', 600) // within the interval: not redrawn
    expect(writes).toHaveLength(1)

    now = 400
    progress.update('reading', 50, 200)
    expect(writes.at(-1)).toMatch(/^\rreading █{6}░{18} 50\/200 25% {2}0\.4 s/)
    now = 410
    progress.update('reading', 200, 200) // the last step is always drawn
    expect(writes.at(-1)).toMatch(/^\rreading █{24} 200\/200 100%/)

    now = 500
    progress.update('parsing and ranking 200 files')
    expect(writes.at(-1)).toMatch(/^\r⠋ parsing and ranking 200 files {2}0\.5 s/)

    progress.stop()
    expect(writes.at(-1)).toMatch(/^\r +\r$/)
    now = 1000
    progress.update('after stop', 1)
    expect(writes.at(-1)).toMatch(/^\r +\r$/)
  })

  it('a shorter line blanks out the rest of a longer one, and lines fit the terminal', () => {
    let now = 1000
    const { writes, stream } = terminal()
    const progress = createProgress(stream, { enabled: true, delayMs: 0, intervalMs: 0, now: () => now })
    progress.update('x'.repeat(100), 1)
    expect(writes.at(-1)?.length).toBeLessThanOrEqual(60)
    now += 1
    progress.update('short', 1)
    expect(writes.at(-1)).toMatch(/^\rshort 1 {2}0\.0 s {10,}$/)
  })

  it('a terminal that reports 0 columns gets 80', () => {
    const writes: string[] = []
    const stream = { write: (text: string) => writes.push(text), isTTY: true, columns: 0 }
    const progress = createProgress(stream, { enabled: true, delayMs: 0, now: () => 0 })
    progress.update('reading', 1, 2)
    expect(writes.at(-1)).toMatch(/ 0\.0 s$/)
  })

  it('disabled: writes nothing at all', () => {
    const { writes, stream } = terminal()
    const progress = createProgress(stream, { enabled: false, delayMs: 0 })
    progress.update('reading', 1, 2)
    progress.stop()
    expect(writes).toEqual([])
  })
})
