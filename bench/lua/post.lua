-- POST env BENCH_BODY (with %d replaced by a per-thread counter, for unique SKUs) to env BENCH_PATH.
local path = os.getenv("BENCH_PATH")
local token = os.getenv("BENCH_TOKEN")
-- No token (bench/peer's plain quickstart): no Authorization header at all.
local auth = {}
if token and token ~= "" then auth["Authorization"] = "Bearer " .. token end
local body = os.getenv("BENCH_BODY")
local counter = 0
local id = "0"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", tostring(threads) .. "-" .. tostring(os.time()))
end
function init(args)
  id = tid
end
request = function()
  counter = counter + 1
  local b = string.gsub(body, "%%d", id .. "-" .. counter)
  return wrk.format("POST", path, { Authorization = auth.Authorization, ["Content-Type"] = "application/json" }, b)
end
