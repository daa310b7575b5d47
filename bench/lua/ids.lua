-- GET a random id from the file named by env BENCH_IDS, on the path prefix BENCH_PATH (e.g. /api/products/).
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local prefix = os.getenv("BENCH_PATH")
local token = os.getenv("BENCH_TOKEN")
-- No token (bench/peer's plain quickstart): no Authorization header at all.
local auth = {}
if token and token ~= "" then auth["Authorization"] = "Bearer " .. token end
request = function()
  return wrk.format("GET", prefix .. ids[math.random(#ids)], auth)
end


dofile("bench/lua/seed.lua")
