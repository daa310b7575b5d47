-- GET a random id from the file named by env BENCH_IDS, on the path prefix BENCH_PATH (e.g. /api/products/).
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local prefix = os.getenv("BENCH_PATH")
local token = os.getenv("BENCH_TOKEN")
request = function()
  return wrk.format("GET", prefix .. ids[math.random(#ids)], { ["Authorization"] = "Bearer " .. token })
end

-- Each wrk thread has its own Lua state with the same default seed: without this, both threads would
-- send the same sequence of ids in lockstep (for commands: needless collisions on the same order).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end
