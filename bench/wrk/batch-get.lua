-- POST /cache/batch/get of BATCH distinct keys (all preloaded: every key a hit). 64 request bodies of random keys are
-- built once per thread and sent in turn, so the client spends no time building JSON while it measures.
dofile("bench/wrk/report.lua")

BATCH = 100
local headers = { ["Content-Type"] = "application/json" }
local bodies = {}
local turn = 0

init = function(args)
  for b = 1, 64 do
    local keys = {}
    local start = math.random(0, KEYSPACE - 1)
    for i = 1, BATCH do
      keys[i] = '"' .. key((start + i) % KEYSPACE) .. '"'   -- distinct keys from a random start
    end
    bodies[b] = '{"keys":[' .. table.concat(keys, ",") .. ']}'
  end
end

request = function()
  turn = turn % #bodies + 1
  return wrk.format("POST", "/cache/batch/get", headers, bodies[turn])
end
