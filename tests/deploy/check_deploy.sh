#!/usr/bin/env bash
# Deployment checks, runnable without a Docker engine, as root or as any user:
#   1. docker-compose.yml is valid for the installed docker-compose (1.29).
#   2. The shipped nginx template, rendered the way the nginx image renders it, passes `nginx -t`.
#   3. The rendered TLS policy enables TLS 1.2 and 1.3 only (and sends HSTS).
#   4. The coco service starts as the image would run it: deploy/coco-entrypoint.sh as uid 10001
#      (when root; else as this user), working directory /, HOME=/nonexistent, with exactly the
#      environment docker-compose.yml gives the service (read through `docker-compose config`).
#      Only the database URL (a throwaway PostgreSQL on 127.0.0.1 this script starts), the
#      listen address and port (127.0.0.1, a free port) and the paths under named volumes (a temp
#      folder owned by that user, as Docker gives a new volume the image folder's owner) are
#      overridden. It must answer 200 on /readyz. This catches a setting that makes the
#      container write where uid 10001 cannot (the signing key once defaulted to the working
#      directory, /). Then `coco keys rotate` through the entrypoint, as that user with that
#      environment, must work and the key set must list both keys. No Docker engine is
#      involved: the image itself is not built here.
# Needs (Debian): docker-compose, nginx-light (or nginx), gettext-base (envsubst), openssl,
# postgresql-15, curl; and a built coco binary ($COCO_BINARY, else build/*/coco).
# Exit status 0 when every check passes; every check is bounded in time and stops what it started.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"
COMPOSE_FILE="$REPO/docker-compose.yml"
TEMPLATE="$REPO/deploy/nginx/templates/default.conf.template"
# The value the test renders for the only template variable. An IP, so `nginx -t` resolves nothing.
TEST_UPSTREAM="127.0.0.1:8080"
# Where the template expects the certificate pair (the nginx service mounts deploy/nginx/certs there).
SHIPPED_CERT="/etc/nginx/certs/tls.crt"
SHIPPED_KEY="/etc/nginx/certs/tls.key"

# A temp prefix whose absolute path is safe to write unquoted into nginx configuration and into
# an awk sub() replacement (no spaces, '$', '&', quotes, backslashes).
tmp_base="${TMPDIR:-/tmp}"
if [[ "$tmp_base" != /* || "$tmp_base" =~ [^A-Za-z0-9._/-] ]]; then
  tmp_base=/tmp
fi
tmp="$(mktemp -d "$tmp_base/coco-deploy-check.XXXXXX")"
tmp="$(cd -- "$tmp" && pwd -P)"
PG_BIN=/usr/lib/postgresql/15/bin
# Stops what check_entrypoint_serves may have left running (on failure or interruption), then
# removes the temp prefix.
cleanup() {
  if [[ -s "$tmp/serve.pid" ]]; then
    kill -KILL "$(cat "$tmp/serve.pid")" 2>/dev/null || true
  fi
  if [[ -f "$tmp/pg/data/postmaster.pid" ]]; then
    as_pg_owner "$PG_BIN/pg_ctl" -D "$tmp/pg/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
  fi
  rm -rf -- "$tmp"
}
# Runs a PostgreSQL binary as the cluster's owner: `postgres` when root (initdb refuses root).
as_pg_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

NGINX_BIN="${NGINX:-$(command -v nginx || true)}"
if [[ -z "$NGINX_BIN" && -x /usr/sbin/nginx ]]; then
  NGINX_BIN=/usr/sbin/nginx # /usr/sbin is not on a regular user's PATH on Debian
fi

need() { # need COMMAND DEBIAN_PACKAGE
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "the '$1' command is missing: install the Debian package '$2' (apt-get install $2)"
    return 1
  fi
}

# The template as the nginx image renders it at start: envsubst restricted to the variables
# defined in the environment (docker-compose.yml narrows them further with NGINX_ENVSUBST_FILTER),
# so nginx's own $variables pass through. Writes $tmp/rendered.conf.
# shellcheck disable=SC2016 # the literal '${COCO_UPSTREAM}' is meant
render_template() {
  [[ -s "$tmp/rendered.conf" ]] && return 0
  need envsubst gettext-base || return 1
  [[ -f "$TEMPLATE" ]] || { echo "missing template: $TEMPLATE"; return 1; }
  # Only ${COCO_UPSTREAM} may refer to the environment; any other ${NAME} or $UPPERCASE name
  # (outside comments) would silently become a value, or an empty string, in the image.
  local stray
  stray="$(sed -e 's/#.*$//' "$TEMPLATE" | grep -noE '\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*' |
           grep -v ':\${COCO_UPSTREAM}$' || true)"
  if [[ -n "$stray" ]]; then
    echo "template refers to environment variables other than \${COCO_UPSTREAM} (line:name):"
    echo "$stray"
    return 1
  fi
  grep -q '\${COCO_UPSTREAM}' "$TEMPLATE" || { echo "template does not use \${COCO_UPSTREAM}"; return 1; }
  COCO_UPSTREAM="$TEST_UPSTREAM" envsubst '${COCO_UPSTREAM}' <"$TEMPLATE" >"$tmp/rendered.part"
  mv -- "$tmp/rendered.part" "$tmp/rendered.conf"
}

# A loopback TCP port nothing answers on (bash's /dev/tcp connect is refused), other than $1.
free_port() {
  local port i
  for ((i = 0; i < 100; i++)); do
    port=$((20000 + RANDOM % 40000))
    [[ "$port" == "${1:-}" ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free loopback port found" >&2
  return 1
}

# Non-comment lines of the rendered configuration.
rendered_directives() { sed -e 's/#.*$//' "$tmp/rendered.conf"; }

# ---- checks (each runs in a subshell with errexit on) ------------------------------------------

check_compose() {
  if ! command -v docker-compose >/dev/null 2>&1; then
    echo "docker-compose is not installed: install the Debian package 'docker-compose'"
    exit 1
  fi
  docker-compose -f "$COMPOSE_FILE" config -q
}

check_nginx_t() {
  if [[ -z "$NGINX_BIN" ]]; then
    echo "nginx is not installed: install the Debian package 'nginx-light' (or 'nginx')"
    exit 1
  fi
  need openssl openssl
  render_template

  # Four lines are changed, nothing else: the two certificate paths point at a throwaway pair in
  # the temp prefix, and the two listen ports become free loopback ports (`nginx -t` binds every
  # listen socket: ports 80/443 need root and may be taken, e.g. by a local nginx). Each shipped
  # line must be found exactly once, and no other listen directive may exist.
  mkdir -p "$tmp/conf.d" "$tmp/certs" "$tmp/logs" "$tmp/temp"
  local http_port https_port n
  http_port="$(free_port)"
  https_port="$(free_port "$http_port")"
  RULES=4 ERRORS="$tmp/rewrite.err" \
  RE_1='^[[:space:]]*listen[[:space:]]+80([[:space:]][^;]*)?;' SUB_1='listen[[:space:]]+80' \
    REP_1="listen 127.0.0.1:$http_port" \
  RE_2='^[[:space:]]*listen[[:space:]]+443([[:space:]][^;]*)?;' SUB_2='listen[[:space:]]+443' \
    REP_2="listen 127.0.0.1:$https_port" \
  RE_3="^[[:space:]]*ssl_certificate[[:space:]]+$SHIPPED_CERT;" SUB_3="$SHIPPED_CERT" \
    REP_3="$tmp/certs/tls.crt" \
  RE_4="^[[:space:]]*ssl_certificate_key[[:space:]]+$SHIPPED_KEY;" SUB_4="$SHIPPED_KEY" \
    REP_4="$tmp/certs/tls.key" \
  awk '
    BEGIN { n = ENVIRON["RULES"] }
    {
      for (i = 1; i <= n; i++) {
        if ($0 ~ ENVIRON["RE_" i]) {
          hits[i]++
          sub(ENVIRON["SUB_" i], ENVIRON["REP_" i])
          print
          next
        }
      }
      if ($0 ~ /^[[:space:]]*listen[[:space:]]/) {
        printf "line %d: a listen directive this test does not know how to relocate: %s\n", NR, $0 \
          >ENVIRON["ERRORS"]
        bad = 1
      }
      print
    }
    END {
      for (i = 1; i <= n; i++) {
        if (hits[i] != 1) {
          printf "expected exactly one line matching /%s/, found %d\n", ENVIRON["RE_" i], hits[i] \
            >ENVIRON["ERRORS"]
          bad = 1
        }
      }
      exit bad
    }' "$tmp/rendered.conf" >"$tmp/conf.d/default.conf" || { cat "$tmp/rewrite.err"; exit 1; }
  n="$(diff "$tmp/rendered.conf" "$tmp/conf.d/default.conf" | grep -c '^>' || true)"
  [[ "$n" == 4 ]] || { echo "the rewrite changed $n lines instead of 4"; exit 1; }

  openssl req -x509 -newkey rsa:2048 -sha256 -days 2 -nodes -subj "/CN=localhost" \
    -keyout "$tmp/certs/tls.key" -out "$tmp/certs/tls.crt" >"$tmp/openssl.log" 2>&1 ||
    { cat "$tmp/openssl.log"; exit 1; }

  # Temp paths for the modules this nginx was built with (Debian's defaults are under /var/lib/nginx,
  # which a regular user cannot write).
  local temp_paths="    client_body_temp_path $tmp/temp/client_body;
    proxy_temp_path $tmp/temp/proxy;"
  local mod
  for mod in fastcgi uwsgi scgi; do
    if ! "$NGINX_BIN" -V 2>&1 | grep -q -- "--without-http_${mod}_module"; then
      temp_paths+="
    ${mod}_temp_path $tmp/temp/$mod;"
    fi
  done

  # The http block mirrors the one in the official image's /etc/nginx/nginx.conf (so a directive
  # the template repeats at http level is caught as a duplicate), with every path in the prefix.
  # No `user` directive, so this works as root and as a regular user.
  cat >"$tmp/nginx.conf" <<EOF
worker_processes 1;
pid $tmp/nginx.pid;
error_log stderr notice;

events {
    worker_connections 64;
}

http {
    types {
        text/html html;
        application/json json;
    }
    default_type application/octet-stream;

    log_format main '\$remote_addr - \$remote_user [\$time_local] "\$request" '
                    '\$status \$body_bytes_sent "\$http_referer" '
                    '"\$http_user_agent" "\$http_x_forwarded_for"';
    access_log $tmp/logs/access.log main;

    sendfile on;
    keepalive_timeout 65;

$temp_paths

    include $tmp/conf.d/*.conf;
}
EOF
  "$NGINX_BIN" -t -p "$tmp/" -c "$tmp/nginx.conf" -e stderr
}

check_tls_policy() {
  render_template
  local lines
  lines="$(rendered_directives | grep -E '(^|[[:space:];{])ssl_protocols[[:space:]]' || true)"
  if [[ "$(printf '%s\n' "$lines" | grep -c .)" != 1 ]]; then
    echo "expected exactly one ssl_protocols directive, found:"
    printf '%s\n' "$lines"
    exit 1
  fi
  if ! grep -qE '^[[:space:]]*ssl_protocols[[:space:]]+TLSv1\.2[[:space:]]+TLSv1\.3[[:space:]]*;[[:space:]]*$' \
       <<<"$lines"; then
    echo "ssl_protocols is not exactly 'TLSv1.2 TLSv1.3': $lines"
    exit 1
  fi
  # No legacy protocol named anywhere outside comments (SSLv2, SSLv3, TLSv1, TLSv1.1).
  local legacy
  legacy="$(rendered_directives |
            grep -nE '(^|[^A-Za-z0-9.])(SSLv2|SSLv3|TLSv1|TLSv1\.1)([^0-9.]|$)' || true)"
  if [[ -n "$legacy" ]]; then
    echo "legacy SSL/TLS protocol named in the configuration:"
    echo "$legacy"
    exit 1
  fi
  if ! rendered_directives | grep -qE '^[[:space:]]*add_header[[:space:]]+Strict-Transport-Security[[:space:]]+"max-age=[0-9]+'; then
    echo "no Strict-Transport-Security header"
    exit 1
  fi
  echo "ok: ssl_protocols TLSv1.2 TLSv1.3 only, HSTS set"
}

# The coco binary to run: $COCO_BINARY, else the newest build/*/coco.
coco_binary() {
  if [[ -n "${COCO_BINARY:-}" ]]; then echo "$COCO_BINARY"; return 0; fi
  local found
  found="$(ls -t "$REPO"/build/*/coco 2>/dev/null | head -n 1 || true)"
  [[ -n "$found" ]] || { echo "no coco binary: set COCO_BINARY or build into build/" >&2; return 1; }
  echo "$found"
}

# True while process $1 runs (an exited child not yet reaped is a zombie: not running).
running() {
  local state=""
  [[ -r "/proc/$1/stat" ]] || return 1
  read -r _ _ state _ <"/proc/$1/stat" 2>/dev/null || return 1
  [[ -n "$state" && "$state" != Z ]]
}

check_entrypoint_serves() {
  need docker-compose docker-compose
  need curl curl
  [[ -x "$PG_BIN/initdb" ]] || { echo "PostgreSQL 15 is missing: install postgresql-15"; exit 1; }
  local binary
  binary="$(coco_binary)"
  [[ -x "$binary" ]] || { echo "not an executable: $binary"; exit 1; }

  # The user the image runs as (Dockerfile: useradd --uid 10001, USER coco).
  grep -qE -- '--uid 10001 ' "$REPO/Dockerfile" && grep -qx 'USER coco' "$REPO/Dockerfile" ||
    { echo "the Dockerfile no longer runs as uid 10001 (USER coco): update this check"; exit 1; }
  local uid gid
  if [[ "$(id -u)" -eq 0 ]]; then uid=10001 gid=10001; else uid="$(id -u)" gid="$(id -g)"; fi

  # The coco service's environment and named-volume mounts, as docker-compose resolves them.
  docker-compose -f "$COMPOSE_FILE" config >"$tmp/compose.yml"
  /usr/bin/python3 - "$tmp/compose.yml" "$tmp/env" "$tmp/volume-targets" <<'PY'
import sys, yaml
service = yaml.safe_load(open(sys.argv[1]))["services"]["coco"]
env = service.get("environment") or {}
if isinstance(env, list):
    env = dict(item.split("=", 1) for item in env)
with open(sys.argv[2], "w") as out:
    for name, value in env.items():
        value = "" if value is None else str(value)
        if "\n" in value or "\0" in value:
            sys.exit("multi-line environment value for " + name)
        out.write(name + "=" + value + "\n")
with open(sys.argv[3], "w") as out:
    # Named volumes only ("NAME:/target[:mode]" as docker-compose 1.29 prints them, or the long
    # syntax); bind mounts ("/host:/target", "./dir:/target") are not the image's business.
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            if volume.get("type") == "volume":
                out.write(volume["target"] + "\n")
            continue
        parts = str(volume).split(":")
        if len(parts) >= 2 and not parts[0].startswith(("/", ".", "~")):
            out.write(parts[1] + "\n")
PY

  # A world uid 10001 can read: the binary, the entrypoint and the catalogue in a 0755 prefix.
  chmod 0755 "$tmp"
  mkdir -p "$tmp/bin" "$tmp/volumes"
  cp "$binary" "$tmp/bin/coco"
  cp "$REPO/deploy/coco-entrypoint.sh" "$tmp/bin/coco-entrypoint"
  cp -R "$REPO/standards" "$tmp/standards"
  chmod -R a+rX "$tmp/bin" "$tmp/standards"
  chmod 0755 "$tmp/volumes"

  # Each named volume becomes a fresh folder owned by that user (the Dockerfile must create the
  # mount point owned by uid 10001 for Docker to do the same); values under it are moved there.
  local -a sed_args=()
  local target n=0 local_dir
  while IFS= read -r target; do
    [[ -n "$target" ]] || continue
    grep -qF -- "$target" "$REPO/Dockerfile" ||
      { echo "the Dockerfile does not create $target (a named volume's mount point) for uid 10001"; exit 1; }
    n=$((n + 1))
    local_dir="$tmp/volumes/$n"
    mkdir -m 0700 "$local_dir"
    chown "$uid:$gid" "$local_dir"
    sed_args+=(-e "s#=${target}/#=${local_dir}/#" -e "s#=${target}\$#=${local_dir}#")
  done <"$tmp/volume-targets"

  # The throwaway database, on loopback only.
  mkdir -p "$tmp/pg/data"
  chmod 0755 "$tmp/pg"
  [[ "$(id -u)" -ne 0 ]] || chown postgres:postgres "$tmp/pg/data"
  chmod 0700 "$tmp/pg/data"
  as_pg_owner "$PG_BIN/initdb" -D "$tmp/pg/data" -U coco --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log"; exit 1; }
  local pg_port coco_port
  pg_port="$(free_port)"
  coco_port="$(free_port "$pg_port")"
  as_pg_owner "$PG_BIN/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/data/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $tmp/pg/data -c fsync=off" start >/dev/null ||
    { cat "$tmp/pg/data/server.log"; exit 1; }
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U coco coco

  {
    grep -vE '^(COCO_DATABASE_URL|COCO_BIND|COCO_PORT)=' "$tmp/env" | sed "${sed_args[@]}" -e ''
    echo "COCO_DATABASE_URL=postgresql://coco@127.0.0.1:$pg_port/coco"
    echo "COCO_BIND=127.0.0.1"
    echo "COCO_PORT=$coco_port"
    echo "COCO_STANDARDS_DIR=$tmp/standards"
    echo "PATH=$tmp/bin:/usr/local/bin:/usr/bin:/bin"
    echo "HOME=/nonexistent"
    # Sanitizer settings of a test build pass through; they are not part of the image.
    local name
    for name in ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; do
      [[ -z "${!name:-}" ]] || echo "$name=${!name}"
    done
  } >"$tmp/serve.env"
  echo "environment of the coco service, with the overrides:"
  sed -e 's/^/  /' "$tmp/serve.env"

  local -a as_user=()
  if [[ "$(id -u)" -eq 0 ]]; then
    as_user=(setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all)
  fi
  local -a env_words=()
  mapfile -t env_words <"$tmp/serve.env"
  (cd / && exec "${as_user[@]}" env -i "${env_words[@]}" "$tmp/bin/coco-entrypoint") \
    >"$tmp/serve.log" 2>&1 &
  echo $! >"$tmp/serve.pid"
  local pid status=000 i
  pid="$(cat "$tmp/serve.pid")"
  for ((i = 0; i < 240; i++)); do # at most ~60 s, a quarter second apart
    if ! running "$pid"; then
      echo "the entrypoint exited before /readyz answered 200; its output:"
      sed -e 's/^/  /' "$tmp/serve.log"
      exit 1
    fi
    status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$coco_port/readyz" || true)"
    [[ "$status" == 200 ]] && break
    sleep 0.25
  done
  if [[ "$status" != 200 ]]; then
    echo "/readyz never answered 200 (last: $status); the output:"
    sed -e 's/^/  /' "$tmp/serve.log"
    exit 1
  fi
  echo "ok: /readyz answered 200 as uid $uid with working directory /"
  # The signing key it made is private to that user (and, in compose, inside a named volume).
  local key
  key="$(sed -n 's/^COCO_SIGNING_KEY=//p' "$tmp/serve.env")"
  if [[ -n "$key" ]]; then
    [[ "$(stat -c '%a %u' "$key" 2>/dev/null)" == "600 $uid" ]] ||
      { echo "the signing key $key is not a mode 0600 file of uid $uid"; exit 1; }
    echo "ok: signing key $key, mode 0600, owner uid $uid"
  fi

  # The documented rotation (`docker-compose exec coco coco keys rotate`) as that user, with that
  # environment: the key set then lists the new key and the retired one.
  local rotated kids
  rotated="$(cd / && "${as_user[@]}" env -i "${env_words[@]}" "$tmp/bin/coco-entrypoint" \
               keys rotate 2>"$tmp/rotate.err")" || { cat "$tmp/rotate.err"; exit 1; }
  kids="$(curl -s --max-time 5 "http://127.0.0.1:$coco_port/.well-known/jwks.json" |
          grep -o '"kid":"[0-9a-f]*"' | wc -l)"
  [[ "$kids" == 2 ]] || { echo "after keys rotate the key set lists $kids keys, not 2"; exit 1; }
  if [[ -n "$key" && "$(stat -c '%a %u' "$key" 2>/dev/null)" != "600 $uid" ]]; then
    echo "after keys rotate, $key is not a mode 0600 file of uid $uid"
    exit 1
  fi
  echo "ok: keys rotate as uid $uid made $rotated the signing key; the key set lists 2 keys"

  kill -TERM "$pid"
  for ((i = 0; i < 80; i++)); do # at most 20 s
    running "$pid" || break
    sleep 0.25
  done
  if running "$pid"; then
    kill -KILL "$pid"
    echo "coco did not stop within 20 s of SIGTERM"
    exit 1
  fi
  wait "$pid" || true
  : >"$tmp/serve.pid"
  as_pg_owner "$PG_BIN/pg_ctl" -D "$tmp/pg/data" -m fast -w -t 20 stop >/dev/null
}

# ---- runner ------------------------------------------------------------------------------------

passed=0
failed=0

run_check() { # run_check LABEL FUNCTION
  local label="$1" fn="$2" rc
  set +e
  (set -e; "$fn") >"$tmp/$fn.out" 2>&1
  rc=$?
  set -e
  if [[ $rc -eq 0 ]]; then
    printf 'PASS  %s\n' "$label"
    passed=$((passed + 1))
  else
    printf 'FAIL  %s\n' "$label"
    sed -e 's/^/      /' "$tmp/$fn.out"
    failed=$((failed + 1))
  fi
}

run_check "docker-compose config -q ($COMPOSE_FILE)" check_compose
run_check "nginx -t on the rendered template (COCO_UPSTREAM=$TEST_UPSTREAM)" check_nginx_t
run_check "TLS policy in the rendered template (TLSv1.2 TLSv1.3 only)" check_tls_policy
run_check "coco-entrypoint serves with the compose environment as an unprivileged user" \
  check_entrypoint_serves

echo "deploy: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
