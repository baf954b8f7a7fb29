-- (a) A feature request for a layer in view: the mining blocks inside a map view around Datong.
-- Override the layer or the view with env BENCH_LAYER / BENCH_BBOX.
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA_DIR") or ".") .. "/?.lua"
local report = require("report")

local layer = os.getenv("BENCH_LAYER") or "mining_blocks"
local bbox = os.getenv("BENCH_BBOX") or "113.0,39.6,114.4,40.4"
wrk.method = "GET"
wrk.path = "/api/layers/" .. layer .. "/features?bbox=" .. bbox
wrk.headers["Accept"] = "application/geo+json"

done = report.done
