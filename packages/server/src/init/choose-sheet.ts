import type { FieldInfo, SheetObjectDef } from "@portico/protocol";

/** At most this many KPIs across the top row (the grid is 24 columns: 6 each). */
const MAX_KPIS = 4;
/** A text field with more distinct values than this is a name or a note, not a category to chart. */
const MAX_CATEGORY_VALUES = 50;
/** A filter pane lists at most this many fields. */
const MAX_FILTER_FIELDS = 4;
const GRID_COLUMNS = 24;

/** Numbers that name a period (a year, a month) make a time axis when the data has no date field. */
const PERIOD_WORDS = new Set(["year", "month", "quarter", "week", "day"]);
/**
 * Numbers that identify or name things rather than measure them: summing a year, an order id or a postal
 * code means nothing, so such fields are dimensions. Matched against the words of the field's name.
 */
const NOT_A_MEASURE_WORDS = new Set([
  ...PERIOD_WORDS,
  "id",
  "code",
  "zip",
  "postal",
  "no",
  "number",
  "phone",
]);

/** The lowercase words of a field name: `OrderId`, `order_id` and `Order ID` all give order, id. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => (w.length > 3 && w.endsWith("s") ? w.slice(0, -1) : w));
}
const hasWord = (name: string, set: ReadonlySet<string>) => words(name).some((w) => set.has(w));

/** How a field is written in a measure expression: bare when it is a plain name, else in brackets. */
export function fieldRef(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `[${name}]`;
}

/** The roles the fields of a table can play on a first sheet. */
export interface FieldRoles {
  /** Numbers worth summing, in load order. */
  measures: string[];
  /** The time axis: a date field, else a period-like number (Year). */
  time?: string;
  /** Text fields with few enough distinct values to chart, fewest first. */
  categories: string[];
}

export function fieldRoles(fields: readonly FieldInfo[]): FieldRoles {
  const measures = fields
    .filter((f) => f.type === "number" && f.cardinality > 1 && !hasWord(f.name, NOT_A_MEASURE_WORDS))
    .map((f) => f.name);
  const time =
    fields.find((f) => f.type === "date" && f.cardinality > 1)?.name ??
    fields.find((f) => f.type === "number" && f.cardinality > 1 && hasWord(f.name, PERIOD_WORDS))?.name;
  const categories = fields
    .filter((f) => f.type === "text" && f.cardinality > 1 && f.cardinality <= MAX_CATEGORY_VALUES)
    .sort((a, b) => a.cardinality - b.cardinality)
    .map((f) => f.name);
  return { measures, ...(time !== undefined ? { time } : {}), categories };
}

/**
 * The objects of the first sheet `portico init` writes for one table: a KPI per measure across the top,
 * a filter pane on the left, a bar chart by the first category and a line chart over time where the data
 * has them, and a table below. Without a measure-like number every object counts rows instead.
 */
export function chooseSheet(fields: readonly FieldInfo[]): SheetObjectDef[] {
  if (fields.length === 0) throw new TypeError("chooseSheet needs at least one field");
  const roles = fieldRoles(fields);
  const firstField = fields[0] as FieldInfo;
  const measures =
    roles.measures.length > 0
      ? roles.measures.map((m) => ({ expression: `Sum(${fieldRef(m)})`, label: m }))
      : [{ expression: `Count(${fieldRef(firstField.name)})`, label: "Rows" }];
  const firstDimension = fields.find((f) => !roles.measures.includes(f.name)) ?? firstField;
  const main = measures[0] as { expression: string; label: string };
  const objects: SheetObjectDef[] = [];

  const kpis = measures.slice(0, MAX_KPIS);
  const kpiWidth = GRID_COLUMNS / kpis.length;
  kpis.forEach((measure, i) => {
    objects.push({
      id: `kpi-${i + 1}`,
      type: "kpi",
      title: measure.label,
      measures: [measure],
      position: { col: i * kpiWidth, row: 0, width: kpiWidth, height: 3 },
    });
  });

  const filterFields = [...(roles.time !== undefined ? [roles.time] : []), ...roles.categories].slice(
    0,
    MAX_FILTER_FIELDS,
  );
  const left = filterFields.length > 0 ? 6 : 0;
  if (filterFields.length > 0)
    objects.push({
      id: "filters",
      type: "filterpane",
      title: "Filters",
      fields: filterFields,
      position: { col: 0, row: 3, width: left, height: 18 },
    });

  const category = roles.categories[0];
  const charts: SheetObjectDef[] = [];
  if (category !== undefined)
    charts.push({
      id: "by-category",
      type: "bar",
      title: `${main.label} by ${category}`,
      dimensions: [category],
      measures: [main],
      topN: 12,
      position: { col: 0, row: 3, width: 0, height: 8 },
    });
  if (roles.time !== undefined)
    charts.push({
      id: "over-time",
      type: "line",
      title: `${main.label} over ${roles.time}`,
      dimensions: [roles.time],
      measures: [main],
      position: { col: 0, row: 3, width: 0, height: 8 },
    });
  const chartWidth = (GRID_COLUMNS - left) / Math.max(charts.length, 1);
  charts.forEach((chart, i) => {
    chart.position = { col: left + i * chartWidth, row: 3, width: chartWidth, height: 8 };
    objects.push(chart);
  });

  const tableDimensions = [
    ...(category !== undefined ? [category] : []),
    ...(roles.time !== undefined ? [roles.time] : []),
  ];
  objects.push({
    id: "details",
    type: "table",
    title: "Details",
    dimensions: tableDimensions.length > 0 ? tableDimensions : [firstDimension.name],
    measures,
    position: {
      col: left,
      row: charts.length > 0 ? 11 : 3,
      width: GRID_COLUMNS - left,
      height: charts.length > 0 ? 10 : 18,
    },
  });
  return objects;
}
