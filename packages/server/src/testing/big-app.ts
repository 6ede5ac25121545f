// Test support (excluded from the build): an app large enough that one query is real engine work, for the
// query-isolation tests and `npm run bench -- isolation`. Its `rows` table object groups every row (one id
// each), so a cube of it sorts as many groups as the table has rows; `by-region` is small and quick.

/** The values of `Region`, one row in eight each. */
export const BIG_REGIONS = ["North", "South", "East", "West", "Central", "Harbor", "Hills", "Valley"];

/** The CSV of `big.csv`: `rows` rows of Id (unique), Region and Amount. */
export function bigCsv(rows: number): string {
  const lines = ["Id,Region,Amount"];
  for (let i = 0; i < rows; i++)
    lines.push(`id-${i},${BIG_REGIONS[i % BIG_REGIONS.length]},${(i * 7919) % 1000}`);
  return `${lines.join("\n")}\n`;
}

const position = { col: 0, row: 0, width: 6, height: 4 };

/** The app `big` on stream `public`, loading `./big.csv` (next to the configuration). */
export const BIG_APP = {
  id: "big",
  name: "Big",
  stream: "public",
  tables: [{ name: "big", source: "./big.csv" }],
  sheets: [
    {
      id: "all",
      title: "All",
      objects: [
        { id: "rows", type: "table", dimensions: ["Id"], measures: ["Sum(Amount)"], position },
        { id: "by-region", type: "bar", dimensions: ["Region"], measures: ["Sum(Amount)"], position },
      ],
    },
  ],
};
