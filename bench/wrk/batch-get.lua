-- POST /cache/batch/get of BATCH distinct keys (all preloaded: every key a hit), from a random start.
dofile("bench/wrk/report.lua")

BATCH = 100

rotate_posts("/cache/batch/get", function()
  local keys = {}
  local start = math.random(0, KEYSPACE - 1)
  for i = 1, BATCH do
    keys[i] = '"' .. key((start + i) % KEYSPACE) .. '"'
  end
  return '{"keys":[' .. table.concat(keys, ",") .. ']}'
end)
