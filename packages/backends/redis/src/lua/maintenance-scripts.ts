import { PRELUDE } from "./prelude.js";
import { INDEX_ENTRY } from "./write-scripts.js";

/**
 * Re-indexes one stored document from its decoded contents, keeping its bytes, etag and TTL.
 * ARGV: base, id, run time ms, asset, status, tags JSON, then tag key/value pairs. Returns 0 if the document
 * is gone, else 1.
 */
export const REINDEX_SCRIPT = `${PRELUDE}${INDEX_ENTRY}
local id, time = ARGV[2], ARGV[3]
local now = prune() or now_ms()
local dkey = base .. 'd:' .. enc(id)
local ttl = redis.call('PTTL', dkey)
if ttl == -2 then return 0 end
unindex(id)
index_entry(id, time, ARGV[4], ARGV[5], ARGV[6], 7)
if ttl > 0 then redis.call('ZADD', base .. 'x', now + ttl, id) end
return 1
`;

/** Drops the meta hash and index entries of ids whose document is gone. ARGV: base, ids. Returns how many. */
export const SWEEP_META_SCRIPT = `${PRELUDE}
local removed = 0
for i = 2, #ARGV do
  local id = ARGV[i]
  if redis.call('EXISTS', base .. 'd:' .. enc(id)) == 0 and unindex(id) then removed = removed + 1 end
end
return removed
`;

/**
 * Removes members of one index zset that their meta hash does not place there (stray or dangling entries),
 * and registry values whose zset is gone. ARGV: base, zset key, members. Returns how many were removed.
 */
export const SWEEP_INDEX_SCRIPT = `${PRELUDE}
local zkey = ARGV[2]
local removed = 0
local registry = nil
if zkey == base .. 'r:a' then registry = 'a' elseif zkey == base .. 'r:s' then registry = 's' end
for i = 3, #ARGV do
  local member = ARGV[i]
  local keep
  if registry then
    keep = redis.call('EXISTS', base .. 'i:' .. registry .. ':' .. enc(member)) == 1
  else
    local meta = redis.call('HMGET', base .. 'm:' .. enc(member), 'a', 's', 'tk')
    keep = false
    if meta[1] then
      if zkey == base .. 'i:all' or zkey == base .. 'i:a:' .. enc(meta[1]) or zkey == base .. 'i:s:' .. enc(meta[2]) then
        keep = true
      else
        for _, tkey in ipairs(lines(meta[3])) do
          if tkey == zkey then keep = true break end
        end
      end
    end
  end
  if not keep then
    redis.call('ZREM', zkey, member)
    removed = removed + 1
  end
end
return removed
`;

/** Evaluates the key-segment encoding the scripts use (for tests that compare it with the client's). */
export const ENCODE_SCRIPT = `${PRELUDE}
local out = {}
for i = 2, #ARGV do out[#out + 1] = enc(ARGV[i]) end
return out
`;
