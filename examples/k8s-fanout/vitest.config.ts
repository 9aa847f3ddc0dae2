import { defineQlProject } from '../../vitest.shared.ts'

export default defineQlProject('k8s-fanout')
