// Prisma CLI configuration for the PostgreSQL side (prisma/postgres/schema.prisma, generated from
// prisma/schema.prisma). Used to generate its client and diff its migrations; migrations are applied
// by src/store/migrate.ts (Prisma's own `migrate deploy` fails through the pg adapter: prisma/orm#27403).
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  schema: path.join('prisma', 'postgres', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'postgres', 'migrations') },
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres' });
  },
});
