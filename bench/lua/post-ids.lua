-- POST env BENCH_BODY to BENCH_PATH .. <random id from the file BENCH_IDS> .. BENCH_SUFFIX, so that
-- commands spread over many orders (e.g. /api/orders/<id>/items).
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local prefix = os.getenv("BENCH_PATH")
local suffix = os.getenv("BENCH_SUFFIX") or ""
local token = os.getenv("BENCH_TOKEN")
local body = os.getenv("BENCH_BODY")
request = function()
  return wrk.format("POST", prefix .. ids[math.random(#ids)] .. suffix,
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end


dofile("bench/lua/seed.lua")
