# taskforce-bot: migrations run at start (src/store/migrate.ts), then the bot, compiled.
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
# Every dependency (the Prisma CLI generates both clients at postinstall), then only production's.
RUN npm ci
COPY . .
RUN npx tsc --noEmit && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000
# V8 lets the old generation grow to a multiple of what is live before it collects it, and the
# multiple follows the heap limit: 4× at the default limit (about 4 GiB on a big host), about
# 1.6× at 1 GiB. A burst of commands left 170 MiB of old space with 34 MiB live (315 MiB
# resident); at 1 GiB it is 195–205 MiB (README, "Performance"). A plan of 10,000 items sweeps in
# well under it; raise it with -e NODE_OPTIONS=--max-old-space-size=<MiB> for a far bigger plan.
ENV NODE_OPTIONS="--max-old-space-size=1024"
# What the compiled bot reads: its code, production dependencies, migrations and the plans.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/plans ./plans
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Opening the database applies any migrations it lacks, then the bot starts. node is PID 1's
# command itself, so SIGTERM reaches the bot and it shuts down cleanly.
CMD ["node", "dist/main.js"]
