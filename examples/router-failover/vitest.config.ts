import { defineQlProject } from '../../vitest.shared.ts'

export default defineQlProject('router-failover')
