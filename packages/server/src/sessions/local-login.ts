import { ErrorCode } from "@portico/protocol";
import { type ConfigState, userKey } from "../config/config-state.js";
import type { LocalUserConfig } from "../config/schema.js";
import { DUMMY_HASH, verifySecret } from "../crypto/secret-hash.js";
import { PorticoError } from "../errors/portico-error.js";

/** A user of a local directory whose password was checked. */
export type LocalUser = LocalUserConfig & { userDirectory: string };

/**
 * The local user these credentials name, or LOGIN_FAILED. Without a directory, the user id must name exactly
 * one user across the local directories (the frame's login form asks for a user id only). Unknown users and
 * users without a password verify against a dummy hash: same work, same answer, so nothing tells them apart.
 */
export async function verifyLocalLogin(
  state: ConfigState,
  credentials: { userDirectory?: string | undefined; userId: string; password: string },
): Promise<LocalUser> {
  const user = findLocalUser(state, credentials.userDirectory, credentials.userId);
  const ok = await verifySecret(credentials.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user?.passwordHash || !ok)
    throw new PorticoError(ErrorCode.LOGIN_FAILED, "Unknown user or wrong password");
  return user;
}

function findLocalUser(state: ConfigState, userDirectory: string | undefined, userId: string) {
  if (userDirectory !== undefined) return state.users.get(userKey(userDirectory, userId));
  const matches = state.config.userDirectories
    .map((dir) => state.users.get(userKey(dir.name, userId)))
    .filter((user) => user !== undefined);
  return matches.length === 1 ? matches[0] : undefined;
}
