import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { generateApiKey, hashApiKey } from '../src/api-keys'
import { main } from '../src/cli'
import { post } from './gateway-client'

// starting the command loads tsx, yoga and the SDKs: seconds on a loaded machine
const START_MS = 90_000
const bin = join(dirname(fileURLToPath(import.meta.url)), '../bin/graphql-gateway.mjs')
const scratch = mkdtempSync(join(tmpdir(), 'graphql-gateway-cli-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('the graphql-gateway command', () => {
  it(
    'serves with a keys file, offline, and stops gracefully on SIGTERM',
    async () => {
      const { key, keyId, hash } = generateApiKey('cli')
      const keysFile = join(scratch, 'keys.json')
      writeFileSync(keysFile, JSON.stringify({ clients: [{ id: 'acme', keys: [{ id: keyId, hash }] }] }))
      const child = spawn(
        process.execPath,
        ['--conditions=@ql/source', bin, '--port', '0', '--keys', keysFile],
        {
          // no provider credentials: offline
          env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      let output = ''
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk
      })
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      const endpoint = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk
          const match = /listening on (\S+)/.exec(output)
          if (match?.[1]) resolve(match[1])
        })
        void exited.then((code) => reject(new Error(`exited with ${code}: ${output}`)))
      })
      try {
        expect(output.split('\n')[0]).toMatch(/^OFFLINE: /)
        expect(output).not.toContain('development key') // the keys file is used
        const answer = await post(endpoint, key, 'mutation { generate(input: { prompt: "hi" }) { text } }')
        expect(answer.body.data?.generate.text).toMatch(/offline fake provider/)
        expect((await post(endpoint, generateApiKey().key, '{ usage { requests } }')).status).toBe(401)
      } finally {
        child.kill('SIGTERM')
      }
      expect(await exited).toBe(0)
      expect(output).toMatch(/SIGTERM: finishing \d+ request\(s\) in flight, then stopping\nstopped\n$/)
    },
    START_MS,
  )

  it('prints a new key and its record, and refuses bad arguments', async () => {
    const run = async (args: string[]) => {
      let stdout = ''
      let stderr = ''
      const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        stdout += String(chunk)
        return true
      })
      const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
        stderr += String(chunk)
        return true
      })
      try {
        return { code: await main(args, {}), stdout, stderr }
      } finally {
        out.mockRestore()
        err.mockRestore()
      }
    }
    const made = await run(['new-key', '--client', 'acme', '--key-id', 'acme-2026'])
    expect(made.code).toBe(0)
    const key = /qlgw_acme-2026_\S{43}/.exec(made.stdout)?.[0] as string
    const record = JSON.parse(made.stdout.trim().split('\n').at(-1) as string)
    expect(record).toEqual({ id: 'acme-2026', hash: hashApiKey(key) })
    expect((await run(['new-key'])).code).toBe(2)
    const bad = await run(['--nope'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/Unknown option '--nope'/)
    expect((await run(['--help'])).stdout).toMatch(/^graphql-gateway: /)
  })
})
