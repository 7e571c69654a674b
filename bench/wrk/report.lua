-- Shared by every wrk script of scripts/bench-http.sh (loaded with dofile): prints one machine-readable line
-- with the run's request count, duration, errors (socket errors and non-2xx/3xx answers) and latency percentiles.
-- Used alone (wrk -s bench/wrk/report.lua) for fixed-URL runs that need no per-request Lua.
KEYSPACE = 10000
VALUE = '"' .. string.rep("v", 62) .. '"'   -- a 64-byte JSON string

function key(i)
  return string.format("key:%012d", i)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"errors":%d,"p50_us":%d,"p99_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
