import "./theme.css";
import { decodeEmbedParams } from "@portico/protocol";
import { bootEmbed } from "./boot-embed.js";

void bootEmbed({
  window,
  document,
  params: decodeEmbedParams(location.search),
  // A separate chunk, preloaded by the page (vite.config.ts), evaluated when `uiMayRun` says.
  loadUi: () => import("../define.js"),
});
