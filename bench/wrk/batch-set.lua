-- POST /cache/batch/set of BATCH items with 64-byte JSON values, BATCH distinct keys from a random start.
dofile("bench/wrk/report.lua")

BATCH = 100

rotate_posts("/cache/batch/set", function()
  local items = {}
  local start = math.random(0, KEYSPACE - 1)
  for i = 1, BATCH do
    items[i] = '"' .. key((start + i) % KEYSPACE) .. '":' .. VALUE
  end
  return '{"items":{' .. table.concat(items, ",") .. '}}'
end)
