import { PRELUDE } from "./prelude.js";

/**
 * Answers a query from the sorted sets, after pruning expired ids, reading no documents.
 * ARGV: base, mode ('page' | 'count'), orderBy, ascending ('1'), min time ('-inf' or ms), max time ('+inf' or
 * ms), offset, limit ('' = none), has cursor ('1'), cursor primary, cursor time, cursor id, has asset ('1'),
 * asset, has status ('1'), status, then tag key/value pairs.
 *
 * The candidates are the intersection of the filter zsets (asset, status, each tag): the smallest one (by
 * ZCOUNT in the time range) is walked in (time, id) order and the others are checked with ZSCORE. Order by
 * dataAsset or status walks the lex registry of assets or statuses and, for each, its zset intersected with
 * the filters. The cursor is a keyset position; offset and limit apply after it.
 *
 * count: an integer (ZCOUNT for one filter, ZINTERCARD without a time range, else a walk). page: {more (0|1), then per entry id, asset, status, time, tags JSON}.
 */
export const QUERY_SCRIPT = `${PRELUDE}
local mode, order_by, asc = ARGV[2], ARGV[3], ARGV[4] == '1'
local lo, hi = ARGV[5], ARGV[6]
local offset = tonumber(ARGV[7])
local limit = nil
if ARGV[8] ~= '' then limit = tonumber(ARGV[8]) end
local has_cursor = ARGV[9] == '1'
local c_primary, c_time, c_id = ARGV[10], tonumber(ARGV[11]), ARGV[12]
local has_asset, asset = ARGV[13] == '1', ARGV[14]
local has_status, status = ARGV[15] == '1', ARGV[16]
local CHUNK = 256

prune()

local filters = {}
if has_asset then filters[#filters + 1] = base .. 'i:a:' .. enc(asset) end
if has_status then filters[#filters + 1] = base .. 'i:s:' .. enc(status) end
for i = 17, #ARGV, 2 do
  filters[#filters + 1] = base .. 'i:t:' .. enc(ARGV[i]) .. ':' .. enc(ARGV[i + 1])
end

-- Walks the ids present in every zset of keys with a score in [lo, hi], in (score, id) order (reversed when
-- descending), skipping everything up to and including after = {time, id}. visit returning false stops the
-- walk (and walk returns false).
local function walk(keys, after, visit)
  local driver, smallest
  for i, k in ipairs(keys) do
    local n = redis.call('ZCOUNT', k, lo, hi)
    if n == 0 then return true end
    if not smallest or n < smallest then smallest, driver = n, i end
  end
  local dkey = keys[driver]
  local checks = {}
  for i, k in ipairs(keys) do
    if i ~= driver then checks[#checks + 1] = k end
  end
  local from, to = lo, hi
  if not asc then from, to = hi, lo end
  if after then
    local t = after[1]
    if asc and (lo == '-inf' or t > tonumber(lo)) then from = string.format('%.17g', t) end
    if (not asc) and (hi == '+inf' or t < tonumber(hi)) then from = string.format('%.17g', t) end
  end
  local skip_n, last_score, same = 0, nil, 0
  while true do
    local chunk
    if asc then
      chunk = redis.call('ZRANGE', dkey, from, to, 'BYSCORE', 'LIMIT', skip_n, CHUNK, 'WITHSCORES')
    else
      chunk = redis.call('ZRANGE', dkey, from, to, 'BYSCORE', 'REV', 'LIMIT', skip_n, CHUNK, 'WITHSCORES')
    end
    local n = #chunk / 2
    for j = 1, n do
      local id, score_text = chunk[2 * j - 1], chunk[2 * j]
      if score_text == last_score then same = same + 1 else last_score, same = score_text, 1 end
      local skip = false
      if after and tonumber(score_text) == after[1] then
        local c = bytecmp(id, after[2])
        if (asc and c <= 0) or ((not asc) and c >= 0) then skip = true end
      end
      if not skip then
        for _, ck in ipairs(checks) do
          if not redis.call('ZSCORE', ck, id) then
            skip = true
            break
          end
        end
      end
      if not skip and visit(id) == false then return false end
    end
    if n < CHUNK then return true end
    -- Continue from the last score seen, past the members at that score already walked.
    from, skip_n = last_score, same
  end
end

if mode == 'count' then
  local keys = filters
  if #keys == 0 then keys = {base .. 'i:all'} end
  if #keys == 1 then return redis.call('ZCOUNT', keys[1], lo, hi) end
  if lo == '-inf' and hi == '+inf' then
    -- Redis >= 7 intersects in C; 6.2 lacks ZINTERCARD and walks below.
    local n = redis.pcall('ZINTERCARD', #keys, unpack(keys))
    if type(n) == 'number' then return n end
  end
  local count = 0
  walk(keys, nil, function() count = count + 1 end)
  return count
end

local found, skipped, more = {}, 0, 0
local function collect(id)
  if skipped < offset then
    skipped = skipped + 1
    return true
  end
  if limit and #found == limit then
    more = 1
    return false
  end
  found[#found + 1] = id
  return true
end

if limit == 0 then
  -- nothing to return
elseif order_by == 'runTime' then
  local keys = filters
  if #keys == 0 then keys = {base .. 'i:all'} end
  local after = nil
  if has_cursor then after = {c_time, c_id} end
  walk(keys, after, collect)
else
  local dim, fixed, fixed_value = 's', has_status, status
  if order_by == 'dataAsset' then dim, fixed, fixed_value = 'a', has_asset, asset end
  if fixed then
    -- One stream: the filter names the only value of the ordering field.
    local after, past = nil, false
    if has_cursor then
      local c = bytecmp(fixed_value, c_primary)
      if c == 0 then after = {c_time, c_id}
      elseif (asc and c < 0) or ((not asc) and c > 0) then past = true end
    end
    if not past then walk(filters, after, collect) end
  else
    local registry = base .. 'r:' .. dim
    local lex_from, lex_to = '-', '+'
    if not asc then lex_from, lex_to = '+', '-' end
    if has_cursor then lex_from = '[' .. c_primary end
    local stopped = false
    while not stopped do
      local values
      if asc then
        values = redis.call('ZRANGE', registry, lex_from, lex_to, 'BYLEX', 'LIMIT', 0, CHUNK)
      else
        values = redis.call('ZRANGE', registry, lex_from, lex_to, 'BYLEX', 'REV', 'LIMIT', 0, CHUNK)
      end
      for _, value in ipairs(values) do
        local after = nil
        if has_cursor and value == c_primary then after = {c_time, c_id} end
        local keys = {base .. 'i:' .. dim .. ':' .. enc(value)}
        for _, k in ipairs(filters) do keys[#keys + 1] = k end
        if walk(keys, after, collect) == false then
          stopped = true
          break
        end
      end
      if #values < CHUNK then break end
      lex_from = '(' .. values[#values]
    end
  end
end

local out = {more}
for _, id in ipairs(found) do
  local meta = redis.call('HMGET', base .. 'm:' .. enc(id), 'a', 's', 't', 'g')
  out[#out + 1] = id
  out[#out + 1] = meta[1]
  out[#out + 1] = meta[2]
  out[#out + 1] = meta[3]
  out[#out + 1] = meta[4]
end
return out
`;
