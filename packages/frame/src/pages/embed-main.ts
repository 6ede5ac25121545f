import "./theme.css";
import { decodeEmbedParams } from "@portico/protocol";
import { bootEmbed } from "./boot-embed.js";

void bootEmbed({
  window,
  document,
  params: decodeEmbedParams(location.search),
  // A separate chunk, preloaded by the page (vite.config.ts), evaluated once the view is ready.
  loadUi: () => import("../define.js"),
});
