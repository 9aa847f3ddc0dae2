import { defineQlProject } from '../../vitest.shared.ts'

export default defineQlProject('graphql-gateway')
