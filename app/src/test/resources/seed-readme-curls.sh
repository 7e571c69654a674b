# Every curl command of the original (Python) CacheGrid README, verbatim and in its order. SeedReadmeCurlTest runs
# each block against a real node, with http://localhost:8080 pointed at the node's port, and checks that the output
# holds every text its "expect" line lists ("HTTP 200" is the status; "||" separates the texts).

# expect: HTTP 200 || "status":"healthy"
curl http://localhost:8080/health

# expect: HTTP 200 || "success":true || "key":"hello"
curl -X PUT "http://localhost:8080/cache/hello" \
  -H "Content-Type: application/json" \
  -d '"Hello CacheGrid!"'

# expect: HTTP 200 || "value":"Hello CacheGrid!" || "hit":true
curl "http://localhost:8080/cache/hello"

# expect: HTTP 200 || "success":true || "key":"user:123"
curl -X PUT "http://localhost:8080/cache/user:123" \
  -H "Content-Type: application/json" \
  -d '{"name": "Alice", "age": 30}'

# expect: HTTP 200 || "key":"session:abc" || "ttl":3600
curl -X PUT "http://localhost:8080/cache/session:abc?ttl=3600" \
  -H "Content-Type: application/json" \
  -d '{"token": "xyz123", "user_id": "alice"}'

# expect: HTTP 200 || "value":{"name": "Alice", "age": 30} || "exists":true
curl "http://localhost:8080/cache/user:123"

# expect: HTTP 200 || "deleted":true || "key":"user:123"
curl -X DELETE "http://localhost:8080/cache/user:123"

# expect: HTTP 200 || "success":true || "items_removed":2
curl -X DELETE "http://localhost:8080/cache?confirm=true"

# expect: HTTP 200 || "items_requested":2 || "items_set":2 || "ttl":3600
curl -X POST "http://localhost:8080/cache/batch/set" \
  -H "Content-Type: application/json" \
  -d '{
    "items": {
      "user:123": {"name": "Alice"},
      "user:456": {"name": "Bob"}
    },
    "ttl": 3600
  }'

# expect: HTTP 200 || "requested_keys":2 || "found_keys":2 || {"value":{"name": "Bob"},"exists":true,"hit":true}
curl -X POST "http://localhost:8080/cache/batch/get" \
  -H "Content-Type: application/json" \
  -d '{"keys": ["user:123", "user:456"]}'

# expect: HTTP 200 || "hits": || "current_size":2 || "hit_ratio":
curl "http://localhost:8080/stats"

# expect: HTTP 200 || "status":"healthy" || "cache_size":2
curl "http://localhost:8080/health"

# expect: HTTP 200 || "total_found":2 || "returned":2 || "pattern":"user:"
curl "http://localhost:8080/admin/keys?pattern=user:&limit=10"

# expect: HTTP 202 || "operation_type":"mixed" || "num_operations":1000
curl -X POST "http://localhost:8080/test/load?num_operations=1000&operation_type=mixed"

# expect: HTTP 200 || swagger-ui
curl http://localhost:8080/docs

# expect: HTTP 202 || "num_operations":5000
curl -X POST "http://localhost:8080/test/load?num_operations=5000&operation_type=mixed"

# expect: HTTP 200 || "hits": || "misses": || "evictions": || "current_size": || "hit_ratio": || "memory_usage_mb": || "uptime_seconds":
curl "http://localhost:8080/stats"

# expect: HTTP 200 || "uptime_seconds": || "hit_ratio": || "memory_usage_mb": || "last_check":
curl "http://localhost:8080/health"

# expect: "memory_usage_mb":
curl "http://localhost:8080/stats" | grep memory

# expect: HTTP 200 || "status":"healthy"
curl "http://localhost:8080/health"

# expect: "hit_ratio":
curl "http://localhost:8080/stats" | grep hit_ratio

# expect: HTTP 202 || "num_operations":1000
curl -X POST "http://localhost:8080/test/load?num_operations=1000"
