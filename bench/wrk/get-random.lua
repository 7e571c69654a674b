-- GET /cache/{key} over the KEYSPACE preloaded keys, uniformly at random: every request is a hit.
dofile("bench/wrk/report.lua")

request = function()
  return wrk.format("GET", "/cache/" .. key(math.random(0, KEYSPACE - 1)))
end
