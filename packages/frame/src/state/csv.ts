import type { HypercubeResult } from "@portico/protocol";

/**
 * RFC 4180 CSV of a hypercube: labels, then raw values (numbers unformatted, so spreadsheets can compute).
 * Text starting with `= + - @` is prefixed with `'`: a cell must never run as a formula in the visitor's
 * spreadsheet (CSV injection), whatever the data holds.
 */
export function hypercubeToCsv(result: HypercubeResult): string {
  const header = [...result.dimensions.map((d) => d.label), ...result.measures.map((m) => m.label)];
  const lines = [header.map(cell).join(",")];
  for (const row of result.rows) {
    const cells = [
      ...row.dimensions.map((d) => cell(d.text)),
      ...row.measures.map((m) => (m === null ? "" : String(m))),
    ];
    lines.push(cells.join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

function cell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
