-- wrk script: GET <path prefix>/<random supplier id><suffix>, ids read from the file named by
-- the SUPPLIER_IDS environment variable (one per line), with the token in TOKEN if set.
local ids = {}
local suffix = os.getenv("PATH_SUFFIX") or "/status"
local token = os.getenv("TOKEN")

function init(args)
  for line in io.lines(os.getenv("SUPPLIER_IDS")) do
    ids[#ids + 1] = line
  end
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end

function request()
  local headers = {}
  if token then headers["Authorization"] = "Bearer " .. token end
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/suppliers/" .. id .. suffix, headers)
end
