/** The ids of redeemed one-time tickets: what makes a ticket one-time across every node. */
export interface UsedTicketsRepository {
  /**
   * Marks a ticket id as used. True the first time, false on every later call, from any node: this is
   * an atomic insert that fails on conflict.
   */
  redeem(jti: string, expiresAt: number): Promise<boolean>;
  /** Whether a ticket id has been used (a read: it marks nothing). */
  isUsed(jti: string): Promise<boolean>;
  /** Drops used ticket ids past their expiry (an expired ticket is refused anyway). */
  purge(now: number): Promise<number>;
}
