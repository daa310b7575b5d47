-- GCRA over several keys at once (tessera limits/RedisLimiter): the request is admitted only if every
-- key has room, and then it is counted against every key; a refused request is counted against none.
-- A caller may take several tokens of a key at once (a lease, limits/LeasedLimiter): it gets what it
-- asked for, or fewer if fewer are free, but at least one of every key or nothing at all.
-- KEYS[i]: one bucket (its value: the theoretical arrival time, microseconds of Redis's clock).
-- ARGV[3i-2]: the bucket's emission interval in microseconds (1e6 / rate); ARGV[3i-1]: its burst;
-- ARGV[3i]: how many tokens the caller wants (>= 1).
-- Returns {admitted (1|0), retry after (µs, 0 if admitted), granted_1, remaining_1, reset_1, granted_2, ...}:
-- remaining -1 marks a key that refused; reset is the time until the key's bucket is full again.
-- Redis's own clock: every replica of the service reads the same time, whatever its own clock says.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local n = #KEYS
local wait = 0
local tats = {}
local out = {1, 0}
for i = 1, n do
  local interval = tonumber(ARGV[3 * i - 2])
  local burst = tonumber(ARGV[3 * i - 1])
  local want = tonumber(ARGV[3 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
  if tat < now then tat = now end
  -- Free tokens: the largest k with tat + k * interval - burst * interval <= now.
  local free = math.floor((now - tat) / interval) + burst
  local grant = math.min(want, free)
  if grant < 1 then
    local allow_at = tat + interval - burst * interval
    if allow_at - now > wait then wait = allow_at - now end
    out[3 * i] = 0
    out[3 * i + 1] = -1
    out[3 * i + 2] = tat - now
  else
    tats[i] = tat + grant * interval
    out[3 * i] = grant
    out[3 * i + 1] = free - grant
    out[3 * i + 2] = tats[i] - now
  end
end
if wait > 0 then
  out[1] = 0
  out[2] = wait
  return out
end
for i = 1, n do
  -- '%.0f': a plain tostring would print 1.7e+15 and lose the microseconds.
  redis.call('SET', KEYS[i], string.format('%.0f', tats[i]), 'PX', math.floor((tats[i] - now) / 1000) + 1000)
end
return out
