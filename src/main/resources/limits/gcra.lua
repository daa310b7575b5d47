-- GCRA over several keys at once (tessera limits/RedisLimiter): the request is admitted only if every
-- key admits it, and then it is counted against every key; a refused request is counted against none.
-- KEYS[i]: one bucket (its value: the theoretical arrival time, microseconds of Redis's clock).
-- ARGV[2i-1]: the bucket's emission interval in microseconds (1e6 / rate); ARGV[2i]: its burst.
-- Returns {admitted (1|0), retry after (µs, 0 if admitted), remaining_1, reset_1 (µs), remaining_2, ...}:
-- remaining -1 marks a key that refused; reset is the time until the key's bucket is full again.
-- Redis's own clock: every replica of the service reads the same time, whatever its own clock says.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local n = #KEYS
local wait = 0
local tats = {}
local out = {1, 0}
for i = 1, n do
  local interval = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
  if tat < now then tat = now end
  local new_tat = tat + interval
  local allow_at = new_tat - burst * interval
  if now < allow_at then
    if allow_at - now > wait then wait = allow_at - now end
    out[2 * i + 1] = -1
    out[2 * i + 2] = tat - now
  else
    tats[i] = new_tat
    out[2 * i + 1] = math.floor((now - allow_at) / interval)
    out[2 * i + 2] = new_tat - now
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
