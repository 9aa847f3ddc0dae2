import { createRequire } from 'node:module'
import { mergeConfig } from 'vitest/config'
import { defineQlProject } from '../../vitest.shared.ts'

// graphql 16 ships an ESM build (index.mjs, what vite picks for our sources) beside its CJS
// build (index.js, what graphql-yoga gets from Node): two copies whose errors and schemas fail
// each other's `instanceof`. Node runs the gateway with one copy; give the tests the same one.
const graphql = createRequire(import.meta.url).resolve('graphql')

export default mergeConfig(defineQlProject('graphql-gateway'), {
  resolve: { alias: [{ find: /^graphql$/, replacement: graphql }] },
})
