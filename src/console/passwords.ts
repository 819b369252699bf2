import { hash, verify } from '@node-rs/argon2';

/** Operator passwords: argon2id with the library's defaults (OWASP's recommended parameters). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function passwordMatches(stored: string, password: string): Promise<boolean> {
  return verify(stored, password).catch(() => false);
}

/** A hash compared against when the name is unknown, so timing does not tell names apart. */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$beSPPnyB/U1t4VRHIPcjZw$gIVutSVQuYOhW++WQmNVL6FzzaxiZNOUn/AoM9RFlRc';
