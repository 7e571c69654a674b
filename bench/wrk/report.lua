-- Shared by every wrk script of scripts/bench-http.sh (loaded with dofile): prints one machine-readable line
-- with the run's request count, duration, errors (socket errors and non-2xx/3xx answers) and latency percentiles.
-- Used alone (wrk -s bench/wrk/report.lua) for fixed-URL runs that need no per-request Lua.
KEYSPACE = 10000
VALUE = '"' .. string.rep("v", 62) .. '"'   -- a 64-byte JSON string

function key(i)
  return string.format("key:%012d", i)
end

-- Posts JSON bodies to path: 64 of them built once per thread by make_body() and sent in turn, so the client
-- spends no time building JSON while it measures.
function rotate_posts(path, make_body)
  local headers = { ["Content-Type"] = "application/json" }
  local bodies = {}
  local turn = 0
  init = function(args)
    for b = 1, 64 do
      bodies[b] = make_body()
    end
  end
  request = function()
    turn = turn % #bodies + 1
    return wrk.format("POST", path, headers, bodies[turn])
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"errors":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,'
      .. '"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.mean))
end
