-- wrk script: POSTs the file named by COCO_BENCH_FILE as the raw body. Each request changes the
-- first 16 bytes, so every upload is new bytes that must really be hashed and stored (the server
-- dedupes identical files).
local path = os.getenv("COCO_BENCH_FILE")
local file = assert(io.open(path, "rb"))
local body = file:read("*a")
file:close()
local tail = body:sub(17)
local counter = 0
local thread_id = math.random(1, 1000000)

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/pdf"
wrk.headers["Expect"] = ""

function request()
  counter = counter + 1
  local prefix = string.format("%08d%08d", thread_id % 100000000, counter % 100000000)
  return wrk.format(nil, nil, nil, prefix .. tail)
end
