/**
 * Lua shared by every script. ARGV[1] is always the namespace's key base (`<keyPrefix>{<namespace>}:`).
 *
 * Key layout under the base (ids, assets, statuses and tag parts are percent-encoded into key segments, so no
 * user text can add `:`, `*`, `{`, `}` or newlines to a key):
 *   d:<id>            string  one byte n, the etag (n bytes), then the stored bytes (the only key with a TTL)
 *   s:<etag>          string  a save's staged value, renamed to d:<id> by the save script (expires in 60 s)
 *   m:<id>            hash    what the index holds for the id: a (asset), s (status), t (run time ms),
 *                           g (tags JSON), tk (its tag index keys, one per line)
 *   i:all             zset  every id, score = run time ms
 *   i:a:<asset>       zset  ids of one data asset, score = run time ms
 *   i:s:<status>      zset  ids of one status, score = run time ms
 *   i:t:<key>:<value> zset  ids with one tag, score = run time ms
 *   r:a, r:s          zset  (lex, score 0) the assets and statuses that have at least one id
 *   x                 zset  ids with a TTL, score = expiry ms (Redis server time)
 *
 * Within one score, members sort by their bytes: UTF-8 byte order is code-point order, so a zset walk gives
 * exactly the reference order `[runTime, id]`.
 */
export const PRELUDE = `
local base = ARGV[1]

local function enc(s)
  local out = string.gsub(s, '[^A-Za-z0-9_%.~%-]', function(c)
    return string.format('%%%02X', string.byte(c))
  end)
  local first = string.sub(out, 1, 1)
  if first == '.' or first == '_' then
    out = string.format('%%%02X', string.byte(first)) .. string.sub(out, 2)
  end
  return out
end

-- The etag at the head of a stored document, or false.
local function etag_of(dkey)
  local head = redis.call('GETRANGE', dkey, 0, 255)
  if head == '' then return false end
  return string.sub(head, 2, 1 + string.byte(head, 1))
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function lines(s)
  local out = {}
  if not s or s == '' then return out end
  for part in string.gmatch(s, '[^\\n]+') do out[#out + 1] = part end
  return out
end

local function unregister_if_empty(zkey, registry, member)
  if redis.call('EXISTS', zkey) == 0 then redis.call('ZREM', registry, member) end
end

-- Removes an id from every index it is in (as its meta hash records) and drops the meta hash.
local function unindex(id)
  local mkey = base .. 'm:' .. enc(id)
  local meta = redis.call('HMGET', mkey, 'a', 's', 'tk')
  -- An id in x always has a meta hash, so an id without one is in no index at all.
  if not meta[1] then return false end
  redis.call('ZREM', base .. 'x', id)
  redis.call('ZREM', base .. 'i:all', id)
  local akey = base .. 'i:a:' .. enc(meta[1])
  redis.call('ZREM', akey, id)
  unregister_if_empty(akey, base .. 'r:a', meta[1])
  local skey = base .. 'i:s:' .. enc(meta[2])
  redis.call('ZREM', skey, id)
  unregister_if_empty(skey, base .. 'r:s', meta[2])
  for _, tkey in ipairs(lines(meta[3])) do redis.call('ZREM', tkey, id) end
  redis.call('DEL', mkey)
  return true
end

-- Drops every id whose TTL has passed (Redis expires a key once now > its expiry, hence the open bound).
-- Reads the server clock only when some id has a TTL; returns the time it read, or nil.
local function prune()
  local first = redis.call('ZRANGE', base .. 'x', 0, 0, 'WITHSCORES')
  if #first == 0 then return nil end
  local now = now_ms()
  if tonumber(first[2]) >= now then return now end
  local expired = redis.call('ZRANGE', base .. 'x', '-inf', '(' .. string.format('%d', now), 'BYSCORE')
  for _, id in ipairs(expired) do
    unindex(id)
    redis.call('DEL', base .. 'd:' .. enc(id))
  end
  return now
end

-- memcmp order (Lua's own < uses the server's locale).
local function bytecmp(a, b)
  if a == b then return 0 end
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      if x < y then return -1 else return 1 end
    end
  end
  if #a < #b then return -1 else return 1 end
end
`;
