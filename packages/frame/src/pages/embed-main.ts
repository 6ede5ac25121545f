import "./theme.css";
import { decodeEmbedParams } from "@portico/protocol";
import { bootEmbed } from "./boot-embed.js";

void bootEmbed({
  window,
  document,
  params: decodeEmbedParams(location.search),
  // A separate chunk, preloaded by the page (vite.config.ts), evaluated once the first request is out.
  loadUi: () => import("../define.js"),
});
