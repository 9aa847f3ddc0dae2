#!/usr/bin/env node
// The k8s-fanout command. The demo is TypeScript and runs through tsx, a TypeScript loader
// that works on Node 20 (which cannot strip types itself): no build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli.ts')
process.exitCode = await main(process.argv.slice(2))
