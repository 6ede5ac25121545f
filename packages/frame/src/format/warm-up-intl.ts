/**
 * Loads a locale's ICU number and date data on a worker thread while the page boots. The first Intl
 * number format of a page costs 20 to 90 ms of the thread that builds it (measured in this Chromium);
 * ICU caches the data for the whole process, so once the worker has built the formats, the main thread's
 * own build takes well under a millisecond and stays off the path to the first chart.
 */
export function warmUpIntl(locale: string): void {
  try {
    const worker = new Worker(new URL("./intl-worker.ts", import.meta.url), { name: "portico-intl" });
    worker.postMessage(locale);
  } catch {
    // No workers here (or refused): the formatters build their data on first use, as without this.
  }
}
