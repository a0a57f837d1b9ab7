# coco server image: a Debian 12 build stage, then a slim runtime with only the shared libraries.
#
#   docker build -t coco .            (or: docker-compose build, see docker-compose.yml)
#
# Written for the classic builder as well as BuildKit (docker-compose 1.29 uses the classic one),
# so no COPY --chmod, heredocs or cache mounts.

# ---- build --------------------------------------------------------------------------------------
FROM debian:bookworm-slim AS build

ARG DEBIAN_FRONTEND=noninteractive
# ca-certificates: npm fetches from the registry over HTTPS (Debian's nodejs only recommends it).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config ca-certificates \
      libpistache-dev libpqxx-dev libspdlog-dev nlohmann-json3-dev libssl-dev libcurl4-openssl-dev \
      libvalijson-dev libyaml-cpp-dev \
      nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# The docs viewer the build embeds (tools/node_modules/redoc); its own layer, so it is only
# fetched again when the lock file changes.
COPY tools/package.json tools/package-lock.json tools/
RUN npm ci --prefix tools --no-audit --no-fund

# tools/node_modules, build*/ and .git are excluded by .dockerignore, so this does not clobber
# the layer above.
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCOCO_BUILD_TESTS=OFF \
 && cmake --build build -j2 --target coco

# ---- runtime ------------------------------------------------------------------------------------
FROM debian:bookworm-slim AS runtime

ARG DEBIAN_FRONTEND=noninteractive
# Runtime libraries of the binary (libpq5 and libfmt9 come in as their dependencies); curl only
# for the compose health check against /readyz.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpistache0 libpqxx-6.4 libspdlog1.10 libssl3 libyaml-cpp0.7 libcurl4 \
      curl \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 coco \
 && useradd --system --uid 10001 --gid coco --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin coco

# The attestation signing key's folder (docs/operations.md, "Signing keys"). docker-compose mounts
# the named volume coco-keys here, and Docker gives a new named volume the owner and mode of the
# image folder, so uid 10001 can create the key on first start. No key is ever in the image.
RUN install -d -o 10001 -g 10001 -m 0700 /var/lib/coco/keys

COPY --from=build /src/build/coco /usr/local/bin/coco
COPY standards/ /usr/share/coco/standards/
COPY deploy/coco-entrypoint.sh /usr/local/bin/coco-entrypoint

# Fail the image build, not the first start, when a shared library is missing.
RUN chmod 0755 /usr/local/bin/coco /usr/local/bin/coco-entrypoint \
 && chmod -R a+rX /usr/share/coco \
 && if ldd /usr/local/bin/coco | grep 'not found'; then exit 1; fi

USER coco

ENV COCO_BIND=0.0.0.0 \
    COCO_PORT=8080
EXPOSE 8080

# No HEALTHCHECK here: docker-compose.yml defines it (GET /readyz).
ENTRYPOINT ["/usr/local/bin/coco-entrypoint"]
CMD ["serve"]
