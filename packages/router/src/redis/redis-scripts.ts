import { createHash } from 'node:crypto'

/** A Lua script with its SHA-1, run with EVALSHA (EVAL once when the server does not know it yet). */
export interface RedisScript {
  readonly name: string
  readonly source: string
  readonly sha: string
}

function script(name: string, source: string): RedisScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') }
}

// Numbers travel as strings: Redis turns a Lua number reply into an integer, and Lua's tostring
// keeps 14 significant digits (epoch ms and latencies fit).

/** How many fields `READ_TARGETS` returns per target. */
export const READ_TARGETS_FIELDS = 6

/**
 * Reads each target's state hash (KEYS: one per target). ARGV: none. Returns, per target, the
 * fields `cooldown`, `breaker`, `ttft`, `total`, `ttftAt`, `totalAt` (nil when unset), flattened.
 */
export const READ_TARGETS = script(
  'read-targets',
  `local out = {}
for i = 1, #KEYS do
  local v = redis.call('HMGET', KEYS[i], 'cooldown', 'breaker', 'ttft', 'total', 'ttftAt', 'totalAt')
  for j = 1, 6 do out[(i - 1) * 6 + j] = v[j] end
end
return out`,
)

/**
 * Extends a cooldown (never shortens it). KEYS[1]: the state hash. ARGV: now, until, ttl ms.
 * Returns the cooldown in force afterwards, or nil.
 */
export const EXTEND_COOLDOWN = script(
  'extend-cooldown',
  `local now = tonumber(ARGV[1])
local untilv = tonumber(ARGV[2])
local cur = tonumber(redis.call('HGET', KEYS[1], 'cooldown'))
if cur ~= nil and cur <= now then
  redis.call('HDEL', KEYS[1], 'cooldown')
  cur = nil
end
if untilv <= now then
  if cur == nil then return false end
  return tostring(cur)
end
if cur == nil or untilv > cur then
  redis.call('HSET', KEYS[1], 'cooldown', ARGV[2])
  cur = untilv
end
local need = math.max(tonumber(ARGV[3]), cur - now + 1000)
if redis.call('PTTL', KEYS[1]) < need then redis.call('PEXPIRE', KEYS[1], math.ceil(need)) end
return tostring(cur)`,
)

/**
 * Stores a breaker snapshot (JSON) unless the stored one is newer. KEYS[1]: the state hash.
 * ARGV: since, snapshot JSON, ttl ms. Returns the snapshot JSON kept.
 */
export const SET_BREAKER = script(
  'set-breaker',
  `local old = redis.call('HGET', KEYS[1], 'breaker')
if old then
  local ok, stored = pcall(cjson.decode, old)
  if ok and type(stored) == 'table' and tonumber(stored.since) ~= nil and tonumber(ARGV[1]) < tonumber(stored.since) then
    return old
  end
end
redis.call('HSET', KEYS[1], 'breaker', ARGV[2])
local ttl = tonumber(ARGV[3])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return ARGV[2]`,
)

/**
 * Adds a latency sample to an EWMA and stamps it (field `<field>At`). KEYS[1]: the state hash.
 * ARGV: field (ttft|total), sample, alpha, ttl ms, now, max age ms ('' for none: a sample after
 * an average older than it replaces the average). Returns the EWMA after the sample.
 */
export const RECORD_LATENCY = script(
  'record-latency',
  `local sample = tonumber(ARGV[2])
local stamp = ARGV[1] .. 'At'
local stored = redis.call('HMGET', KEYS[1], ARGV[1], stamp)
local cur = tonumber(stored[1])
local at = tonumber(stored[2])
local maxAge = tonumber(ARGV[6])
if cur ~= nil and maxAge ~= nil and at ~= nil and tonumber(ARGV[5]) - at > maxAge then cur = nil end
local value = sample
if cur ~= nil then value = cur + tonumber(ARGV[3]) * (sample - cur) end
local text = tostring(value)
redis.call('HSET', KEYS[1], ARGV[1], text, stamp, ARGV[5])
local ttl = tonumber(ARGV[4])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return text`,
)

/**
 * Takes shared rpm/tpm capacity over a sliding window. KEYS[1]: sorted set of reservations by
 * start time; KEYS[2]: hash reservation -> tokens, plus '#sum'. ARGV: now, window ms, rpm ('' for
 * none), tpm ('' for none), tokens, reservation id. Returns {1} when granted, else
 * {0, reason, retryAt} (retryAt '-1': never fits, more tokens than the whole limit).
 */
export const RESERVE_CAPACITY = script(
  'reserve-capacity',
  `local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local rpm = tonumber(ARGV[3])
local tpm = tonumber(ARGV[4])
local tokens = tonumber(ARGV[5])
local cutoff = now - window
local sum = tonumber(redis.call('HGET', KEYS[2], '#sum')) or 0
while true do
  local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', cutoff, 'LIMIT', 0, 500)
  if #old == 0 then break end
  local spent = redis.call('HMGET', KEYS[2], unpack(old))
  for i = 1, #spent do sum = sum - (tonumber(spent[i]) or 0) end
  redis.call('HDEL', KEYS[2], unpack(old))
  redis.call('ZREM', KEYS[1], unpack(old))
end
if sum < 0 then sum = 0 end
local count = redis.call('ZCARD', KEYS[1])
local reason = nil
local retry = -math.huge
if rpm ~= nil and count >= rpm then
  local e = redis.call('ZRANGE', KEYS[1], count - rpm, count - rpm, 'WITHSCORES')
  reason = 'rpm'
  retry = tonumber(e[2]) + window
end
if tpm ~= nil then
  if tokens > tpm then
    reason = reason or 'tpm'
    retry = math.huge
  elseif sum + tokens > tpm then
    reason = reason or 'tpm'
    local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
    local freed = 0
    local at = math.huge
    for i = 1, #entries, 2 do
      freed = freed + (tonumber(redis.call('HGET', KEYS[2], entries[i])) or 0)
      if sum - freed + tokens <= tpm then
        at = tonumber(entries[i + 1]) + window
        break
      end
    end
    if at > retry then retry = at end
  end
end
if reason ~= nil then
  if retry == math.huge then return {0, reason, '-1'} end
  return {0, reason, tostring(retry)}
end
redis.call('ZADD', KEYS[1], now, ARGV[6])
redis.call('HSET', KEYS[2], ARGV[6], ARGV[5], '#sum', tostring(sum + tokens))
redis.call('PEXPIRE', KEYS[1], window + 1000)
redis.call('PEXPIRE', KEYS[2], window + 1000)
return {1}`,
)

/**
 * Corrects a reservation's tokens with the call's actual usage. KEYS[1]: the tokens hash. ARGV:
 * reservation id, actual tokens. Returns 1 when the reservation was still in the window, else 0.
 */
export const SETTLE_CAPACITY = script(
  'settle-capacity',
  `local old = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
if old == nil then return 0 end
local sum = (tonumber(redis.call('HGET', KEYS[1], '#sum')) or 0) + tonumber(ARGV[2]) - old
if sum < 0 then sum = 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], '#sum', tostring(sum))
return 1`,
)
