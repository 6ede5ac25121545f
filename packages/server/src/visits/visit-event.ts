import type { AnonymousLimitKind, DenialKind, VisitEndReason, VisitType } from "@portico/protocol";

export type VisitAttributes = Record<string, string | string[]>;

/** One event as the server records it; the IP is still the real one (the privacy mode applies on write). */
export interface VisitEvent {
  time: number;
  type: VisitType;
  proxy: string;
  sessionId: string | null;
  userDirectory: string;
  userId: string;
  anonymous: boolean;
  ip: string | null;
  userAgent: string | null;
  origin: string | null;
  pageUrl?: string | null;
  app?: string | null;
  sheet?: string | null;
  object?: string | null;
  durationMs?: number | null;
  reason?: VisitEndReason | AnonymousLimitKind | null;
  denialCode?: string | null;
  denialKind?: DenialKind | null;
  denialDetail?: string | null;
  licence?: string | null;
  licenceAmount?: number | null;
  visitor?: { client: string; attributes: VisitAttributes } | null;
  visitorHint?: VisitAttributes | null;
}
