#!/usr/bin/env bash
# Deployment checks, runnable without a Docker engine, as root or as any user:
#   1. docker-compose.yml is valid for the installed docker-compose (1.29) given a UI session
#      secret, and refuses to start without one. Its services agree with each other and with the
#      nginx template: nginx's environment defines exactly the template's variables, the
#      upstreams point at the coco and ui services' ports, the ui service calls coco directly,
#      runs behind TLS (secure cookies) with init, a health check and healthy dependencies, and
#      only nginx publishes a port.
#   2. The shipped nginx template, rendered the way the nginx image renders it (COCO_UPSTREAM,
#      COCO_UI_UPSTREAM and COCO_UI_HOST, no other variable), passes `nginx -t`.
#   3. The rendered TLS policy enables TLS 1.2 and 1.3 only with forward-secret AEAD suites, is
#      stated once at http level (so both HTTPS server blocks share it, none overrides it), and
#      every HTTPS server block sends HSTS.
#   4. The rendered nginx, run for real on free loopback ports in front of two stub upstreams,
#      routes by host name: the default host (and any host but the UI's) reaches the API stub
#      with its path unchanged, the UI's host reaches the UI stub (X-Forwarded-For/-Proto set, one
#      HSTS header); plain HTTP redirects to HTTPS; the body caps are the API's 64 MiB and, for
#      the UI, a 64 MiB evidence file in a multipart form.
#   5. The same running nginx, over TLS with each host name as SNI: TLS 1.2 and 1.3 are
#      accepted, TLS 1.0/1.1 and a non-AEAD TLS 1.2 suite are refused by the server.
#   6. The coco service starts as the image would run it: deploy/coco-entrypoint.sh as uid 10001
#      (when root; else as this user), working directory /, HOME=/nonexistent, with exactly the
#      environment docker-compose.yml gives the service (read through `docker-compose config`).
#      Only the database URL (a throwaway PostgreSQL on 127.0.0.1 this script starts), the
#      listen address and port (127.0.0.1, a free port) and the paths under named volumes (a temp
#      folder owned by that user, as Docker gives a new volume the image folder's owner) are
#      overridden. It must answer 200 on /readyz. This catches a setting that makes the
#      container write where uid 10001 cannot (the signing key once defaulted to the working
#      directory, /). Then `coco keys rotate` through the entrypoint, as that user with that
#      environment, must work and the key set must list both keys.
#   7. The ui service starts as its image would run it: the runtime stage of ui/Dockerfile is
#      assembled in a temp folder from its COPY lines (the build stage's output is ui/dist, as
#      `npm run build` made it here; its `npm ci --omit=dev` is reproduced by copying the lock
#      file's production packages from ui/node_modules), and its CMD runs there as uid 10002
#      (when root; else as this user), with the image's ENV and the ui service's environment
#      from docker-compose.yml. Only the database URL (a throwaway PostgreSQL), the API URL, and
#      the listen address and port are overridden. The compose health check must fail before
#      and pass after the start; the sign-in page, asked as nginx forwards it, must render from
#      the image's views with a Secure session cookie, which lands in ui.session; every asset it
#      links must load; SIGTERM must stop it within the compose stop_grace_period.
# No Docker engine is involved: the images themselves are not built here.
# Needs (Debian): docker-compose, nginx-light (or nginx), gettext-base (envsubst), openssl,
# postgresql-15, curl, python3-yaml, nodejs; a built coco binary ($COCO_BINARY, else
# build/*/coco) and a built front end (ui/node_modules and ui/dist: `npm ci && npm run build` in
# ui/, which ./scripts/test does before CTest runs).
# Exit status 0 when every check passes. Every check is bounded in time and stops the processes it
# started; the one PostgreSQL cluster checks 6 and 7 share is stopped at exit, as is anything a
# failed or interrupted check left running.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"
COMPOSE_FILE="$REPO/docker-compose.yml"
TEMPLATE="$REPO/deploy/nginx/templates/default.conf.template"
UI_DOCKERFILE="$REPO/ui/Dockerfile"
# The template's variables: exactly these may (and must) appear in it.
TEMPLATE_VARS=(COCO_UPSTREAM COCO_UI_UPSTREAM COCO_UI_HOST)
# The UI's host name docker-compose.yml gives nginx by default, and the address its comments print.
TEST_UI_HOST="ui.localhost"
# Where the template expects the certificate pair (the nginx service mounts deploy/nginx/certs there).
SHIPPED_CERT="/etc/nginx/certs/tls.crt"
SHIPPED_KEY="/etc/nginx/certs/tls.key"
# Bodies: coco's COCO_MAX_BODY_BYTES default (the largest evidence file), and the UI's cap.
API_BODY_CAP=$((64 * 1024 * 1024))
UI_BODY_CAP=$((65 * 1024 * 1024))

# A temp prefix whose absolute path is safe to write unquoted into nginx configuration and into
# an awk sub() replacement (no spaces, '$', '&', quotes, backslashes).
tmp_base="${TMPDIR:-/tmp}"
if [[ "$tmp_base" != /* || "$tmp_base" =~ [^A-Za-z0-9._/-] ]]; then
  tmp_base=/tmp
fi
tmp="$(mktemp -d "$tmp_base/coco-deploy-check.XXXXXX")"
tmp="$(cd -- "$tmp" && pwd -P)"
# free_port, pg_as_owner and PG_BIN: the same as scripts/run and scripts/test use.
# shellcheck source=../../scripts/lib/common.sh
source "$REPO/scripts/lib/common.sh"
# Processes a check starts write their ids to these files (in $tmp); a check that passes stops
# its own and empties the file.
PID_FILES=(serve.pid ui.pid front-nginx.pid front-stubs.pid)
# Stops what the checks may have left running (on failure or interruption), then removes the
# temp prefix.
cleanup() {
  local file pid i children
  for file in "${PID_FILES[@]}"; do
    [[ -s "$tmp/$file" ]] || continue
    pid="$(cat "$tmp/$file")"
    running "$pid" || continue
    # nginx's master stops its workers on TERM; the others are single processes.
    children="$(ps -o pid= --ppid "$pid" 2>/dev/null || true)"
    kill -TERM "$pid" 2>/dev/null || continue
    for ((i = 0; i < 20; i++)); do running "$pid" || break; sleep 0.25; done
    if running "$pid"; then
      # shellcheck disable=SC2086 # one id per word
      kill -KILL "$pid" $children 2>/dev/null || true
    fi
  done
  if [[ -f "$tmp/pg/data/postmaster.pid" ]]; then
    pg_as_owner "$PG_BIN/pg_ctl" -D "$tmp/pg/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
  fi
  rm -rf -- "$tmp"
}
# True while process $1 runs (an exited child not yet reaped is a zombie: not running).
running() {
  local state=""
  [[ -r "/proc/$1/stat" ]] || return 1
  read -r _ _ state _ <"/proc/$1/stat" 2>/dev/null || return 1
  [[ -n "$state" && "$state" != Z ]]
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

# Waits (at most ~$2 s) until something accepts connections on loopback port $1.
wait_for_port() {
  local i
  for ((i = 0; i < $2 * 4; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.25
  done
  return 1
}

# The stub upstreams' ports, fixed for the whole run: the rendered template points at them.
API_STUB_PORT="$(free_port)"
UI_STUB_PORT="$(free_port "$API_STUB_PORT")"
TEST_UPSTREAM="127.0.0.1:$API_STUB_PORT"
TEST_UI_UPSTREAM="127.0.0.1:$UI_STUB_PORT"

# docker-compose, isolated from the caller: no .env of a checkout (--env-file) and none of the
# variables the file takes from the environment, except a throwaway UI session secret.
compose() {
  [[ -f "$tmp/compose.env" ]] || echo "COCO_UI_SESSION_SECRET=$(openssl rand -hex 32)" >"$tmp/compose.env"
  env -u COCO_UI_SESSION_SECRET -u COCO_UI_HOST \
    docker-compose --env-file "$tmp/compose.env" -f "$COMPOSE_FILE" "$@"
}

# `docker-compose config` (validated and interpolated), once per run: $tmp/compose.yml.
compose_config() {
  [[ -s "$tmp/compose.yml" ]] && return 0
  compose config >"$tmp/compose.yml.part"
  mv -- "$tmp/compose.yml.part" "$tmp/compose.yml"
}

# The template as the nginx image renders it at start: envsubst restricted to the variables
# defined in the environment (docker-compose.yml narrows them further with NGINX_ENVSUBST_FILTER),
# so nginx's own $variables pass through. Writes $tmp/rendered.conf.
render_template() {
  [[ -s "$tmp/rendered.conf" ]] && return 0
  need envsubst gettext-base || return 1
  [[ -f "$TEMPLATE" ]] || { echo "missing template: $TEMPLATE"; return 1; }
  # Only the template's own variables may refer to the environment; any other ${NAME} or
  # $UPPERCASE name (outside comments) would silently become a value, or an empty string, in the
  # image.
  local allowed stray name shell_format=""
  allowed="$(printf ':\\${%s}$|' "${TEMPLATE_VARS[@]}")"
  stray="$(sed -e 's/#.*$//' "$TEMPLATE" | grep -noE '\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*' |
           grep -vE "${allowed%|}" || true)"
  if [[ -n "$stray" ]]; then
    echo "template refers to environment variables other than ${TEMPLATE_VARS[*]} (line:name):"
    echo "$stray"
    return 1
  fi
  for name in "${TEMPLATE_VARS[@]}"; do
    sed -e 's/#.*$//' "$TEMPLATE" | grep -qF "\${$name}" ||
      { echo "template does not use \${$name}"; return 1; }
    shell_format+="\${$name} "
  done
  COCO_UPSTREAM="$TEST_UPSTREAM" COCO_UI_UPSTREAM="$TEST_UI_UPSTREAM" COCO_UI_HOST="$TEST_UI_HOST" \
    envsubst "$shell_format" <"$TEMPLATE" >"$tmp/rendered.part"
  mv -- "$tmp/rendered.part" "$tmp/rendered.conf"
}

# Non-comment lines of the rendered configuration.
rendered_directives() { sed -e 's/#.*$//' "$tmp/rendered.conf"; }

# The rendered template made runnable in the temp prefix, once per run: $tmp/nginx.conf (with
# $tmp/conf.d/default.conf), a throwaway certificate, and the loopback ports that stand for 80
# and 443 in $tmp/front.ports (HTTP_PORT=..., HTTPS_PORT=...).
prepare_nginx() {
  [[ -s "$tmp/nginx.conf" ]] && return 0
  if [[ -z "$NGINX_BIN" ]]; then
    echo "nginx is not installed: install the Debian package 'nginx-light' (or 'nginx')"
    return 1
  fi
  need openssl openssl || return 1
  render_template || return 1

  # Only these lines change: the certificate paths point at a throwaway pair in the temp prefix,
  # and the listen ports become free loopback ports (`nginx -t` binds every listen socket: ports
  # 80/443 need root and may be taken, e.g. by a local nginx). Port 80 is listened on once; port
  # 443 once as the default server (the API) and at least once more (the UI, by host name); no
  # other listen directive may exist.
  mkdir -p "$tmp/conf.d" "$tmp/certs" "$tmp/logs" "$tmp/temp"
  local http_port https_port
  http_port="$(free_port "$API_STUB_PORT" "$UI_STUB_PORT")"
  https_port="$(free_port "$API_STUB_PORT" "$UI_STUB_PORT" "$http_port")"
  RULES=5 ERRORS="$tmp/rewrite.err" CHANGED="$tmp/rewrite.changed" \
  RE_1='^[[:space:]]*listen[[:space:]]+80([[:space:]][^;]*)?;' SUB_1='listen[[:space:]]+80' \
    REP_1="listen 127.0.0.1:$http_port" MIN_1=1 MAX_1=1 \
  RE_2='^[[:space:]]*listen[[:space:]]+443[[:space:]]([^;]*[[:space:]])?default_server([[:space:]][^;]*)?;' \
    SUB_2='listen[[:space:]]+443' REP_2="listen 127.0.0.1:$https_port" MIN_2=1 MAX_2=1 \
  RE_3='^[[:space:]]*listen[[:space:]]+443([[:space:]][^;]*)?;' SUB_3='listen[[:space:]]+443' \
    REP_3="listen 127.0.0.1:$https_port" MIN_3=1 MAX_3=99 \
  RE_4="^[[:space:]]*ssl_certificate[[:space:]]+$SHIPPED_CERT;" SUB_4="$SHIPPED_CERT" \
    REP_4="$tmp/certs/tls.crt" MIN_4=1 MAX_4=1 \
  RE_5="^[[:space:]]*ssl_certificate_key[[:space:]]+$SHIPPED_KEY;" SUB_5="$SHIPPED_KEY" \
    REP_5="$tmp/certs/tls.key" MIN_5=1 MAX_5=1 \
  awk '
    BEGIN { n = ENVIRON["RULES"] }
    {
      # Rules are tried in order: a 443 line naming default_server is rule 2, any other rule 3.
      for (i = 1; i <= n; i++) {
        if ($0 ~ ENVIRON["RE_" i]) {
          hits[i]++
          changed++
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
        if (hits[i] < ENVIRON["MIN_" i] + 0 || hits[i] > ENVIRON["MAX_" i] + 0) {
          printf "expected %s to %s lines matching /%s/, found %d\n", ENVIRON["MIN_" i], \
            ENVIRON["MAX_" i], ENVIRON["RE_" i], hits[i] >ENVIRON["ERRORS"]
          bad = 1
        }
      }
      print changed + 0 >ENVIRON["CHANGED"]
      exit bad
    }' "$tmp/rendered.conf" >"$tmp/conf.d/default.conf" || { cat "$tmp/rewrite.err"; return 1; }
  local n
  n="$(diff "$tmp/rendered.conf" "$tmp/conf.d/default.conf" | grep -c '^>' || true)"
  [[ "$n" == "$(cat "$tmp/rewrite.changed")" ]] ||
    { echo "the rewrite changed $n lines instead of $(cat "$tmp/rewrite.changed")"; return 1; }

  openssl req -x509 -newkey rsa:2048 -sha256 -days 2 -nodes -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,DNS:$TEST_UI_HOST,IP:127.0.0.1" \
    -keyout "$tmp/certs/tls.key" -out "$tmp/certs/tls.crt" >"$tmp/openssl.log" 2>&1 ||
    { cat "$tmp/openssl.log"; return 1; }

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
  # No `user` directive, so this works as root and as a regular user (as root, the workers of a
  # running nginx are this build's default unprivileged user: the temp prefix is made
  # traversable for them in check_front_routing).
  cat >"$tmp/nginx.conf.part" <<EOF
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
  printf 'HTTP_PORT=%s\nHTTPS_PORT=%s\n' "$http_port" "$https_port" >"$tmp/front.ports"
  mv -- "$tmp/nginx.conf.part" "$tmp/nginx.conf"
}

# Starts two stub upstreams (API and UI) on the ports the rendered template points at, each
# answering every request with its name and what it received, and the rendered nginx in front
# of them (in the foreground of a background job). Sets HTTP_PORT and HTTPS_PORT.
start_front() {
  prepare_nginx
  # shellcheck disable=SC1091
  source "$tmp/front.ports"
  # As root, nginx's workers run as an unprivileged user and buffer request bodies under
  # $tmp/temp; mktemp made $tmp private.
  chmod 0755 "$tmp" "$tmp/temp"
  /usr/bin/python3 - "$API_STUB_PORT" "$UI_STUB_PORT" >"$tmp/front-stubs.log" 2>&1 <<'PY' &
import http.server, sys, threading

class Stub(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        received = 0
        while received < length:
            chunk = self.rfile.read(min(1 << 20, length - received))
            if not chunk:
                break
            received += len(chunk)
        lines = [
            "upstream=" + self.server.name,
            "method=" + self.command,
            "path=" + self.path,
            "host=" + (self.headers.get("Host") or ""),
            "x-forwarded-proto=" + (self.headers.get("X-Forwarded-Proto") or ""),
            "x-forwarded-for=" + (self.headers.get("X-Forwarded-For") or ""),
            "x-request-id=" + (self.headers.get("X-Request-Id") or ""),
            "body-bytes=%d" % received,
        ]
        body = ("\n".join(lines) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        if self.server.name == "ui":
            # What the front end's helmet sends behind TLS; nginx must hide it behind its own.
            self.send_header("Strict-Transport-Security", "max-age=15552000; includeSubDomains")
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer

    def log_message(self, *args):
        pass

servers = []
for name, port in (("api", int(sys.argv[1])), ("ui", int(sys.argv[2]))):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Stub)
    server.daemon_threads = True
    server.name = name
    servers.append(server)
threading.Thread(target=servers[0].serve_forever, daemon=True).start()
servers[1].serve_forever()
PY
  echo $! >"$tmp/front-stubs.pid"
  "$NGINX_BIN" -p "$tmp/" -c "$tmp/nginx.conf" -e stderr -g 'daemon off;' >"$tmp/front-nginx.log" 2>&1 &
  echo $! >"$tmp/front-nginx.pid"
  local port
  for port in "$API_STUB_PORT" "$UI_STUB_PORT" "$HTTP_PORT" "$HTTPS_PORT"; do
    if ! wait_for_port "$port" 15; then
      echo "nothing listens on 127.0.0.1:$port after 15 s; nginx and the stubs said:"
      sed -e 's/^/  /' "$tmp/front-nginx.log" "$tmp/front-stubs.log"
      return 1
    fi
  done
}

# Stops what start_front started (nginx first: TERM makes its master stop the workers).
stop_front() {
  local file pid i
  for file in front-nginx.pid front-stubs.pid; do
    [[ -s "$tmp/$file" ]] || continue
    pid="$(cat "$tmp/$file")"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do running "$pid" || break; sleep 0.25; done
    if running "$pid"; then
      kill -KILL "$pid" 2>/dev/null || true
      echo "$file: process $pid did not stop within 10 s of SIGTERM"
      return 1
    fi
    wait "$pid" 2>/dev/null || true
    : >"$tmp/$file"
  done
}

# The run's throwaway PostgreSQL 15 cluster, on loopback only, started by the first check that
# needs one (the cleanup stops it), with a new database $1; prints the cluster's port.
start_postgres() {
  local dir="$tmp/pg" port
  if [[ ! -s "$dir/port" ]]; then
    [[ -x "$PG_BIN/initdb" ]] || { echo "PostgreSQL 15 is missing: install postgresql-15" >&2; return 1; }
    mkdir -p "$dir/data"
    chmod 0755 "$tmp" "$dir"
    [[ "$(id -u)" -ne 0 ]] || chown postgres:postgres "$dir/data"
    chmod 0700 "$dir/data"
    pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -U coco --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
    port="$(free_port "$API_STUB_PORT" "$UI_STUB_PORT")"
    pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/data -c fsync=off" start >/dev/null ||
      { cat "$dir/data/server.log" >&2; return 1; }
    echo "$port" >"$dir/port"
  fi
  port="$(cat "$dir/port")"
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U coco "$1" >&2
  echo "$port"
}

# ---- checks (each runs in a subshell with errexit on) ------------------------------------------

check_compose() {
  if ! command -v docker-compose >/dev/null 2>&1; then
    echo "docker-compose is not installed: install the Debian package 'docker-compose'"
    exit 1
  fi
  need openssl openssl

  # Without a session secret (none in the environment, no .env) docker-compose refuses to start,
  # naming the variable.
  : >"$tmp/empty.env"
  if env -u COCO_UI_SESSION_SECRET -u COCO_UI_HOST docker-compose --env-file "$tmp/empty.env" \
       -f "$COMPOSE_FILE" config -q >"$tmp/no-secret.log" 2>&1; then
    echo "docker-compose accepts the file without COCO_UI_SESSION_SECRET"
    exit 1
  fi
  if ! grep -q 'COCO_UI_SESSION_SECRET' "$tmp/no-secret.log"; then
    echo "without COCO_UI_SESSION_SECRET docker-compose fails, but does not name it:"
    sed -e 's/^/  /' "$tmp/no-secret.log"
    exit 1
  fi
  echo "ok: without COCO_UI_SESSION_SECRET docker-compose refuses to start"

  compose_config
  /usr/bin/python3 - "$tmp/compose.yml" "$tmp/compose.env" "$TEST_UI_HOST" "$REPO" \
    "${TEMPLATE_VARS[@]}" <<'PY'
import sys, yaml
config = yaml.safe_load(open(sys.argv[1]))
secret = open(sys.argv[2]).read().strip().split("=", 1)[1]
ui_host, repo, template_vars = sys.argv[3], sys.argv[4], set(sys.argv[5:])
services = config["services"]
problems = []

def check(condition, text):
    if not condition:
        problems.append(text)

def env(name):
    value = services[name].get("environment") or {}
    if isinstance(value, list):
        value = dict(item.split("=", 1) for item in value)
    return {k: "" if v is None else str(v) for k, v in value.items()}

def healthy_dependency(service, on):
    depends = services[service].get("depends_on") or {}
    return isinstance(depends, dict) and (depends.get(on) or {}).get("condition") == "service_healthy"

for name in ("db", "coco", "ui", "nginx"):
    check(name in services, "no service " + name)
if problems:
    sys.exit("\n".join(problems))

coco, ui, nginx = env("coco"), env("ui"), env("nginx")
published = sorted(name for name, service in services.items() if service.get("ports"))
check(published == ["nginx"], "services publishing ports: %s (only nginx may)" % published)

# nginx renders exactly the template's variables.
given = {name for name in nginx if name.startswith("COCO_")}
check(given == template_vars, "nginx's COCO_* environment is %s, the template's variables %s"
      % (sorted(given), sorted(template_vars)))
check(nginx.get("NGINX_ENVSUBST_FILTER") == "^COCO_", "nginx: NGINX_ENVSUBST_FILTER is not ^COCO_")
check(nginx.get("COCO_UPSTREAM") == "coco:" + coco.get("COCO_PORT", "?"),
      "nginx: COCO_UPSTREAM %r is not coco:COCO_PORT" % nginx.get("COCO_UPSTREAM"))
check(nginx.get("COCO_UI_UPSTREAM") == "ui:" + ui.get("COCO_UI_PORT", "?"),
      "nginx: COCO_UI_UPSTREAM %r is not ui:COCO_UI_PORT" % nginx.get("COCO_UI_UPSTREAM"))
check(nginx.get("COCO_UI_HOST") == ui_host,
      "nginx: COCO_UI_HOST defaults to %r, not %s" % (nginx.get("COCO_UI_HOST"), ui_host))
check(healthy_dependency("nginx", "coco") and healthy_dependency("nginx", "ui"),
      "nginx does not wait for coco and ui to be healthy (it resolves both names at start)")

# The ui service: its own image, straight to coco, behind TLS, the secret from the environment.
build = services["ui"].get("build") or {}
check(isinstance(build, dict) and build.get("context") == repo
      and build.get("dockerfile") == "ui/Dockerfile",
      "ui: not built from ui/Dockerfile with the repository root as context: %r" % build)
check(ui.get("COCO_API_URL") == "http://coco:" + coco.get("COCO_PORT", "?"),
      "ui: COCO_API_URL %r is not coco's own address" % ui.get("COCO_API_URL"))
check(ui.get("COCO_UI_BIND") == "0.0.0.0", "ui: COCO_UI_BIND is not 0.0.0.0")
check(ui.get("COCO_UI_SECURE_COOKIES") == "true", "ui: COCO_UI_SECURE_COOKIES is not true")
check(ui.get("COCO_UI_SESSION_SECRET") == secret,
      "ui: COCO_UI_SESSION_SECRET does not come from docker-compose's environment")
check("@db:" in ui.get("COCO_UI_DATABASE_URL", ""), "ui: COCO_UI_DATABASE_URL is not the db service")
check(services["ui"].get("init") is True, "ui: no init: true")
check(healthy_dependency("ui", "db") and healthy_dependency("ui", "coco"),
      "ui does not wait for db and coco to be healthy")
test = (services["ui"].get("healthcheck") or {}).get("test") or []
check("127.0.0.1:%s/health" % ui.get("COCO_UI_PORT") in " ".join(map(str, test)),
      "ui: the health check does not ask 127.0.0.1:COCO_UI_PORT/health")
if problems:
    sys.exit("\n".join(problems))
print("ok: nginx gets %s; ui calls %s, secure cookies, secret from the environment"
      % (", ".join("%s=%s" % (k, nginx[k]) for k in sorted(given)), ui["COCO_API_URL"]))
PY
}

check_nginx_t() {
  prepare_nginx
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

  # The structure: the policy at http level only (so every HTTPS server block has it and none
  # narrows or widens it), and HSTS in every HTTPS server block.
  /usr/bin/python3 - "$tmp/rendered.conf" "$TEST_UI_HOST" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
ui_host = sys.argv[2]
tokens = [t for t in re.findall(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|#[^\n]*|[{};]|[^\s{};"\'#]+', text)
          if not t.startswith("#")]

def parse(i):
    nodes, words = [], []
    while i < len(tokens):
        t = tokens[i]
        if t == ";":
            nodes.append((words[0], words[1:], None)); words = []
        elif t == "{":
            children, i = parse(i + 1)
            nodes.append((words[0], words[1:], children)); words = []
        elif t == "}":
            return nodes, i
        else:
            words.append(t.strip('"\''))
        i += 1
    return nodes, i

top, _ = parse(0)
problems = []

def walk(nodes, where):
    for name, args, children in nodes:
        if children is not None:
            walk(children, where + [name + (" " + " ".join(args) if args else "")])
        elif where and (name == "ssl" or name.startswith("ssl_")):
            problems.append("%s inside %s: the TLS policy is set once, at http level"
                            % (name, " > ".join(where)))
walk(top, [])

def directive(nodes, name):
    found = [args for n, args, children in nodes if n == name and children is None]
    return found

protocols = directive(top, "ssl_protocols")
if protocols != [["TLSv1.2", "TLSv1.3"]]:
    problems.append("http level: ssl_protocols is %r, not TLSv1.2 TLSv1.3" % protocols)
ciphers = directive(top, "ssl_ciphers")
if len(ciphers) != 1:
    problems.append("http level: expected one ssl_ciphers, found %d" % len(ciphers))
else:
    for suite in ciphers[0][0].split(":"):
        if not suite.startswith("ECDHE-") or not re.search(r"GCM|CHACHA20-POLY1305", suite):
            problems.append("ssl_ciphers: %s is not a forward-secret AEAD suite" % suite)
for name in ("ssl_certificate", "ssl_certificate_key"):
    if len(directive(top, name)) != 1:
        problems.append("http level: expected one %s" % name)
if directive(top, "ssl_session_tickets") != [["off"]]:
    problems.append("http level: ssl_session_tickets is not off")

https = []
for name, args, children in top:
    if name != "server" or children is None:
        continue
    listens = directive(children, "listen")
    for listen in listens:
        if re.search(r"(^|:)443$", listen[0]) and "ssl" not in listen[1:]:
            problems.append("server listening on 443 without ssl: listen %s" % " ".join(listen))
    if any("ssl" in listen[1:] for listen in listens):
        https.append((children, listens))

defaults = [c for c, listens in https if any("default_server" in l for l in listens)]
ui = [c for c, listens in https if [ui_host] in directive(c, "server_name")]
if len(defaults) != 1:
    problems.append("expected one HTTPS default_server (the API), found %d" % len(defaults))
if len(ui) != 1 or (defaults and ui and ui[0] is defaults[0]):
    problems.append("expected one HTTPS server block named %s, not the default one" % ui_host)

def hsts(args):
    return (len(args) >= 2 and args[0].lower() == "strict-transport-security"
            and re.match(r"max-age=(\d+)", args[1]) and int(re.match(r"max-age=(\d+)", args[1]).group(1)) >= 31536000
            and "always" in args[2:])

for children, listens in https:
    label = "server %s" % " ".join(" ".join(a) for a in directive(children, "server_name"))
    if not any(hsts(a) for a in directive(children, "add_header")):
        problems.append("%s: no add_header Strict-Transport-Security \"max-age>=1 year\" always" % label)
    # An add_header in a location replaces every inherited one, HSTS included.
    def locations(nodes, label):
        for n, a, c in nodes:
            if c is not None:
                adds = directive(c, "add_header")
                if adds and not any(hsts(x) for x in adds):
                    problems.append("%s > %s %s: add_header without HSTS drops the server's HSTS"
                                    % (label, n, " ".join(a)))
                locations(c, label)
    locations(children, label)

if problems:
    sys.exit("\n".join(problems))
print("ok: one TLS policy at http level (TLSv1.2 TLSv1.3, ECDHE AEAD suites) for %d HTTPS server "
      "blocks, none overriding it; HSTS in each" % len(https))
PY
}

# The routing of the rendered template, for real: nginx on loopback ports in front of two stubs.
check_front_routing() {
  need curl curl
  start_front
  local -a tls=(-s -k --max-time 20 --resolve "localhost:$HTTPS_PORT:127.0.0.1"
                --resolve "$TEST_UI_HOST:$HTTPS_PORT:127.0.0.1"
                --resolve "api.example.test:$HTTPS_PORT:127.0.0.1")
  local -a plain=(-s --max-time 10 --resolve "localhost:$HTTP_PORT:127.0.0.1"
                  --resolve "$TEST_UI_HOST:$HTTP_PORT:127.0.0.1")
  local status failures=0

  # request URL [curl options]: the status; headers in $tmp/r.headers, body in $tmp/r.body.
  request() {
    local url="$1"
    shift
    local -a options=("${tls[@]}")
    [[ "$url" == http:* ]] && options=("${plain[@]}")
    curl "${options[@]}" -D "$tmp/r.headers" -o "$tmp/r.body" -w '%{http_code}' "$@" "$url" || true
  }
  # What the stub received: the value of NAME in its answer.
  got() { sed -n "s/^$1=//p" "$tmp/r.body"; }
  expect() { # expect WHAT ACTUAL EXPECTED
    if [[ "$2" == "$3" ]]; then
      echo "ok: $1: $2"
    else
      echo "FAILED: $1: got '$2', expected '$3'"
      failures=$((failures + 1))
    fi
  }
  # The Strict-Transport-Security headers of the last answer, one per line.
  hsts() { tr -d '\r' <"$tmp/r.headers" | sed -n 's/^[Ss]trict-[Tt]ransport-[Ss]ecurity: //p'; }

  local api="https://localhost:$HTTPS_PORT" ui="https://$TEST_UI_HOST:$HTTPS_PORT"

  # The API keeps its host names and every path.
  status="$(request "$api/healthz")"
  expect "GET localhost/healthz" "$status $(got upstream) $(got path)" "200 api /healthz"
  expect "  Host, X-Forwarded-Proto, X-Forwarded-For" \
    "$(got host) $(got x-forwarded-proto) $(got x-forwarded-for)" "localhost https 127.0.0.1"
  expect "  X-Request-Id generated" "$(got x-request-id | grep -cE '^[0-9a-f]{32}$')" "1"
  expect "  HSTS" "$(hsts)" "max-age=63072000"
  status="$(request "$api/" )"
  expect "GET localhost/ (the root stays the API's)" "$status $(got upstream) $(got path)" "200 api /"
  status="$(request "https://127.0.0.1:$HTTPS_PORT/v1/suppliers?limit=2" -H 'X-Request-Id: check-deploy-1')"
  expect "GET 127.0.0.1/v1/suppliers?limit=2" "$status $(got upstream) $(got path)" \
    "200 api /v1/suppliers?limit=2"
  expect "  X-Request-Id passed through" "$(got x-request-id)" "check-deploy-1"
  status="$(request "https://api.example.test:$HTTPS_PORT/.well-known/jwks.json")"
  expect "GET api.example.test/.well-known/jwks.json (any other host name)" \
    "$status $(got upstream) $(got path) $(got host)" "200 api /.well-known/jwks.json api.example.test"
  status="$(request "$api/v1/suppliers" -X POST -H 'Content-Type: application/json' --data-binary '{}')"
  expect "POST localhost/v1/suppliers" "$status $(got upstream) $(got method) $(got body-bytes)" "200 api POST 2"

  # The UI's host name reaches the UI, every path of it.
  status="$(request "$ui/")"
  expect "GET $TEST_UI_HOST/" "$status $(got upstream) $(got path)" "200 ui /"
  expect "  Host, X-Forwarded-Proto, X-Forwarded-For" \
    "$(got host) $(got x-forwarded-proto) $(got x-forwarded-for)" "$TEST_UI_HOST https 127.0.0.1"
  expect "  one HSTS header, nginx's (the front end's hidden)" "$(hsts)" "max-age=63072000"
  status="$(request "$ui/healthz")"
  expect "GET $TEST_UI_HOST/healthz (the host decides, not the path)" \
    "$status $(got upstream) $(got path)" "200 ui /healthz"
  status="$(request "$ui/sign-in" -H 'X-Forwarded-For: 203.0.113.7')"
  expect "  a client's X-Forwarded-For: nginx's entry is the right-most" \
    "$(got x-forwarded-for)" "203.0.113.7, 127.0.0.1"

  # Plain HTTP redirects to HTTPS on the same host name (308 keeps the method).
  status="$(request "http://localhost:$HTTP_PORT/healthz?x=1")"
  expect "http://localhost/healthz?x=1" \
    "$status $(tr -d '\r' <"$tmp/r.headers" | sed -n 's/^[Ll]ocation: //p')" "308 https://localhost/healthz?x=1"
  status="$(request "http://$TEST_UI_HOST:$HTTP_PORT/sign-in")"
  expect "http://$TEST_UI_HOST/sign-in" \
    "$status $(tr -d '\r' <"$tmp/r.headers" | sed -n 's/^[Ll]ocation: //p')" "308 https://$TEST_UI_HOST/sign-in"

  # Body caps, from the declared length alone: the API's 64 MiB; the UI's a little more, for a
  # 64 MiB evidence file in a multipart form, which must get through whole.
  status="$(request "$api/v1/suppliers/x/evidence" -X POST -H "Content-Length: $((API_BODY_CAP + 1))" --data-binary '')"
  expect "POST localhost with 64 MiB + 1 byte" "$status" "413"
  status="$(request "$ui/supplier/evidence" -X POST -H "Content-Length: $((UI_BODY_CAP + 1))" --data-binary '')"
  expect "POST $TEST_UI_HOST with $((UI_BODY_CAP / 1048576)) MiB + 1 byte" "$status" "413"
  truncate -s "$API_BODY_CAP" "$tmp/evidence.pdf"
  status="$(request "$ui/supplier/evidence" -F '_csrf=x' -F "file=@$tmp/evidence.pdf;type=application/pdf")"
  local received
  received="$(got body-bytes)"
  expect "POST $TEST_UI_HOST, a 64 MiB file as multipart/form-data" \
    "$status $(got upstream) $((${received:-0} > API_BODY_CAP))" "200 ui 1"
  rm -f -- "$tmp/evidence.pdf"

  stop_front
  if grep -E '\[(emerg|alert|crit)\]' "$tmp/front-nginx.log"; then
    echo "FAILED: nginx logged the lines above"
    failures=$((failures + 1))
  fi
  [[ $failures -eq 0 ]] || { echo "$failures failed; nginx said:"; sed -e 's/^/  /' "$tmp/front-nginx.log"; exit 1; }
}

# The TLS policy, for real, on both host names.
check_front_tls() {
  need openssl openssl
  start_front
  local name out failures=0
  # handshake SNI OPENSSL_OPTIONS...: s_client's output.
  handshake() {
    local sni="$1"
    shift
    timeout 15 openssl s_client -connect "127.0.0.1:$HTTPS_PORT" -servername "$sni" "$@" \
      </dev/null 2>&1 || true
  }
  for name in localhost "$TEST_UI_HOST"; do
    # s_client's summary line: "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384".
    out="$(handshake "$name" -tls1_3)"
    if grep -qE '^New, TLSv1\.3, Cipher is ' <<<"$out"; then
      echo "ok: $name: TLS 1.3 accepted, $(sed -n 's/^New, TLSv1\.3, Cipher is //p' <<<"$out")"
    else
      echo "FAILED: $name: no TLS 1.3 handshake:"; sed -e 's/^/  /' <<<"$out" | tail -n 20
      failures=$((failures + 1))
    fi
    out="$(handshake "$name" -tls1_2)"
    if grep -qE '^New, TLSv1\.2, Cipher is ECDHE-[A-Z0-9-]*(GCM|CHACHA20-POLY1305)' <<<"$out"; then
      echo "ok: $name: TLS 1.2 accepted, $(sed -n 's/^New, TLSv1\.2, Cipher is //p' <<<"$out")"
    else
      echo "FAILED: $name: no TLS 1.2 handshake with an ECDHE AEAD suite:"
      sed -e 's/^/  /' <<<"$out" | tail -n 20
      failures=$((failures + 1))
    fi
    # Offered by a client that would accept them (security level 0), refused by the server: a
    # "protocol version" or "handshake failure" alert from nginx, not a client-side refusal.
    local legacy
    for legacy in -tls1 -tls1_1; do
      out="$(handshake "$name" "$legacy" -cipher 'DEFAULT:@SECLEVEL=0')"
      if grep -q 'alert protocol version' <<<"$out"; then
        echo "ok: $name: ${legacy#-} refused by the server"
      else
        echo "FAILED: $name: ${legacy#-} was not refused with a protocol version alert:"
        sed -e 's/^/  /' <<<"$out" | tail -n 20
        failures=$((failures + 1))
      fi
    done
    out="$(handshake "$name" -tls1_2 -cipher 'ECDHE-RSA-AES128-SHA:@SECLEVEL=0')"
    if grep -q 'alert handshake failure' <<<"$out"; then
      echo "ok: $name: TLS 1.2 with a CBC suite (ECDHE-RSA-AES128-SHA) refused by the server"
    else
      echo "FAILED: $name: TLS 1.2 with ECDHE-RSA-AES128-SHA was not refused:"
      sed -e 's/^/  /' <<<"$out" | tail -n 20
      failures=$((failures + 1))
    fi
  done
  stop_front
  [[ $failures -eq 0 ]]
}

# The coco binary to run: $COCO_BINARY, else the newest build/*/coco.
coco_binary() {
  if [[ -n "${COCO_BINARY:-}" ]]; then echo "$COCO_BINARY"; return 0; fi
  local found
  found="$(ls -t "$REPO"/build/*/coco 2>/dev/null | head -n 1 || true)"
  [[ -n "$found" ]] || { echo "no coco binary: set COCO_BINARY or build into build/" >&2; return 1; }
  echo "$found"
}

check_entrypoint_serves() {
  need docker-compose docker-compose
  need curl curl
  local binary
  binary="$(coco_binary)"
  [[ -x "$binary" ]] || { echo "not an executable: $binary"; exit 1; }

  # The user the image runs as (Dockerfile: useradd --uid 10001, USER coco).
  grep -qE -- '--uid 10001 ' "$REPO/Dockerfile" && grep -qx 'USER coco' "$REPO/Dockerfile" ||
    { echo "the Dockerfile no longer runs as uid 10001 (USER coco): update this check"; exit 1; }
  local uid gid
  if [[ "$(id -u)" -eq 0 ]]; then uid=10001 gid=10001; else uid="$(id -u)" gid="$(id -g)"; fi

  # The coco service's environment and named-volume mounts, as docker-compose resolves them.
  compose_config
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
  local pg_port coco_port
  pg_port="$(start_postgres coco)"
  coco_port="$(free_port "$pg_port" "$API_STUB_PORT" "$UI_STUB_PORT")"

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
}

check_ui_serves() {
  need node nodejs
  need curl curl
  [[ -f "$UI_DOCKERFILE" ]] || { echo "missing $UI_DOCKERFILE"; exit 1; }
  if [[ ! -f "$REPO/ui/dist/server/index.js" || ! -d "$REPO/ui/node_modules" ]]; then
    echo "the web front end is not built: run 'npm ci && npm run build' in ui/ (./scripts/test does)"
    exit 1
  fi

  # The image's filesystem, as far as the runtime stage of ui/Dockerfile makes it, in $tmp/ui-root:
  # its COPY lines from the context (the repository) and from the build stage (whose /src/ holds
  # the repository's ui/ and openapi/, built: ui/dist is what `npm run build` made here), and its
  # `npm ci --omit=dev`, reproduced by copying the lock file's production packages from
  # ui/node_modules. Writes the user, working directory, ENV and CMD for the run below.
  local root="$tmp/ui-root"
  mkdir -p "$root"
  /usr/bin/python3 - "$UI_DOCKERFILE" "$REPO" "$root" "$tmp/ui-image" <<'PY'
import json, os, re, shlex, shutil, sys
dockerfile, repo, root, out = sys.argv[1:5]

instructions, current = [], ""
for line in open(dockerfile).read().split("\n"):
    stripped = line.strip()
    if stripped.startswith("#") or (not current and not stripped):
        continue
    if stripped.endswith("\\"):
        current += stripped[:-1] + " "
        continue
    instructions.append((current + stripped).strip())
    current = ""
starts = [i for i, text in enumerate(instructions) if text.split()[0].upper() == "FROM"]
stage = instructions[starts[-1] + 1:]

workdir, env, user, cmd, copied = "/", {}, None, None, []
runs = []
for text in stage:
    op, _, rest = text.partition(" ")
    op, rest = op.upper(), rest.strip()
    if op == "WORKDIR":
        workdir = os.path.normpath(os.path.join(workdir, rest))
        os.makedirs(root + workdir, exist_ok=True)
    elif op == "ENV":
        for item in shlex.split(rest):
            name, _, value = item.partition("=")
            env[name] = value
    elif op == "COPY":
        words = shlex.split(rest)
        source_stage = None
        for flag in [w for w in words if w.startswith("--")]:
            if not flag.startswith("--from="):
                sys.exit("COPY %s: this check does not know the flag %s" % (rest, flag))
            source_stage = flag[len("--from="):]
        args = [w for w in words if not w.startswith("--")]
        sources, dest = args[:-1], args[-1]
        target = os.path.normpath(os.path.join(workdir, dest))
        into_dir = dest.endswith("/") or len(sources) > 1
        for source in sources:
            if source_stage:
                if not source.startswith("/src/"):
                    sys.exit("COPY %s: the build stage's files are expected under /src/" % rest)
                host = os.path.join(repo, source[len("/src/"):])
            else:
                host = os.path.join(repo, source)
            if not os.path.exists(host):
                sys.exit("COPY %s: %s does not exist here" % (rest, host))
            if os.path.isdir(host):
                shutil.copytree(host, root + target, symlinks=True, dirs_exist_ok=True)
            else:
                destination = root + target
                if into_dir or os.path.isdir(destination):
                    os.makedirs(destination, exist_ok=True)
                    destination = os.path.join(destination, os.path.basename(host))
                else:
                    os.makedirs(os.path.dirname(destination), exist_ok=True)
                shutil.copy2(host, destination)
            copied.append(os.path.relpath(host, repo) + " -> " + target)
    elif op == "RUN":
        runs.append(rest)
        if re.search(r"\bnpm ci\b", rest):
            if "--omit=dev" not in rest:
                sys.exit("RUN %s: the runtime stage must install production packages only" % rest)
            here = root + workdir
            for name in ("package.json", "package-lock.json"):
                mine = os.path.join(here, name)
                if not os.path.isfile(mine) or open(mine, "rb").read() != open(
                        os.path.join(repo, "ui", name), "rb").read():
                    sys.exit("RUN npm ci: %s in %s is not ui/%s" % (name, workdir, name))
            # What `npm ci --omit=dev` installs: every package of the lock file not marked dev,
            # at its place in the tree, copied from ui/node_modules (which must match the lock).
            lock = json.load(open(os.path.join(here, "package-lock.json")))
            count = 0
            for key, meta in sorted(lock.get("packages", {}).items()):
                if not key.startswith("node_modules/") or meta.get("dev") or meta.get("link"):
                    continue
                source = os.path.join(repo, "ui", key)
                if not os.path.isdir(source):
                    if meta.get("optional"):
                        continue  # another platform's optional package
                    sys.exit("ui/%s is missing: ui/node_modules is not installed from the lock file"
                             " (npm ci in ui/)" % key)
                version = json.load(open(os.path.join(source, "package.json"))).get("version")
                if version != meta.get("version"):
                    sys.exit("ui/%s is %s, the lock file says %s: run npm ci in ui/"
                             % (key, version, meta.get("version")))
                shutil.copytree(source, os.path.join(here, key), symlinks=True, dirs_exist_ok=True,
                                ignore=lambda folder, names: ["node_modules"] if "node_modules" in names else [])
                count += 1
            copied.append("%d production packages of ui/node_modules -> %s/node_modules" % (count, workdir))
    elif op == "USER":
        user = rest
    elif op == "CMD":
        cmd = json.loads(rest)
    elif op in ("ENTRYPOINT", "SHELL", "VOLUME"):
        sys.exit("%s: this check does not know how to reproduce it" % op)

if not user or user == "root" or user == "0":
    sys.exit("the runtime stage does not switch to an unprivileged USER")
# The user's uid and gid, from the useradd/groupadd that made it.
commands = [c.strip() for run in runs for c in re.split(r"&&|;", run)]
uid = gid = None
for command in commands:
    words = command.split()
    if words[:1] == ["useradd"] and words[-1] == user and "--uid" in words:
        uid = words[words.index("--uid") + 1]
        gid = words[words.index("--gid") + 1] if "--gid" in words else user
for command in commands:
    words = command.split()
    if words[:1] == ["groupadd"] and words[-1] == gid and "--gid" in words:
        gid = words[words.index("--gid") + 1]
if not (uid and uid.isdigit() and gid and gid.isdigit()):
    sys.exit("could not find the uid and gid of USER %s in the runtime stage" % user)
if not isinstance(cmd, list) or not cmd:
    sys.exit("the runtime stage has no CMD in exec form")
with open(out + ".env", "w") as f:
    for name, value in env.items():
        f.write("%s=%s\n" % (name, value))
with open(out + ".cmd", "w") as f:
    f.write("\n".join(cmd) + "\n")
with open(out + ".vars", "w") as f:
    f.write("IMAGE_UID=%s\nIMAGE_GID=%s\nIMAGE_WORKDIR=%s\n" % (uid, gid, shlex.quote(workdir)))
print("the image's runtime stage, rebuilt from ui/Dockerfile:")
for line in copied:
    print("  " + line)
print("  USER %s (%s:%s), WORKDIR %s, CMD %s" % (user, uid, gid, workdir, " ".join(cmd)))
PY
  chmod 0755 "$tmp" "$root"
  chmod -R a+rX "$root"
  local IMAGE_UID IMAGE_GID IMAGE_WORKDIR
  # shellcheck disable=SC1091
  source "$tmp/ui-image.vars"
  local uid gid
  if [[ "$(id -u)" -eq 0 ]]; then uid="$IMAGE_UID" gid="$IMAGE_GID"; else uid="$(id -u)" gid="$(id -g)"; fi

  # The ui service's environment, health check and grace period, as docker-compose resolves them.
  compose_config
  /usr/bin/python3 - "$tmp/compose.yml" "$tmp/ui-service" <<'PY'
import sys, yaml
service = yaml.safe_load(open(sys.argv[1]))["services"]["ui"]
env = service.get("environment") or {}
if isinstance(env, list):
    env = dict(item.split("=", 1) for item in env)
with open(sys.argv[2] + ".env", "w") as out:
    for name, value in env.items():
        value = "" if value is None else str(value)
        if "\n" in value or "\0" in value:
            sys.exit("multi-line environment value for " + name)
        out.write(name + "=" + value + "\n")
test = (service.get("healthcheck") or {}).get("test") or []
if test[:1] != ["CMD"] or len(test) < 2:
    sys.exit("the ui health check is not an exec-form CMD: %r" % test)
with open(sys.argv[2] + ".health", "w") as out:
    out.write("\n".join(test[1:]) + "\n")
grace = str(service.get("stop_grace_period") or "10s")
seconds = int(grace[:-1]) if grace.endswith("s") and grace[:-1].isdigit() else 10
with open(sys.argv[2] + ".grace", "w") as out:
    out.write("%d\n" % seconds)
PY

  local pg_port ui_port api_port compose_port
  # A database of its own (in compose it shares coco's, in the schema ui).
  pg_port="$(start_postgres coco_ui)"
  ui_port="$(free_port "$pg_port" "$API_STUB_PORT" "$UI_STUB_PORT")"
  # Nothing answers there: starting and /health must not need the API.
  api_port="$(free_port "$pg_port" "$ui_port" "$API_STUB_PORT" "$UI_STUB_PORT")"
  compose_port="$(sed -n 's/^COCO_UI_PORT=//p' "$tmp/ui-service.env")"
  {
    # The image's ENV, then the service's environment over it, then the overrides.
    cat "$tmp/ui-image.env"
    grep -vE '^(COCO_UI_DATABASE_URL|COCO_API_URL|COCO_UI_BIND|COCO_UI_PORT)=' "$tmp/ui-service.env"
    echo "COCO_UI_DATABASE_URL=postgresql://coco@127.0.0.1:$pg_port/coco_ui"
    echo "COCO_API_URL=http://127.0.0.1:$api_port"
    echo "COCO_UI_BIND=127.0.0.1"
    echo "COCO_UI_PORT=$ui_port"
    # The node image's PATH; node itself is this machine's.
    echo "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    echo "HOME=/nonexistent"
  } | awk -F= '{ value[$1] = $0; if (!($1 in seen)) { order[++n] = $1; seen[$1] = 1 } }
               END { for (i = 1; i <= n; i++) print value[order[i]] }' >"$tmp/ui.env"
  echo "environment of the ui service, with the image's ENV and the overrides:"
  sed -e 's/^\(COCO_UI_SESSION_SECRET=\).*/\1(the test secret)/' -e 's/^/  /' "$tmp/ui.env"

  local -a as_user=() env_words=() cmd=() health=()
  if [[ "$(id -u)" -eq 0 ]]; then
    as_user=(setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all)
  fi
  mapfile -t env_words <"$tmp/ui.env"
  mapfile -t cmd <"$tmp/ui-image.cmd"
  mapfile -t health <"$tmp/ui-service.health"
  # The compose health check, aimed at this run's port instead of COCO_UI_PORT.
  local i found=0
  for i in "${!health[@]}"; do
    if [[ "${health[$i]}" == *"127.0.0.1:$compose_port/"* ]]; then
      health[$i]="${health[$i]//127.0.0.1:$compose_port\//127.0.0.1:$ui_port/}"
      found=1
    fi
  done
  ((found)) || { echo "the health check does not ask 127.0.0.1:$compose_port"; exit 1; }
  run_health() {
    (cd / && timeout 10 "${as_user[@]}" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/nonexistent \
      "${health[@]}") >>"$tmp/ui-health.log" 2>&1
  }
  if run_health; then
    echo "the health check passes while nothing listens on 127.0.0.1:$ui_port"
    exit 1
  fi

  (cd "$root$IMAGE_WORKDIR" && exec "${as_user[@]}" env -i "${env_words[@]}" "${cmd[@]}") \
    >"$tmp/ui.log" 2>&1 &
  echo $! >"$tmp/ui.pid"
  local pid healthy=0
  pid="$(cat "$tmp/ui.pid")"
  for ((i = 0; i < 120; i++)); do # at most ~60 s (plus the checks' own time)
    if ! running "$pid"; then
      echo "the front end exited before its health check passed; its output:"
      sed -e 's/^/  /' "$tmp/ui.log"
      exit 1
    fi
    if run_health; then healthy=1; break; fi
    sleep 0.5
  done
  if ((!healthy)); then
    echo "the compose health check never passed; the front end said:"
    sed -e 's/^/  /' "$tmp/ui.log"
    exit 1
  fi
  echo "ok: '${cmd[*]}' as uid $uid in $IMAGE_WORKDIR passes the compose health check"

  # The sign-in page as nginx forwards it (one trusted hop, HTTPS): rendered from the image's
  # views, with a Secure session cookie; every asset it links loads from the image's files.
  local status
  status="$(curl -s --max-time 10 -D "$tmp/ui.headers" -o "$tmp/ui.body" -w '%{http_code}' \
              -H "Host: $TEST_UI_HOST" -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 203.0.113.7' \
              "http://127.0.0.1:$ui_port/sign-in" || true)"
  if [[ "$status" != 200 ]] || ! grep -q '<form' "$tmp/ui.body"; then
    echo "GET /sign-in answered $status without a form; the front end said:"
    sed -e 's/^/  /' "$tmp/ui.log"
    exit 1
  fi
  if ! tr -d '\r' <"$tmp/ui.headers" | grep -iE '^set-cookie:' | grep -iqE ';[[:space:]]*secure(;|$)'; then
    echo "GET /sign-in behind TLS set no Secure cookie; its headers:"
    sed -e 's/^/  /' "$tmp/ui.headers"
    exit 1
  fi
  echo "ok: GET /sign-in renders (200) and sets a Secure session cookie"
  # The session store made its table (on first use) in its own schema of coco's database.
  local table
  table="$("$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U coco -d coco_ui -tAc \
             "SELECT count(*) FROM ui.session" 2>&1 || true)"
  [[ "$table" == 1 ]] || { echo "ui.session does not hold the one session just made: $table"; exit 1; }
  echo "ok: the session is in ui.session"
  local asset assets=0
  while IFS= read -r asset; do
    status="$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H "Host: $TEST_UI_HOST" \
                "http://127.0.0.1:$ui_port$asset" || true)"
    [[ "$status" == 200 ]] || { echo "GET $asset answered $status"; exit 1; }
    assets=$((assets + 1))
  done < <(grep -oE '(href|src)="/assets/[^"?#]+' "$tmp/ui.body" | sed -e 's/^[a-z]*="//' | sort -u)
  ((assets > 0)) || { echo "the sign-in page links no /assets/ file"; exit 1; }
  echo "ok: the $assets assets the sign-in page links load"

  local grace
  grace="$(cat "$tmp/ui-service.grace")"
  kill -TERM "$pid"
  for ((i = 0; i < grace * 4; i++)); do
    running "$pid" || break
    sleep 0.25
  done
  if running "$pid"; then
    kill -KILL "$pid"
    echo "the front end did not stop within the ${grace} s grace period of SIGTERM"
    exit 1
  fi
  wait "$pid" || true
  : >"$tmp/ui.pid"
  echo "ok: stopped within ${grace} s of SIGTERM"
}

# ---- runner ------------------------------------------------------------------------------------

passed=0
failed=0

run_check() { # run_check LABEL FUNCTION
  local label="$1" fn="$2" rc started=$SECONDS
  set +e
  (set -e; "$fn") >"$tmp/$fn.out" 2>&1
  rc=$?
  set -e
  label+=" [$((SECONDS - started)) s]"
  if [[ $rc -eq 0 ]]; then
    printf 'PASS  %s\n' "$label"
    passed=$((passed + 1))
  else
    printf 'FAIL  %s\n' "$label"
    sed -e 's/^/      /' "$tmp/$fn.out"
    failed=$((failed + 1))
  fi
}

run_check "docker-compose config, refuses without a UI secret, services agree ($COMPOSE_FILE)" \
  check_compose
run_check "nginx -t on the rendered template (COCO_UPSTREAM=$TEST_UPSTREAM COCO_UI_UPSTREAM=$TEST_UI_UPSTREAM COCO_UI_HOST=$TEST_UI_HOST)" \
  check_nginx_t
run_check "TLS policy in the rendered template (TLSv1.2 TLSv1.3 only, both HTTPS server blocks)" \
  check_tls_policy
run_check "rendered nginx routes by host name: API paths unchanged, $TEST_UI_HOST to the UI (live)" \
  check_front_routing
run_check "rendered nginx refuses TLS < 1.2 and non-AEAD suites on both host names (live)" \
  check_front_tls
run_check "coco-entrypoint serves with the compose environment as an unprivileged user" \
  check_entrypoint_serves
run_check "the ui image's command serves with the compose environment as an unprivileged user" \
  check_ui_serves

echo "deploy: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
