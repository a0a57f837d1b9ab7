#!/usr/bin/env bash
# Deployment checks, runnable without a Docker engine, as root or as any user:
#   1. docker-compose.yml is valid for the installed docker-compose (1.29).
#   2. The shipped nginx template, rendered the way the nginx image renders it, passes `nginx -t`.
#   3. The rendered TLS policy enables TLS 1.2 and 1.3 only (and sends HSTS).
# Needs (Debian): docker-compose, nginx-light (or nginx), gettext-base (envsubst), openssl.
# Exit status 0 when every check passes.
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
cleanup() { rm -rf -- "$tmp"; }
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

echo "deploy: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
