-- Takes from several token buckets atomically: all of them or none (RedisRateLimiter; the same arithmetic as
-- LocalRateLimiter). Redis runs a script alone, so every gateway replica sees one consistent state.
-- KEYS[i]: bucket i, a hash {tokens, ms, cap}. ARGV[1]: window in ms (a bucket refills its whole capacity over it);
-- then per bucket i: ARGV[2i] = capacity, ARGV[2i+1] = cost.
-- The clock is Redis's own (TIME), so replicas' clocks do not matter. Needs Redis >= 5 (effects replication).
-- Returns {allowed (1/0), then per bucket: remaining (whole tokens), ms until full, ms until it holds the cost}.
local window = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = #KEYS
local caps, costs, tokens = {}, {}, {}
local allowed = 1
for i = 1, n do
  local cap = tonumber(ARGV[2 * i])
  local cost = math.min(tonumber(ARGV[2 * i + 1]), cap)
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'ms', 'cap')
  local tk = cap
  if state[1] then
    -- a tier change adds or removes the difference at once
    tk = tonumber(state[1]) + (cap - tonumber(state[3]))
    local last = tonumber(state[2])
    if now > last then
      tk = tk + (now - last) * cap / window
    end
    tk = math.max(0, math.min(cap, tk))
  end
  caps[i], costs[i], tokens[i] = cap, cost, tk
  if cap <= 0 or tk < cost then
    allowed = 0
  end
end
local result = {allowed}
for i = 1, n do
  local cap, cost, tk = caps[i], costs[i], tokens[i]
  if allowed == 1 then
    tk = tk - cost
    redis.call('HSET', KEYS[i], 'tokens', tostring(tk), 'ms', now, 'cap', cap)
    redis.call('PEXPIRE', KEYS[i], window)
  end
  if cap <= 0 then
    table.insert(result, 0)
    table.insert(result, window)
    table.insert(result, window)
  else
    table.insert(result, math.floor(tk))
    table.insert(result, math.ceil((cap - tk) * window / cap))
    if tk >= cost then
      table.insert(result, 0)
    else
      table.insert(result, math.ceil((cost - tk) * window / cap))
    end
  end
end
return result
