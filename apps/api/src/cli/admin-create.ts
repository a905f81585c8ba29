import bcrypt from 'bcryptjs';
import { randomInt } from 'node:crypto';
import { createInterface } from 'node:readline';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { NewPasswordSchema } from '@caunoi/shared';
import { BCRYPT_COST } from '../auth/account.service';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { UsersRepository } from '../users/users.repository';

export interface AdminCreateOptions {
  email: string;
  fullName?: string;
  /** Facility code (BV-TW-A) or id; admins may have none. */
  facility?: string;
  /** Ask for the password instead of generating one. */
  prompt?: boolean;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
const generatePassword = () =>
  Array.from({ length: 20 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/**
 * Creates an administrator with a password that must be changed at first sign-in (a generated
 * one is printed once, or the operator types one). The first admin of a real deployment comes
 * from here, never from the demo seed. Returns what to print.
 */
export async function createAdmin(
  db: DataSource,
  opts: AdminCreateOptions,
  readPassword: () => Promise<string>,
): Promise<{ id: string; email: string; password?: string }> {
  const parsedEmail = z.email().max(254).safeParse(opts.email.trim());
  if (!parsedEmail.success) throw new Error(`--email: not an e-mail address: ${opts.email}`);
  const email = parsedEmail.data;
  const users = new UsersRepository(db);
  if (await users.findByEmail(email)) throw new Error(`A user with e-mail ${email} already exists`);
  let facilityId: string | null = null;
  if (opts.facility) {
    const [f] = await db.query(`SELECT id FROM facilities WHERE code = $1 OR id::text = $1`, [
      opts.facility,
    ]);
    if (!f) throw new Error(`No facility with code or id ${opts.facility}`);
    facilityId = f.id;
  }
  const typed = opts.prompt ? await readPassword() : undefined;
  const password = typed ?? generatePassword();
  const check = NewPasswordSchema.safeParse(password);
  if (!check.success) throw new Error(check.error.issues.map((i) => i.message).join('; '));
  const user = await users.create({
    email,
    passwordHash: await bcrypt.hash(password, BCRYPT_COST),
    fullName: opts.fullName?.trim() || 'Quản trị hệ thống',
    roles: ['admin'],
    facilityId,
    mustChangePassword: true,
  });
  await new AuditService(new AuditRepository(db)).record(null, 'user.create', {
    type: 'user',
    id: user.id,
    details: { via: 'admin:create' },
  });
  return { id: user.id, email, password: typed ? undefined : password };
}

/** Reads one line from the terminal without echoing it (or from a pipe). */
export function promptPassword(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stderr.write(question);
    out._writeToOutput = () => undefined; // hide what is typed
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
