"""The DuckDB anchor of `npm run bench`: the bench's export on one thread, from the CSV file to
answer counts per item by ethnicity group (read_csv, UNPIVOT, GROUP BY), as the issue measured
it. Prints one JSON line: seconds. Run: python3 bench/anchors/duckdb_anchor.py <export.csv>"""
import json
import sys
import time

import duckdb

started = time.perf_counter()
db = duckdb.connect()
db.execute("SET threads TO 1")
db.execute(f"CREATE VIEW export AS SELECT * FROM read_csv('{sys.argv[1]}', header = true, all_varchar = true)")
items = [name for (name,) in db.execute("SELECT column_name FROM (DESCRIBE export) WHERE column_name LIKE 'Q% Statement %'").fetchall()]
columns = ", ".join(f'"{name}"' for name in items)
db.execute(
    f"""
    SELECT item, answer, grp, count(*) AS n FROM (
      SELECT CASE WHEN Ethnicity = 'White' THEN 'white' WHEN Ethnicity IN ('Black', 'Asian', 'Mixed') THEN 'minoritised' END AS grp, item, answer
      FROM (UNPIVOT export ON {columns} INTO NAME item VALUE answer)
    ) WHERE grp IS NOT NULL GROUP BY ALL
    """
).fetchall()
print(json.dumps({"seconds": round(time.perf_counter() - started, 3)}))
