-- (b) POST /api/check with a fixture application (a mining-right coordinate string, text/plain):
-- the conformance review runs in full for every request. BENCH_CONTENT_TYPE=application/geo+json for a GeoJSON body.
package.path = package.path .. ";" .. (os.getenv("BENCH_LUA_DIR") or ".") .. "/?.lua"
local report = require("report")

local path = os.getenv("BENCH_APPLICATION")
local f = assert(io.open(path, "rb"), "BENCH_APPLICATION not readable: " .. tostring(path))
local body = f:read("*a")
f:close()

wrk.method = "POST"
-- The URL's own path and query when it names one (latency.sh: /api/check?kind=mining&…, the application's
-- attributes); /api/check when the URL is the server's root (load.sh).
if wrk.path == nil or wrk.path == "" or wrk.path == "/" then wrk.path = "/api/check" end
wrk.body = body
wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") or "text/plain; charset=utf-8"

done = report.done
