// The warm-up worker (see warm-up-intl.ts): builds the page's Intl formats once on its own thread and ends.
import { exerciseIntl } from "./intl-options.js";

self.onmessage = (event: MessageEvent<unknown>) => {
  const locale = event.data;
  try {
    if (typeof locale === "string" && locale.length <= 64) exerciseIntl(locale);
  } catch {
    // An unknown locale fails here as it will on the main thread, which reports it there.
  }
  self.close();
};
