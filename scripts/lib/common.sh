# Shared by scripts/run and scripts/test: packages, tools, build, and a private PostgreSQL 15.
# Sourced, not run. Every function fails loudly; callers use `set -euo pipefail`.

COCO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PG_BIN=/usr/lib/postgresql/15/bin

# Debian packages the build, the tests and the run need.
COCO_PACKAGES=(
  build-essential cmake pkg-config git ca-certificates
  libpistache-dev libpqxx-dev libspdlog-dev nlohmann-json3-dev libssl-dev libcurl4-openssl-dev
  libvalijson-dev libyaml-cpp-dev rapidjson-dev
  libgtest-dev libgmock-dev
  postgresql-15 postgresql-client-15
  openssl curl jq
)
# Only the tests need these: the deployment checks, the load tools, the fuzz targets, the
# format and naming checks, and the browser for the web front end's tests.
COCO_TEST_PACKAGES=(docker-compose nginx-light gettext-base python3-aiosmtpd clang-14 libclang-rt-14-dev
                    libfuzzer-14-dev clang-format-14 clang-tidy-14 chromium)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $* (install sudo or run as root)"
  fi
}

# Installs whichever of the given packages are missing; apt-get update only when something is.
install_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# npm packages of DIR from its lock file, only when the lock changed since the last install.
npm_install_locked() {
  local dir="$1" what="$2"
  local stamp="$dir/node_modules/.coco-lock-sha"
  local want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "installing $what (${dir#"$COCO_ROOT"/}/package-lock.json)"
  # Three tries: the registry sometimes drops a connection mid-download (EIDLETIMEOUT), which
  # npm's own fetch retries do not cover. `npm ci` starts from an empty node_modules each time.
  local attempt
  for attempt in 1 2 3; do
    if (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
      echo "$want" > "$stamp"
      return 0
    fi
    if [ "$attempt" -lt 3 ]; then
      say "npm ci failed (try $attempt of 3); trying again in $((attempt * 15)) s"
      sleep $((attempt * 15))
    fi
  done
  die "could not install $what (see the npm errors above)"
}

# Node itself comes from Debian (nodejs, npm) unless some node and npm are already installed.
install_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    install_packages nodejs npm
  fi
}

# npm tooling (OpenAPI lint, the vendored docs viewer).
install_tools() {
  install_node
  npm_install_locked "$COCO_ROOT/tools" "npm tooling"
}

# The web front end (ui/): its packages, then types from the contract, the type check and the
# esbuild bundle into ui/dist.
build_ui() {
  install_node
  npm_install_locked "$COCO_ROOT/ui" "the web front end's packages"
  say "building the web front end in ui/dist"
  local out
  out="$(cd "$COCO_ROOT/ui" && npm run --silent build 2>&1)" || {
    printf '%s\n' "$out" >&2
    die "the web front end did not build (type check or bundle; see above)"
  }
}

# wait_for_http URL NAME: until URL answers 2xx, for up to 60 s.
wait_for_http() {
  local url="$1" name="$2" _
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.1
  done
  die "$name did not answer at $url within 60 s"
}

# build DIR BUILD_TYPE [cmake args...]
build() {
  local dir="$1" type="$2"
  shift 2
  say "building ($type) in ${dir#"$COCO_ROOT"/}"
  cmake -S "$COCO_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  cmake --build "$dir" -j2 -- --no-print-directory >/dev/null
}

# free_port [TAKEN...]: a loopback TCP port nothing holds, none of TAKEN. Chosen below the
# kernel's ephemeral range: outgoing connections (a test's database pool, say) take their local
# ports from that range, and a port one of them holds cannot be listened on even though nothing
# answers there, so a port picked inside it can be lost between the pick and the bind.
free_port() {
  local low=32768 port taken other
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  [ "$low" -gt 11024 ] || die "the ephemeral port range starts at $low: no room below it"
  for _ in $(seq 1 100); do
    port=$(( 10000 + RANDOM % (low - 10000) ))
    taken=0
    for other in "$@"; do [ "$port" = "$other" ] && taken=1; done
    [ "$taken" -eq 0 ] || continue
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    echo "$port"
    return 0
  done
  die "no free port found"
}

# Runs a PostgreSQL binary as the cluster's owner: `postgres` when we are root (initdb and
# postgres refuse to run as root), else ourselves.
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_init DATADIR: initdb once. Superuser `coco`, trust on loopback and the private socket only.
pg_init() {
  local data="$1"
  [ -f "$data/PG_VERSION" ] && return 0
  say "initialising a PostgreSQL 15 cluster in $data"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    mkdir -p "$data"
    chown postgres:postgres "$data"
  else
    mkdir -p "$data"
  fi
  chmod 700 "$data"
  pg_as_owner "$PG_BIN/initdb" -D "$data" -U coco --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >/dev/null
}

# pg_start DATADIR PORT [extra postgres options]: starts the cluster on 127.0.0.1:PORT with its
# socket inside DATADIR/run, and waits until it accepts connections.
pg_start() {
  local data="$1" port="$2"
  shift 2
  local sockets="$data/run"
  pg_as_owner mkdir -p "$sockets"
  pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $sockets $*" start >/dev/null ||
    { cat "$data/server.log" >&2; die "PostgreSQL did not start"; }
}

pg_stop() {
  local data="$1"
  [ -f "$data/postmaster.pid" ] || return 0
  pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_ensure_database PORT NAME
pg_ensure_database() {
  local port="$1" name="$2"
  if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U coco -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U coco "$name"
  fi
}
