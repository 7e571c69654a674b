-- POST /cache/batch/set of BATCH items with 64-byte JSON values, BATCH distinct keys from a random start. 64 request
-- bodies are built once per thread and sent in turn.
dofile("bench/wrk/report.lua")

BATCH = 100
local headers = { ["Content-Type"] = "application/json" }
local bodies = {}
local turn = 0

init = function(args)
  for b = 1, 64 do
    local items = {}
    local start = math.random(0, KEYSPACE - 1)
    for i = 1, BATCH do
      items[i] = '"' .. key((start + i) % KEYSPACE) .. '":' .. VALUE   -- distinct keys from a random start
    end
    bodies[b] = '{"items":{' .. table.concat(items, ",") .. '}}'
  end
end

request = function()
  turn = turn % #bodies + 1
  return wrk.format("POST", "/cache/batch/set", headers, bodies[turn])
end
