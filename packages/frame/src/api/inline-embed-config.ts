import { EMBED_CONFIG_ELEMENT_ID, type EmbedConfig, isEmbedConfig } from "@portico/protocol";

/**
 * The embed config the server wrote into the page (a `<script type="application/json">` data block), so
 * the frame needs no request before its handshake; `undefined` when the page has none or it does not parse
 * as one (the caller then asks `GET api/v1/embed-config`).
 */
export function inlineEmbedConfig(doc: Document): EmbedConfig | undefined {
  const element = doc.getElementById(EMBED_CONFIG_ELEMENT_ID);
  if (!(element instanceof HTMLScriptElement) || element.type !== "application/json") return undefined;
  try {
    const parsed: unknown = JSON.parse(element.textContent ?? "");
    return isEmbedConfig(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
