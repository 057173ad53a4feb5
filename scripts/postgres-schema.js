#!/usr/bin/env node
// Writes prisma/postgres/schema.prisma from prisma/schema.prisma, the one source of truth: the same
// models, for PostgreSQL, with its client generated beside the SQLite one. Run by postinstall and
// by `npm run migration`; the output is not committed.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const source = fs.readFileSync(path.resolve(root, process.argv[2] ?? 'prisma/schema.prisma'), 'utf8');
const target = path.resolve(root, process.argv[3] ?? 'prisma/postgres/schema.prisma');
const swaps = [
  ['provider = "sqlite"', 'provider = "postgresql"'],
  ['output       = "../src/generated/prisma"', 'output       = "../../src/generated/postgres"'],
  ['url      = "file:./data/taskforce.db"', 'url      = "postgresql://localhost/taskforce"'],
];
let schema = source;
for (const [from, to] of swaps) {
  if (!schema.includes(from)) throw new Error(`prisma/schema.prisma no longer contains ${from}: update scripts/postgres-schema.js`);
  schema = schema.replace(from, to);
}
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, `// Generated from prisma/schema.prisma by scripts/postgres-schema.js: edit that file instead.\n${schema}`);
