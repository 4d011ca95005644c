"""Turns bench/results/*.json into the "Speed goals" section of bench/RESULTS.md.

usage: report.py RESULTS_DIR RESULTS_MD OPENBLAS_CORE_LINE
"""
import datetime
import json
import os
import platform
import re
import subprocess
import sys


def load_gbench(path):
    """name -> real_time in ns (medians), plus counters."""
    with open(path) as f:
        data = json.load(f)
    out = {}
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") not in (None, "median"):
            continue
        name = b["run_name"] if "run_name" in b else b["name"]
        out[name] = dict(b, ns=b["real_time"] * scale[b["time_unit"]])
    return out


def load_jsonl(path):
    out = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    d = json.loads(line)
                    out[d["name"]] = d["ns"]
    return out


def fmt_ns(ns):
    if ns is None:
        return "n/a"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


def main():
    results, md_path, core = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ""
    rt = load_gbench(os.path.join(results, "runtime.json"))
    torch = load_jsonl(os.path.join(results, "torch.jsonl"))
    ort = load_jsonl(os.path.join(results, "ort.jsonl"))
    cg = {}
    cg_path = os.path.join(results, "callgrind.jsonl")
    if os.path.exists(cg_path):
        for line in open(cg_path):
            d = json.loads(line)
            cg[(d["nodes"], d["runs"])] = d["instructions"]

    def t(name):
        b = rt.get(name)
        return b["ns"] if b else None

    def gflops(name):
        b = rt.get(name)
        return b.get("GFLOP/s") / 1e9 if b and "GFLOP/s" in b else None

    rows = []

    def row(case, tessera, anchor, ratio, goal, met):
        rows.append((case, tessera, anchor, ratio, goal, "met" if met else "**not met**"))

    o3 = t("BM_Overhead3_Tessera")
    tt = torch.get("overhead3")
    row("Run overhead, 3-node graph, 1 thread", fmt_ns(o3), f"libtorch eager {fmt_ns(tt)}",
        f"{o3 / tt:.2f}x libtorch" if o3 and tt else "n/a", "≤ 0.8 µs and ≤ libtorch",
        o3 is not None and o3 <= 800 and (tt is None or o3 <= tt))
    per1 = (t("BM_Chain_Tessera/101/1") - t("BM_Chain_Tessera/1/1")) / 100
    ort_per = (ort["chain101"] - ort["chain1"]) / 100 if "chain101" in ort else None
    row("marginal cost per node", fmt_ns(per1), f"ONNX Runtime {fmt_ns(ort_per)}",
        f"{per1 / ort_per:.2f}x ORT" if ort_per else "n/a", "≤ 100 ns and ≤ 1/3 of ORT",
        per1 <= 100 and (ort_per is None or per1 <= ort_per / 3))
    per2 = (t("BM_Chain_Tessera/101/2") - t("BM_Chain_Tessera/1/2")) / 100
    row("per node with an inter-op pool of 2", fmt_ns(per2), f"1 thread {fmt_ns(per1)}", f"{per2 / per1:.2f}x",
        "≤ 1.5x the 1-thread figure", per2 <= 1.5 * per1)
    m1, m2 = t("BM_TwoMatMuls_Tessera/1/real_time"), t("BM_TwoMatMuls_Tessera/2/real_time")
    row("two independent 512³ MatMuls, 2 threads vs 1", fmt_ns(m2), f"1 thread {fmt_ns(m1)}", f"{m1 / m2:.2f}x speed-up",
        "≥ 1.5x", m1 / m2 >= 1.5)
    for n, th, goal in [(1024, 1, 0.9), (2048, 1, 0.9), (1024, 2, 0.85), (2048, 2, 0.85), (64, 1, 0.7), (64, 2, 0.7)]:
        ours = gflops(f"BM_MatMul_Tessera/{n}/{th}/real_time")
        blas = gflops(f"BM_MatMul_OpenBLAS/{n}/{th}/real_time")
        ratio = ours / blas if ours and blas else None
        row(f"MatMul {n}³ f32, {th} thread{'s' if th > 1 else ''}" + (" (through a Session)" if n == 64 else ""),
            f"{ours:.1f} GFLOP/s" if ours else "n/a", f"OpenBLAS {blas:.1f} GFLOP/s" if blas else "OpenBLAS n/a",
            f"{ratio:.0%}" if ratio else "n/a", f"≥ {goal:.0%} of OpenBLAS", ratio is not None and ratio >= goal)
    add, loop = t("BM_Add1M_Tessera/real_time"), t("BM_Add1M_Loop/real_time")
    row("Add of 1M f32", fmt_ns(add), f"hand-written loop {fmt_ns(loop)}", f"{loop / add:.0%} of the loop's speed",
        "≥ 80% of the loop", loop / add >= 0.8)
    mlp1 = t("BM_MLP_Tessera/1")
    best = min([v for v in (ort.get("mlp_b1"), torch.get("mlp_b1")) if v] or [None]) if (ort or torch) else None
    row("MLP forward, batch 1", fmt_ns(mlp1), f"faster of ORT {fmt_ns(ort.get('mlp_b1'))} / libtorch {fmt_ns(torch.get('mlp_b1'))}",
        f"{mlp1 / best:.2f}x" if best else "n/a", "≤ 0.7x the faster", best is not None and mlp1 <= 0.7 * best)
    b = t("BM_BuildCreateFirstRun")
    row("build + create + first Run, 3 nodes", fmt_ns(b), "", "", "≤ 1 ms", b <= 1e6)
    mlp64 = t("BM_MLP_Tessera/64")
    info = [("MLP forward, batch 64", fmt_ns(mlp64),
             f"ORT {fmt_ns(ort.get('mlp_b64'))} / libtorch {fmt_ns(torch.get('mlp_b64'))}",
             f"{mlp64 / min(v for v in (ort.get('mlp_b64'), torch.get('mlp_b64')) if v):.2f}x the faster"
             if (ort.get('mlp_b64') or torch.get('mlp_b64')) else "n/a", "(no goal)", "")]
    pl_path = os.path.join(results, "placement.json")
    if os.path.exists(pl_path):
        pl = load_gbench(pl_path)
        for n in (1000, 10000, 100000):
            v = pl.get(f"BM_Place/{n}")
            if v:
                per = v["ns"] / n
                info.append((f"placement of {n:,} nodes", fmt_ns(v["ns"]), "", f"{per:.0f} ns per node",
                             "10k: < 20 ms; linear" if n == 10000 else "", ""))
    rss_path = os.path.join(results, "mlp_rss.json")
    if os.path.exists(rss_path):
        rss = json.load(open(rss_path))["max_rss_kib"]
        info.append(("peak RSS of the MLP demo (examples/mlp_inference)", f"{rss / 1024:.1f} MiB", "", "", "(no goal)", ""))

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    lines = ["<!-- speed:begin -->", "## Speed goals (CPU, issue 5)", "",
             f"Machine: {platform.node() or 'project CPU machine'}, {os.cpu_count()} vCPUs; {core.strip() or 'OpenBLAS core n/a'}. "
             f"Date: {datetime.date.today().isoformat()}. Commit: {commit}. "
             "Reproduce: `bench/run_all.sh` (installs the anchors, runs everything, rewrites this section). "
             "tessera and the C++ anchors: median of 5 repetitions (Google Benchmark); libtorch and ONNX Runtime: "
             "median of 7 rounds; all in the same script run.", "",
             "| case | tessera | anchor | ratio | goal | |", "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines += ["| " + " | ".join(r) + " |" for r in info]
    if cg:
        lines += ["", "Instructions per `Session::Run` (callgrind, (110 runs - 10 runs) / 100; a noise-free figure for "
                  "overhead creep):", "", "| graph | instructions per Run |", "|---|---|"]
        for nodes in (3, 100):
            if (nodes, 10) in cg and (nodes, 110) in cg:
                lines.append(f"| {nodes} nodes | {(cg[(nodes, 110)] - cg[(nodes, 10)]) / 100:,.0f} |")
    lines += ["", "Raw numbers: `bench/results/`.", "<!-- speed:end -->"]
    section = "\n".join(lines)
    text = open(md_path).read() if os.path.exists(md_path) else "# Benchmark results\n"
    if "<!-- speed:begin -->" in text:
        text = re.sub(r"<!-- speed:begin -->.*<!-- speed:end -->", lambda m: section, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    open(md_path, "w").write(text)


if __name__ == "__main__":
    main()
