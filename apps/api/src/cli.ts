// Operator commands of the API, usable in the API image:
//   node apps/api/dist/cli.js admin:create --email admin@hospital.vn [--facility BV-TW-A] [--name "…"] [--prompt]
// (`npm run admin:create -- --email …` from a checkout). Reads DATABASE_URL; applies migrations.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { createAdmin, promptPassword } from './cli/admin-create';
import { dataSourceOptions } from './database/data-source.options';

const USAGE = `usage: cli.js admin:create --email <e-mail> [--facility <code or id>] [--name <full name>] [--prompt]
  Creates an administrator who must change the password at first sign-in. Without --prompt a
  password is generated and printed once.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'admin:create') {
    console.error(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      facility: { type: 'string' },
      name: { type: 'string' },
      prompt: { type: 'boolean', default: false },
    },
  });
  if (!values.email) {
    console.error(USAGE);
    return 2;
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const db = new DataSource(dataSourceOptions(url));
  await db.initialize();
  try {
    const created = await createAdmin(
      db,
      {
        email: values.email,
        facility: values.facility,
        fullName: values.name,
        prompt: values.prompt,
      },
      () => promptPassword('Password (10 characters to 72 bytes): '),
    );
    console.log(`Created administrator ${created.email} (${created.id}).`);
    if (created.password)
      console.log(
        `Password (shown once; it must be changed at first sign-in): ${created.password}`,
      );
    else console.log('The password must be changed at first sign-in.');
    return 0;
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
