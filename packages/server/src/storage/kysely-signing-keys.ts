import type { Kysely } from "kysely";
import type { Database } from "./database.js";
import type { SigningKeyRecord, SigningKeysRepository } from "./signing-keys-repository.js";

export class KyselySigningKeys implements SigningKeysRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async save(key: SigningKeyRecord): Promise<void> {
    await this.db
      .insertInto("signing_keys")
      .values({
        kid: key.kid,
        algorithm: key.algorithm,
        public_jwk: key.publicJwk,
        created_at: key.createdAt,
        retired_at: key.retiredAt,
      })
      .onConflict((oc) => oc.column("kid").doNothing())
      .execute();
  }

  async retire(kid: string, retiredAt: number): Promise<void> {
    await this.db
      .updateTable("signing_keys")
      .set({ retired_at: retiredAt })
      .where("kid", "=", kid)
      .where("retired_at", "is", null)
      .execute();
  }

  async list(): Promise<SigningKeyRecord[]> {
    const rows = await this.db.selectFrom("signing_keys").selectAll().orderBy("created_at").execute();
    return rows.map((r) => ({
      kid: r.kid,
      algorithm: r.algorithm,
      publicJwk: r.public_jwk,
      createdAt: Number(r.created_at),
      retiredAt: r.retired_at === null ? null : Number(r.retired_at),
    }));
  }
}
