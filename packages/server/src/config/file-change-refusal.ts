import { type Document, isMap, isSeq } from "yaml";

/**
 * Why a configuration file edit seen by the watcher is not applied, or undefined when it may be. An empty
 * document and one without any virtual proxy both validate (the defaults fill in one default proxy), yet
 * an editor or a script that truncated the file is the likelier author than an operator: applied live,
 * they would drop every proxy on every node at once. Such a change goes through the admin API, or a
 * restart after `portico check`, where it is deliberate.
 */
export function fileChangeRefusal(next: Document, running: Document): string | undefined {
  const contents = next.contents;
  if (contents === null || (isMap(contents) && contents.items.length === 0)) return "the file is empty";
  if (proxyCount(running) > 0 && proxyCount(next) === 0) return "it removes every virtual proxy";
  return undefined;
}

function proxyCount(document: Document): number {
  const proxies = document.get("virtualProxies");
  return isSeq(proxies) ? proxies.items.length : 0;
}
