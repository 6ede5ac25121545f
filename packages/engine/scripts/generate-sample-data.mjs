#!/usr/bin/env node
// Deterministic sample data for the demo apps of Riverton, a fictional city's open-data portal.
// Every number is synthetic (seeded PRNG): the same seed always writes the same bytes.
//
//   node packages/engine/scripts/generate-sample-data.mjs [dir] [--big]
//
// Writes the small apps' CSVs (a few thousand rows each, well under a second) and city.db (a SQLite
// database the permits app reads through a data connection) into `dir` (default demo/data/); `--big` also writes transactions.csv, the 1,000,000-row x 10-field benchmark table.
import { once } from "node:events";
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** mulberry32: small, fast, deterministic. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function csvCell(value) {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(header, rows) {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

const pad = (n) => String(n).padStart(2, "0");
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const DAY_MS = 86_400_000;

const DEPARTMENTS = [
  [
    "Parks and Recreation",
    "Community Services",
    "Alma Reyes",
    ["Maintenance", "Equipment", "Events", "Planting"],
  ],
  [
    "Public Works",
    "Infrastructure",
    "Tomas Lindqvist",
    ["Road repair", "Snow removal", "Street lighting", "Equipment"],
  ],
  [
    "Library",
    "Community Services",
    "Grace Okafor",
    ["Books and media", "Digital services", "Events", "Maintenance"],
  ],
  ["Fire Department", "Public Safety", "Daniel Brooks", ["Equipment", "Training", "Vehicles", "Maintenance"]],
  ["Police", "Public Safety", "Mira Novak", ["Vehicles", "Training", "Equipment", "Digital services"]],
  [
    "Water and Sewer",
    "Infrastructure",
    "Henrik Sato",
    ["Pipes and mains", "Treatment", "Equipment", "Maintenance"],
  ],
  [
    "Information Technology",
    "Administration",
    "Priya Raman",
    ["Digital services", "Licences", "Equipment", "Training"],
  ],
  ["Finance", "Administration", "Lucas Moreau", ["Audit", "Licences", "Training", "Digital services"]],
];
const VENDORS = {
  Maintenance: ["Riverside Facilities Co.", "Oakline Services", "Harbor Cleaning Ltd."],
  Equipment: ["Northgate Supply", "Ironbridge Tools", "Summit Industrial"],
  Events: ["Lantern Events", "Bluebell Catering"],
  Planting: ["Greenleaf Nursery", "Meadowbrook Gardens"],
  "Road repair": ["Granite Paving Inc.", "Cobalt Civil Works"],
  "Snow removal": ["Polar Plough Services", "Granite Paving Inc."],
  "Street lighting": ["Brightway Electric", "Lumen City Systems"],
  "Books and media": ["Papermill Books", "Chapter & Verse Distribution"],
  "Digital services": ["Cloudharbor Software", "Bytewell Systems", "Lumen City Systems"],
  Training: ["Civic Academy", "Keystone Learning"],
  Vehicles: ["Riverton Motors", "Fleetline Trucks"],
  "Pipes and mains": ["Aquaduct Engineering", "Cobalt Civil Works"],
  Treatment: ["ClearFlow Chemicals", "Aquaduct Engineering"],
  Licences: ["Cloudharbor Software", "Bytewell Systems"],
  Audit: ["Ledger & Lamp LLP"],
};

/** City spending: one row per payment, 2021..2025, with the departments lookup table. */
function spending(rnd) {
  const rows = [];
  DEPARTMENTS.forEach(([department, , , categories], d) => {
    const size = 0.6 + d * 0.15;
    for (let year = 2021; year <= 2025; year++) {
      const growth = 1 + (year - 2021) * 0.04;
      for (let month = 1; month <= 12; month++) {
        const payments = 6 + Math.floor(rnd() * 6);
        for (let p = 0; p < payments; p++) {
          const category = categories[Math.floor(rnd() * categories.length)];
          const vendors = VENDORS[category];
          const vendor = vendors[Math.floor(rnd() * vendors.length)];
          const seasonal = category === "Snow removal" ? (month <= 2 || month === 12 ? 3 : 0.1) : 1;
          const amount = Math.round(size * growth * seasonal * (800 + rnd() * 24_000) * 100) / 100;
          rows.push([year, month, department, category, vendor, amount]);
        }
      }
    }
  });
  return {
    "spending.csv": csv(["Year", "Month", "Department", "Category", "Vendor", "Amount"], rows),
    "departments.csv": csv(
      ["Department", "Division", "Director"],
      DEPARTMENTS.map(([department, division, director]) => [department, division, director]),
    ),
  };
}

const LINES = [
  ["1", "Tram", "Harbor - University", 11.2],
  ["2", "Tram", "Old Town - Eastfield", 8.7],
  ["3", "Tram", "Central Station - Northgate", 9.9],
  ["10", "Bus", "Airport Express", 21.5],
  ["12", "Bus", "Riverside Loop", 14.1],
  ["15", "Bus", "Hillcrest - Market Square", 10.4],
  ["21", "Bus", "Westbrook - Hospital", 12.8],
  ["34", "Bus", "Night Owl", 18.3],
  ["F1", "Ferry", "Harbor - Island Quay", 3.6],
  ["F2", "Ferry", "Harbor - Lighthouse Point", 5.2],
];

/** Public transport: daily boardings per line for 2024 and 2025, with the lines lookup table. */
function transport(rnd) {
  const rows = [];
  const start = Date.UTC(2024, 0, 1);
  const end = Date.UTC(2025, 11, 31);
  for (let day = start; day <= end; day += DAY_MS) {
    const date = new Date(day);
    const weekday = date.getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const summer = date.getUTCMonth() >= 5 && date.getUTCMonth() <= 7;
    for (const [line, mode] of LINES) {
      const base = mode === "Tram" ? 14_000 : mode === "Bus" ? 5_500 : 1_200;
      const factor =
        (weekend ? 0.55 : 1) * (mode === "Ferry" && summer ? 2.2 : 1) * (line === "34" ? 0.3 : 1);
      rows.push([isoDay(day), line, Math.round(base * factor * (0.85 + rnd() * 0.3))]);
    }
  }
  return {
    "ridership.csv": csv(["Date", "Line", "Boardings"], rows),
    "lines.csv": csv(["Line", "Mode", "Route", "Route length km"], LINES),
  };
}

const STATIONS = [
  ["Harbor", "Port District", 59.9121, 10.7461],
  ["Old Town", "Centre", 59.9139, 10.7522],
  ["Eastfield", "East", 59.9227, 10.8012],
  ["Hillcrest", "North", 59.9401, 10.7635],
  ["Westbrook", "West", 59.9188, 10.6954],
];
const POLLUTANTS = [
  ["NO2", 28, 12],
  ["PM10", 18, 8],
  ["PM2.5", 9, 5],
  ["O3", 52, 15],
];

/** Air quality: daily mean per station and pollutant (µg/m³) for 2024 and 2025, some readings missing. */
function airQuality(rnd) {
  const rows = [];
  const start = Date.UTC(2024, 0, 1);
  const end = Date.UTC(2025, 11, 31);
  for (let day = start; day <= end; day += DAY_MS) {
    const month = new Date(day).getUTCMonth();
    const winter = month <= 1 || month === 11;
    STATIONS.forEach(([station], s) => {
      for (const [pollutant, mean, spread] of POLLUTANTS) {
        // About one reading in 50 is missing (sensor outage): an empty cell, as in real feeds.
        const missing = rnd() < 0.02;
        const traffic = station === "Old Town" || station === "Harbor" ? 1.25 : 1;
        const season = pollutant === "O3" ? (winter ? 0.6 : 1.2) : winter ? 1.3 : 0.9;
        const value = Math.max(0.5, mean * traffic * season + (rnd() - 0.5) * 2 * spread + s * 0.3);
        rows.push([isoDay(day), station, pollutant, missing ? null : Math.round(value * 10) / 10]);
      }
    });
  }
  return {
    "air_quality.csv": csv(["Date", "Station", "Pollutant", "Value"], rows),
    "stations.csv": csv(["Station", "District", "Latitude", "Longitude"], STATIONS),
  };
}

const README = `Riverton open-data portal: SAMPLE DATA
=====================================

Every file in this directory is SYNTHETIC. Riverton is a fictional city; the numbers were made up by
packages/engine/scripts/generate-sample-data.mjs from a fixed seed and describe nothing real.

City spending     spending.csv (Year, Month, Department, Category, Vendor, Amount)
                  departments.csv (Department, Division, Director)  - associates on Department
Public transport  ridership.csv (Date, Line, Boardings)
                  lines.csv (Line, Mode, Route, Route length km)    - associates on Line
Air quality       air_quality.csv (Date, Station, Pollutant, Value) - Value empty = missing reading
                  stations.csv (Station, District, Latitude, Longitude) - associates on Station
Benchmark         transactions.csv (1,000,000 rows x 10 fields), only with --big
`;

export const BIG_TABLE_FIELDS = [
  "Date",
  "Year",
  "Month",
  "Region",
  "Store",
  "Category",
  "Product",
  "Channel",
  "Quantity",
  "Amount",
];
const REGIONS = ["North", "South", "East", "West", "Central", "Harbor", "Hills", "Valley"];
const CHANNELS = ["Store", "Online", "Phone"];

/** The benchmark table: `rows` sales transactions, 10 fields, streamed to `path`. */
export async function writeBigTable(path, rows = 1_000_000, seed = 7) {
  const rnd = random(seed);
  const out = createWriteStream(path);
  out.write(BIG_TABLE_FIELDS.join(",") + "\r\n");
  const start = Date.UTC(2024, 0, 1);
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    const day = start + Math.floor(rnd() * 731) * DAY_MS;
    const date = new Date(day);
    const region = Math.floor(rnd() * REGIONS.length);
    const store = region * 25 + Math.floor(rnd() * 25);
    const category = Math.floor(rnd() * 20);
    const product = category * 50 + Math.floor(rnd() * 50);
    const quantity = 1 + Math.floor(rnd() * rnd() * 20);
    const amount = Math.round(quantity * (2 + product * 0.37) * (0.9 + rnd() * 0.2) * 100) / 100;
    chunk += `${isoDay(day)},${date.getUTCFullYear()},${date.getUTCMonth() + 1},${REGIONS[region]},S${pad(store)},C${pad(category)},P${product},${CHANNELS[Math.floor(rnd() * rnd() * 3)]},${quantity},${amount}\r\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}

const DISTRICTS = ["Old Town", "Riverside", "Northgate", "Hillcrest", "Harbor", "Westfield"];
const PERMIT_KINDS = [
  ["New building", 1800],
  ["Renovation", 600],
  ["Demolition", 900],
  ["Sign", 80],
  ["Event", 120],
];

/**
 * city.db: a SQLite database with the building permits the city issued in 2024, for the demo app that
 * loads through a data connection. Written afresh each time (same rows for the same seed).
 */
async function writeCityDb(file, rnd) {
  const { default: Database } = await import("better-sqlite3");
  rmSync(file, { force: true });
  const db = new Database(file);
  db.exec(
    "create table permits (permit text, district text, kind text, issued date, month text, fee real, days_to_decide integer)",
  );
  const insert = db.prepare("insert into permits values (?, ?, ?, ?, ?, ?, ?)");
  const start = Date.UTC(2024, 0, 1);
  db.transaction(() => {
    for (let n = 1; n <= 2400; n++) {
      const day = start + Math.floor(rnd() * 366) * DAY_MS;
      const [kind, base] = PERMIT_KINDS[Math.floor(rnd() * rnd() * PERMIT_KINDS.length)];
      const date = new Date(day);
      insert.run(
        `P-2024-${String(n).padStart(5, "0")}`,
        DISTRICTS[Math.floor(rnd() * DISTRICTS.length)],
        kind,
        isoDay(day),
        date.toLocaleString("en", { month: "short", timeZone: "UTC" }),
        Math.round(base * (0.6 + rnd() * 0.8)),
        3 + Math.floor(rnd() * rnd() * 60),
      );
    }
  })();
  db.close();
}

/** Writes the small apps' files (and the big table when `big`) into `dir`; returns the file names. */
export async function writeSampleData(dir, { big = false } = {}) {
  mkdirSync(dir, { recursive: true });
  const files = {
    ...spending(random(2021)),
    ...transport(random(2024)),
    ...airQuality(random(2025)),
    "README.txt": README,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  await writeCityDb(join(dir, "city.db"), random(2026));
  const names = [...Object.keys(files), "city.db"];
  if (big) {
    await writeBigTable(join(dir, "transactions.csv"));
    names.push("transactions.csv");
  }
  return names;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const dir = resolve(args.find((a) => !a.startsWith("--")) ?? "demo/data");
  const names = await writeSampleData(dir, { big: args.includes("--big") });
  console.log(`wrote ${names.length} synthetic sample files to ${dir}`);
}
