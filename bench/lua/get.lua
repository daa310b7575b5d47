-- GET the fixed path in env BENCH_PATH with the bearer token in env BENCH_TOKEN.
local path = os.getenv("BENCH_PATH")
local token = os.getenv("BENCH_TOKEN")
-- No token (bench/peer's plain quickstart): no Authorization header at all.
local auth = {}
if token and token ~= "" then auth["Authorization"] = "Bearer " .. token end
request = function()
  return wrk.format("GET", path, auth)
end
