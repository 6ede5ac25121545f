import type { AppDetail, SheetDef } from "@portico/protocol";

/**
 * The test app: city spending by department, region and month. Rows are generated deterministically so
 * every run sees the same numbers; they are loaded into the real engine.
 */
export const DEPARTMENTS = ["Parks", "Police", "Schools", "Roads", "Library", "Health"] as const;
export const REGIONS = ["North", "South", "East", "West"] as const;
export const YEARS = [2022, 2023, 2024] as const;

export function spendingRows(): Array<Record<string, string | number>> {
  const rows: Array<Record<string, string | number>> = [];
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (const year of YEARS)
    for (let month = 1; month <= 12; month++)
      DEPARTMENTS.forEach((department, d) => {
        // Schools never spend in the West: gives the filter pane excluded values once West is selected.
        for (const region of REGIONS) {
          if (department === "Schools" && region === "West") continue;
          rows.push({
            Department: department,
            Region: region,
            Year: year,
            Month: `${year}-${String(month).padStart(2, "0")}-01`,
            Amount: Math.round((20_000 + d * 9_000) * (0.6 + random()) + year * 3 - 6000),
          });
        }
      });
  return rows;
}

export const OVERVIEW: SheetDef = {
  id: "overview",
  title: "Overview",
  objects: [
    {
      id: "total",
      type: "kpi",
      title: "Total spend",
      measures: [{ expression: "Sum(Amount)", label: "Total spend" }],
      position: { col: 0, row: 0, width: 6, height: 3 },
    },
    {
      id: "by-department",
      type: "bar",
      title: "Spend by department",
      dimensions: ["Department"],
      measures: [{ expression: "Sum(Amount)", label: "Spend" }],
      position: { col: 6, row: 0, width: 12, height: 8 },
    },
    {
      id: "by-region",
      type: "pie",
      title: "Spend by region",
      dimensions: ["Region"],
      measures: [{ expression: "Sum(Amount)", label: "Spend" }],
      position: { col: 18, row: 0, width: 6, height: 8 },
    },
    {
      id: "filters",
      type: "filterpane",
      title: "Filters",
      fields: ["Year", "Region"],
      position: { col: 0, row: 3, width: 6, height: 10 },
    },
    {
      id: "trend",
      type: "line",
      title: "Monthly spend",
      dimensions: ["Month"],
      measures: [{ expression: "Sum(Amount)", label: "Spend" }],
      position: { col: 6, row: 8, width: 18, height: 6 },
    },
    {
      id: "detail",
      type: "table",
      title: "Detail",
      dimensions: ["Department", "Region"],
      measures: [
        { expression: "Sum(Amount)", label: "Spend" },
        { expression: "Count(Amount)", label: "Payments" },
      ],
      position: { col: 0, row: 14, width: 16, height: 9 },
    },
    {
      id: "about",
      type: "text",
      title: "About this data",
      text: "Payments made by the city, by department and region. Figures in euros, as booked.",
      position: { col: 16, row: 14, width: 8, height: 4 },
    },
  ],
};

export const SECOND: SheetDef = {
  id: "regions",
  title: "Regions",
  objects: [
    {
      id: "region-year",
      type: "bar",
      title: "Spend by region and year",
      dimensions: ["Region", "Year"],
      measures: [{ expression: "Sum(Amount)", label: "Spend" }],
      position: { col: 0, row: 0, width: 24, height: 8 },
    },
  ],
};

export function spendingApp(fields: AppDetail["fields"]): AppDetail {
  return {
    id: "spending",
    name: "City spending",
    description: "Where the city's money goes.",
    published: true,
    stream: { id: "budget", name: "City budget" },
    sheets: [OVERVIEW, SECOND],
    fields,
  };
}
