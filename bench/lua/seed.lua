-- Each wrk thread has its own Lua state with the same default seed: without this, all threads would
-- send the same sequence of ids in lockstep (for commands: needless collisions on the same order).
-- Loaded with dofile by the scripts that pick random ids (wrk runs from the repository root).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end
