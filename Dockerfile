# syntax=docker/dockerfile:1
# Vetted: build the Remix app with the dev tools, then run it from an image without them.
# Not built on the project's machines (no container runtime can pull images there): see README,
# "Deployment".

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx remix build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# The server runs the TypeScript domain through tsx, so the sources travel with the build.
COPY app ./app
COPY db ./db
COPY workflows ./workflows
COPY search ./search
COPY server ./server
COPY remix.config.js tsconfig.json ./
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
# The build is newer than every source: `npm start`'s staleness check must not try to rebuild
# (the build tools are not in this image).
RUN touch build/index.js && mkdir -p /data && chown node:node /data
USER node
ENV DATA_DIR=/data PORT=3000
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server/start.mjs"]
