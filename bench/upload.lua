-- wrk script: POSTs the file named by COCO_BENCH_FILE as the raw body. Each request changes the
-- first 16 bytes, so every upload is new bytes that must really be hashed and stored (the server
-- dedupes identical files).
local path = os.getenv("COCO_BENCH_FILE")
local file = assert(io.open(path, "rb"))
local body = file:read("*a")
file:close()
local tail = body:sub(17)
local counter = 0
local made = 0

-- Runs in the main state: give each thread its own id, so threads never send the same bytes.
function setup(thread)
  made = made + 1
  thread:set("thread_id", made)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/pdf"
wrk.headers["Expect"] = ""

function request()
  counter = counter + 1
  local prefix = string.format("%08d%08d", thread_id, counter)
  return wrk.format(nil, nil, nil, prefix .. tail)
end
