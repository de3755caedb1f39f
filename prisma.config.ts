// Prisma 7 configuration. The CLI is used only for `prisma generate` here; migrations are applied
// offline by packages/db (schema engine as WebAssembly), see README.
import { defineConfig } from 'prisma/config';

export default defineConfig({ schema: 'prisma/schema.prisma', migrations: { path: 'prisma/migrations' } });
