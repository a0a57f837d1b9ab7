#!/bin/sh
# Container entrypoint for coco (installed as /usr/local/bin/coco-entrypoint).
#
#   (no arguments) or "serve [ARGS]": apply the migrations, import the bundled standards catalogue,
#                                     then replace this shell with `coco serve [ARGS]`.
#   anything else:                    run `coco ARGS` as is, e.g.
#                                     docker-compose run --rm coco token create --role admin --name ops
#
# Configuration comes from the environment (COCO_DATABASE_URL, COCO_BIND, COCO_PORT, ...).
# The script prints nothing itself so that the container's output stays coco's JSON log lines.
set -eu

catalogue="${COCO_STANDARDS_DIR:-/usr/share/coco/standards}"

if [ "$#" -eq 0 ] || [ "$1" = "serve" ]; then
  if [ "$#" -gt 0 ]; then
    shift
  fi
  coco migrate
  coco catalogue import "$catalogue"
  exec coco serve "$@"
fi

exec coco "$@"
