# taskforce-bot: migrations run at start (src/store/migrate.ts), then the bot.
# Build: docker build -t taskforce-bot .   Run: see README, "Running in production".
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts prisma.postgres.config.ts ./
COPY scripts ./scripts
COPY src/store/database-url.ts ./src/store/database-url.ts
RUN npm ci
COPY . .
RUN npx tsc --noEmit && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000
COPY --from=build /app /app
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Opening the database applies any migrations it lacks, then the bot starts. tsx runs in-process
# (--import), so SIGTERM reaches the bot and it shuts down cleanly.
CMD ["node", "--import", "tsx", "src/main.ts"]
