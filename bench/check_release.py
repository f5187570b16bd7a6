"""An analyst's check of a published corpus: every table's parts against tasks/schema.py (columns, types,
nullability, column docs), pandas dtypes, nulls where the docs say never, and the join keys and counts between
tables (clusters, canonical copies, best_texts / repairs / documents / duplicates / side tables, the views).
Prints each check and the problems found; exit status 1 when there is one.

    python bench/check_release.py OUT
"""

import glob
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tasks import schema  # noqa: E402

out = sys.argv[1]
problems = []


def P(*a):
    problems.append(" ".join(map(str, a)))
    print("PROBLEM", *a)


for t, sch in schema.TABLES.items():
    files = sorted(glob.glob(f"{out}/{t}/*.parquet"))
    if not files:
        if t in (
            "documents",
            "rejects",
            "removed_lines",
            "duplicates",
            "best_texts",
            "repairs",
            "reuse",
            "reuse_formulae",
            "sections",
            "figures",
            "slogans",
            "mentions",
            "keywords",
        ):
            P(t, "no parts")
        continue
    schemas = {str(pq.read_schema(f).remove_metadata()) for f in files}
    if len(schemas) > 1:
        P(t, "part schemas differ")
    fs = pq.read_schema(files[0])
    names = [f.name for f in fs]
    if names != sch.names:
        P(t, "columns differ", set(names) ^ set(sch.names), names[:5])
    for f in sch:
        if f.name in names:
            g = fs.field(f.name)
            if g.type != f.type:
                P(t, f.name, "type", g.type, "!=", f.type)
            if g.nullable != f.nullable:
                P(t, f.name, "nullable in file", g.nullable, "doc", f.nullable)
            if not (g.metadata or {}).get(b"doc"):
                P(t, f.name, "no doc metadata")
    tab = ds.dataset(files, format="parquet").to_table()
    for f in sch:
        if not f.nullable and f.name in tab.column_names and tab.column(f.name).null_count:
            P(t, f.name, "nulls", tab.column(f.name).null_count, "but documented never null")
    df = pd.read_parquet(f"{out}/{t}")
    print(
        f"{t:15} rows {tab.num_rows:6} parts {len(files):3} pandas dtypes: "
        + ", ".join(f"{c}:{d}" for c, d in df.dtypes.items() if str(d) not in ("object",))[:300]
    )
con = duckdb.connect()
con.execute(f"SET VARIABLE corpus = '{out}'")
con.execute((ROOT / "tasks" / "views.sql").read_text(encoding="utf-8"))


def q(sql):
    return con.sql(sql).fetchall()


def zero(label, sql):
    n = q(sql)[0][0]
    if n:
        P(label, n)
        print(
            "   e.g.",
            q(sql.replace("select count(*)", "select *", 1) + " limit 3")
            if "select count(*) from (" not in sql
            else "",
        )
    else:
        print("ok  ", label)


zero("doc_id unique", "select count(*) - count(distinct doc_id) from documents")
zero(
    "cluster: exactly one canonical",
    "select count(*) from (select coalesce(cluster_id, doc_id) c, sum(is_canonical::int) k from documents group by 1 having k <> 1)",
)
zero(
    "best_texts cluster not in documents",
    "select count(*) from best_texts b anti join documents d on d.cluster_id = b.cluster_id",
)
zero(
    "best_texts canonical_id is not the cluster's canonical",
    "select count(*) from best_texts b join documents d on d.doc_id = b.canonical_id where not d.is_canonical or d.cluster_id is distinct from b.cluster_id",
)
zero(
    "base_id not in cluster",
    "select count(*) from best_texts b anti join documents d on d.doc_id = b.base_id and d.cluster_id = b.cluster_id",
)
zero(
    "n_members != cluster size",
    "select count(*) from best_texts b join (select cluster_id, count(*) n from documents group by 1) d using (cluster_id) where d.n <> b.n_members",
)
zero("n_chars != length(best_text)", "select count(*) from best_texts where n_chars <> length(best_text)")
zero(
    "n_repairs != rows",
    "select count(*) from best_texts b left join (select cluster_id, count(*) filter (where kind <> 'conflict') r, count(*) filter (where kind = 'conflict') c from repairs group by 1) x using (cluster_id) where coalesce(x.r,0) <> b.n_repairs or coalesce(x.c,0) <> b.n_conflicts",
)
zero(
    "repair_counts != rows",
    "select count(*) from (select b.cluster_id, unnest(map_entries(b.repair_counts)) e from best_texts b) y left join (select cluster_id, kind, count(*) n from repairs group by all) x on x.cluster_id = y.cluster_id and x.kind = y.e.key where x.n is distinct from y.e.value",
)
zero("repairs cluster not in best_texts", "select count(*) from repairs r anti join best_texts b using (cluster_id)")
zero(
    "repair evidence not a member",
    "select count(*) from (select cluster_id, unnest(evidence) d from repairs) r anti join documents x on x.doc_id = r.d and x.cluster_id = r.cluster_id",
)
zero(
    "sources not a member",
    "select count(*) from (select cluster_id, unnest(sources) d from best_texts) r anti join documents x on x.doc_id = r.d and x.cluster_id = r.cluster_id",
)
zero(
    "repair after not at position",
    "select count(*) from repairs r join best_texts b using (cluster_id) where kind <> 'conflict' and substr(b.best_text, r.position + 1, length(r.after)) <> r.after",
)
zero(
    "conflict before not at position",
    "select count(*) from repairs r join best_texts b using (cluster_id) where kind = 'conflict' and substr(b.best_text, r.position + 1, length(r.before)) <> r.before",
)
zero("duplicates doc not in documents", "select count(*) from duplicates x anti join documents d using (doc_id)")
zero(
    "documents in a cluster of 2+ missing from duplicates",
    "select count(*) from documents d join (select cluster_id from documents group by 1 having count(*) > 1) c using (cluster_id) anti join duplicates x using (doc_id)",
)
for t in ("sections", "figures", "slogans", "mentions", "keywords", "removed_lines"):
    zero(f"{t} doc not in documents", f"select count(*) from {t} x anti join documents d using (doc_id)")
zero(
    "speeches rows != clusters",
    "select (select count(*) from speeches) - (select count(distinct coalesce(cluster_id, doc_id)) from documents)",
)
zero("speech_texts rows != speeches", "select (select count(*) from speech_texts) - (select count(*) from speeches)")
zero("speech_texts null best_text", "select count(*) from speech_texts where best_text is null")
zero(
    "reuse docs not in documents",
    "select count(*) from (select doc_id_a d from reuse union all select doc_id_b from reuse) r anti join documents x on x.doc_id = r.d",
)
counts = json.loads(Path(out, "manifest.json").read_text(encoding="utf-8"))["counts"]
for t in schema.TABLES:
    n = counts.get(f"{t}_rows")
    if n is not None and glob.glob(f"{out}/{t}/*.parquet"):
        zero(f"manifest {t}_rows != table rows", f"select {n} - count(*) from read_parquet('{out}/{t}/*.parquet')")
print("PROBLEMS", len(problems))
sys.exit(1 if problems else 0)
