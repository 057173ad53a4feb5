// Prisma CLI configuration. The JavaScript schema engine with a driver adapter is the only one
// that works offline on Prisma 6.19 (see README, "Why Prisma 6.19").
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { sqliteFilePath } from './src/store/database-url';

export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    return new PrismaBetterSQLite3({ url: sqliteFilePath(process.env.DATABASE_URL || undefined) });
  },
});
