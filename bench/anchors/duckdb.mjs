/* global process, performance, console */
// The DuckDB anchor of `npm run bench`, through DuckDB's Node API (`npm install --no-save
// @duckdb/node-api` enables it; it is not a dependency): the bench's export on one thread, from
// the CSV file to answer counts per item by ethnicity group (read_csv, UNPIVOT, GROUP BY), as
// bench/anchors/duckdb_anchor.py does in Python. Prints one JSON line: seconds.
// Run: node bench/anchors/duckdb.mjs bench/data/nqsws-v2-1000000.csv
import { DuckDBInstance } from "@duckdb/node-api";

const file = process.argv[2];
const started = performance.now();
const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
const db = await instance.connect();
await db.run(`CREATE VIEW export AS SELECT * FROM read_csv('${file.replaceAll("'", "''")}', header = true, all_varchar = true)`);
const items = (await db.runAndReadAll("SELECT column_name FROM (DESCRIBE export) WHERE column_name LIKE 'Q% Statement %'")).getRows().map(([name]) => name);
const columns = items.map((name) => `"${name}"`).join(", ");
const counts = await db.runAndReadAll(`
  SELECT item, answer, grp, count(*) AS n FROM (
    SELECT CASE WHEN Ethnicity = 'White' THEN 'white' WHEN Ethnicity IN ('Black', 'Asian', 'Mixed') THEN 'minoritised' END AS grp, item, answer
    FROM (UNPIVOT export ON ${columns} INTO NAME item VALUE answer)
  ) WHERE grp IS NOT NULL GROUP BY ALL`);
if (counts.getRows().length === 0) throw new Error("no counts");
console.log(JSON.stringify({ seconds: Number(((performance.now() - started) / 1000).toFixed(3)) }));
