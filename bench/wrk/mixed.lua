-- 90% GET (hits), 10% PUT of a 64-byte value, keys uniformly at random over KEYSPACE.
dofile("bench/wrk/report.lua")

local headers = { ["Content-Type"] = "application/json" }

request = function()
  local path = "/cache/" .. key(math.random(0, KEYSPACE - 1))
  if math.random(10) == 1 then
    return wrk.format("PUT", path, headers, VALUE)
  end
  return wrk.format("GET", path)
end
