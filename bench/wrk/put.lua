-- PUT /cache/{key} with a 64-byte JSON value, keys uniformly at random over KEYSPACE (replacements after warm-up).
dofile("bench/wrk/report.lua")

local headers = { ["Content-Type"] = "application/json" }

request = function()
  return wrk.format("PUT", "/cache/" .. key(math.random(0, KEYSPACE - 1)), headers, VALUE)
end
