import { PRELUDE } from "./prelude.js";

/** Writes an id's meta hash and adds it to its indexes; the tag key/value pairs are ARGV[first_tag..]. */
export const INDEX_ENTRY = `
local function index_entry(id, time, asset, status, tags_json, first_tag)
  local tag_keys = {}
  for i = first_tag, #ARGV, 2 do
    local tkey = base .. 'i:t:' .. enc(ARGV[i]) .. ':' .. enc(ARGV[i + 1])
    tag_keys[#tag_keys + 1] = tkey
    redis.call('ZADD', tkey, time, id)
  end
  redis.call('HSET', base .. 'm:' .. enc(id), 'a', asset, 's', status, 't', time, 'g', tags_json,
    'tk', table.concat(tag_keys, '\\n'))
  redis.call('ZADD', base .. 'i:all', time, id)
  redis.call('ZADD', base .. 'i:a:' .. enc(asset), time, id)
  redis.call('ZADD', base .. 'r:a', 0, asset)
  redis.call('ZADD', base .. 'i:s:' .. enc(status), time, id)
  redis.call('ZADD', base .. 'r:s', 0, status)
end
`;

/**
 * Saves one document and its index entries atomically. The client first SETs the document (etag header
 * included) under the staging key s:<etag>, in the same pipeline, so the bytes never pass through Lua; this
 * script checks the conditions and then RENAMEs the staged value into place (O(1)) or drops it.
 * ARGV: base, id, new etag, run time ms, asset, status, tags JSON, ttl ms ('' = none), ifMatch ('' = none),
 * ifNoneMatch ('1' = "*"), then tag key/value pairs.
 * Returns {'ok'} | {'ok', 'replayed'} (a retried call whose first attempt was applied) | {'conflict', why} |
 * {'unstaged'} (the staged value is missing: the SET before did not run).
 */
export const SAVE_SCRIPT = `${PRELUDE}${INDEX_ENTRY}
local id, etag, time, ttl = ARGV[2], ARGV[3], ARGV[4], ARGV[8]
local if_match, if_none_match = ARGV[9], ARGV[10]
local now = prune()
local dkey = base .. 'd:' .. enc(id)
local staged = base .. 's:' .. etag
local current = etag_of(dkey)
if current == etag then
  redis.call('DEL', staged)
  return {'ok', 'replayed'}
end
local conflict = nil
if if_none_match == '1' and current then conflict = 'exists' end
if if_match ~= '' and current ~= if_match then
  if current then conflict = 'etag' else conflict = 'missing' end
end
if conflict then
  redis.call('DEL', staged)
  return {'conflict', conflict}
end
-- Moves the staged value into place first: if it is missing (its SET did not run), nothing has changed.
local moved = redis.pcall('RENAME', staged, dkey)
if type(moved) == 'table' and moved.err then return {'unstaged'} end
unindex(id)
index_entry(id, time, ARGV[5], ARGV[6], ARGV[7], 11)
if ttl ~= '' then
  local expires = (now or now_ms()) + tonumber(ttl)
  redis.call('PEXPIREAT', dkey, expires)
  redis.call('ZADD', base .. 'x', expires, id)
else
  redis.call('PERSIST', dkey)
end
return {'ok'}
`;

/** Deletes one document and its index entries. ARGV: base, id. Returns 1 if a live document was deleted. */
export const DELETE_SCRIPT = `${PRELUDE}
local id = ARGV[2]
prune()
local dkey = base .. 'd:' .. enc(id)
local existed = redis.call('EXISTS', dkey)
unindex(id)
redis.call('DEL', dkey)
return existed
`;
