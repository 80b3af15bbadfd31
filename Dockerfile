# rrc runs its TypeScript sources through tsx (bin/rrc.js), so there is no compile step:
# one stage installs the production dependencies, the other runs them.

FROM node:20-bookworm-slim AS deps
# better-sqlite3 builds from source here (.npmrc: build-from-source), which needs a toolchain
# that the runtime image does not.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    RRC_HOST=0.0.0.0 \
    RRC_PORT=3000 \
    RRC_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# Sources only; .dockerignore keeps out node_modules, tests, data and git history.
COPY . .
# The embedded event store, read models and the generated auth secret live in /data.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "start"]
