import { fileURLToPath } from 'node:url';

/** prisma/ at the repository root: schema and SQL migrations ship with the code. */
export const PRISMA_DIR = fileURLToPath(new URL('../../../prisma/', import.meta.url));
export const SCHEMA_PATH = `${PRISMA_DIR}schema.prisma`;
export const MIGRATIONS_DIR = `${PRISMA_DIR}migrations`;
