export type {
  RedisCommandClient,
  RedisRouterState,
  RedisRouterStateConnection,
  RedisRouterStateOptions,
} from './create-redis-router-state'
export { createRedisRouterState } from './create-redis-router-state'
export { RouterStateUnavailableError } from './router-state-unavailable-error'
