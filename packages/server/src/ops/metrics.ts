/**
 * Counters for `/metrics` (Prometheus text format). Labels are fixed, low-cardinality values (proxy
 * prefixes, refusal reasons, error codes), never user input.
 */
export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();

  constructor() {
    this.define("portico_tickets_issued_total", "Tickets issued, by proxy and kind");
    this.define("portico_tickets_redeemed_total", "Tickets redeemed into sessions, by proxy and kind");
    this.define("portico_tickets_refused_total", "Tickets or ticket requests refused, by reason");
    this.define("portico_sessions_created_total", "Sessions created, by proxy");
    this.define("portico_sessions_ended_total", "Sessions ended, by reason");
    this.define(
      "portico_sessions_resumed_total",
      "Pages that came back to their anonymous identity, by proxy and whether its session was still live",
    );
    this.define("portico_sessions_left_total", "Sessions a page said its visitor left, by proxy");
    this.define("portico_denials_total", "Requests denied, by error code");
    this.define(
      "portico_anonymous_limit_refusals_total",
      "Anonymous session starts refused by an anonymous session budget, by proxy and limit",
    );
    this.define("portico_config_reloads_total", "Configuration changes, by result");
    this.define(
      "portico_requests_shed_total",
      "Requests answered 503 BUSY because the node was at its limit",
    );
    this.define(
      "portico_storage_failures_total",
      "Requests answered 503 because the database did not answer",
    );
    this.define(
      "portico_app_reloads_total",
      "Reloads of an app's data, by app, trigger (admin, schedule, cluster: asked on another node) and result (ok, failed)",
    );
    this.define(
      "portico_queries_refused_total",
      "Data queries refused (BUSY) or stopped (QUERY_TIMEOUT), by code",
    );
  }

  inc(name: string, labels: Record<string, string> = {}, by = 1): void {
    const counter = this.counters.get(name);
    if (!counter) throw new TypeError(`unknown metric ${name}`);
    const key = Object.entries(labels)
      .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
      .join(",");
    counter.values.set(key, (counter.values.get(key) ?? 0) + by);
  }

  /** Prometheus text exposition, with gauges computed at scrape time. */
  render(gauges: Record<string, { help: string; value: number }>): string {
    const lines: string[] = [];
    for (const [name, gauge] of Object.entries(gauges))
      lines.push(`# HELP ${name} ${gauge.help}`, `# TYPE ${name} gauge`, `${name} ${gauge.value}`);
    for (const [name, counter] of this.counters) {
      lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`);
      if (counter.values.size === 0) lines.push(`${name} 0`);
      for (const [labels, value] of counter.values)
        lines.push(`${name}${labels ? `{${labels}}` : ""} ${value}`);
    }
    return `${lines.join("\n")}\n`;
  }

  private define(name: string, help: string): void {
    this.counters.set(name, { help, values: new Map() });
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
