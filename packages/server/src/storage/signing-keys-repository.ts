export interface SigningKeyRecord {
  kid: string;
  algorithm: string;
  publicJwk: string;
  createdAt: number;
  retiredAt: number | null;
}

/** The public halves of every node's ticket signing keys, so a ticket verifies on any node. */
export interface SigningKeysRepository {
  /** Adds a key; saving a kid that is already stored changes nothing. */
  save(key: SigningKeyRecord): Promise<void>;
  retire(kid: string, retiredAt: number): Promise<void>;
  list(): Promise<SigningKeyRecord[]>;
}
