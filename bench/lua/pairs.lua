-- GET BENCH_PATH .. <id> (or BENCH_PATH alone if BENCH_FIXED=1) with the token of a random line of the
-- file BENCH_PAIRS ("<token> <id>" per line): many tenants in one run.
local pairs_ = {}
for line in io.lines(os.getenv("BENCH_PAIRS")) do
  local token, id = line:match("^(%S+)%s+(%S+)$")
  pairs_[#pairs_ + 1] = { token, id }
end
local prefix = os.getenv("BENCH_PATH")
local fixed = os.getenv("BENCH_FIXED") == "1"
request = function()
  local p = pairs_[math.random(#pairs_)]
  return wrk.format("GET", fixed and prefix or (prefix .. p[2]), { ["Authorization"] = "Bearer " .. p[1] })
end


dofile("bench/lua/seed.lua")
