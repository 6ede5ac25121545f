import "./theme.css";
import "../define.js";
import { decodeEmbedParams } from "@portico/protocol";
import { bootEmbed } from "./boot-embed.js";

void bootEmbed({
  window,
  document,
  params: decodeEmbedParams(location.search),
});
