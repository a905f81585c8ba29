# One multi-stage build for the three services (compose picks a target).
# Base: Debian bookworm, the same system the mediasoup worker is built and tested against.
FROM node:24-bookworm AS build
WORKDIR /src
# Build dependencies of the mediasoup worker (compiled from the npm tarball when no prebuilt
# can be downloaded; see docs/mediasoup-offline.md).
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      meson ninja-build pkg-config python3 libuv1-dev libssl-dev libsrtp2-dev libusrsctp-dev \
      libabsl-dev libflatbuffers-dev flatbuffers-compiler liburing-dev \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json nx.json tsconfig.base.json jest.preset.js ./
COPY tools ./tools
COPY libs/shared/package.json libs/shared/
COPY apps/api/package.json apps/api/
COPY apps/sfu/package.json apps/sfu/
COPY apps/web/package.json apps/web/
ENV CAUNOI_CACHE_DIR=/opt/caunoi-cache
RUN npm ci
COPY libs ./libs
COPY apps ./apps
RUN NX_DAEMON=false npx nx run-many -t build -p shared api sfu web \
    && cp "$(readlink -f node_modules/mediasoup/worker/out/Release/mediasoup-worker)" /opt/mediasoup-worker \
    && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime-base
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/libs/shared/package.json ./libs/shared/
COPY --from=build /src/libs/shared/dist ./libs/shared/dist

FROM runtime-base AS api
COPY --from=build /src/apps/api/package.json ./apps/api/
COPY --from=build /src/apps/api/dist ./apps/api/dist
USER node
EXPOSE 3000
CMD ["node", "apps/api/dist/main.js"]

FROM runtime-base AS sfu
# Runtime libraries the Debian-built worker links against; ffmpeg records sessions (RTP copied
# into files, muxed at the end, never re-encoded).
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libssl3 libuv1 libsrtp2-1 libusrsctp2 libabsl20220623 liburing2 ffmpeg \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/mediasoup-worker /usr/local/bin/mediasoup-worker
ENV MEDIASOUP_WORKER_BIN=/usr/local/bin/mediasoup-worker
COPY --from=build /src/apps/sfu/package.json ./apps/sfu/
COPY --from=build /src/apps/sfu/dist ./apps/sfu/dist
USER node
EXPOSE 4000 40000/udp 40000/tcp
CMD ["node", "apps/sfu/dist/main.js"]

FROM nginx:1.27-bookworm AS web
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /src/apps/web/dist /usr/share/nginx/html
EXPOSE 8080
