"""Runs `jllm bench --json` and llama.cpp (llamacpp_bench.py) on the same files, interleaved, and prints one
markdown table with both engines and their ratio. Started by bench/compare-llamacpp, which prepares the
llama.cpp build and the synthetic models."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def run_json(command):
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def fmt(samples):
    sd = statistics.stdev(samples) if len(samples) > 1 else 0.0
    return f"{statistics.fmean(samples):.2f} ± {sd:.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", required=True, help="the llama-cpp-python interpreter")
    ap.add_argument("--models", nargs="+", required=True)
    ap.add_argument("--threads", default="2", help="comma-separated thread counts for every model")
    ap.add_argument("--scaling-threads", default="1",
                    help="extra thread counts run on the first model only (empty for none)")
    ap.add_argument("-p", type=int, default=64)
    ap.add_argument("-n", type=int, default=32)
    ap.add_argument("-r", type=int, default=2, help="repetitions per engine process")
    ap.add_argument("--rounds", type=int, default=2, help="alternations jllm, llama.cpp per configuration")
    ap.add_argument("--executor", default="spinning")
    a = ap.parse_args()

    runs = [(m, int(t)) for m in a.models for t in a.threads.split(",")]
    runs += [(a.models[0], int(t)) for t in a.scaling_threads.split(",") if t]
    rows = []
    loads = [loadavg()]
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    for model, threads in runs:
        common = ["-m", model, "-p", str(a.p), "-n", str(a.n), "-r", str(a.r), "-t", str(threads)]
        results = {"jllm": [], "llama.cpp": []}
        for _ in range(a.rounds):
            results["jllm"].append(run_json(["./jllm", "bench", *common, "--executor", a.executor, "--json"]))
            loads.append(loadavg())
            results["llama.cpp"].append(run_json([a.python, os.path.join(HERE, "llamacpp_bench.py"), *common]))
            loads.append(loadavg())
            print(f"  {os.path.basename(model)} t={threads}: round done, load {loads[-1]}", file=sys.stderr)
        rows.append((model, threads, results))

    print(f"started {started}, {a.rounds} rounds x {a.r} repetitions per engine, pp{a.p} / tg{a.n}, "
          f"jllm executor {a.executor}; load average (1/5/15 min) during the runs: {', '.join(loads)}\n")
    print("| model | threads | test | jllm t/s | llama.cpp t/s | jllm / llama.cpp | per-round ratios |")
    print("| --- | ---: | --- | ---: | ---: | ---: | --- |")
    for model, threads, results in rows:
        for test in ("pp", "tg"):
            ours = [s for r in results["jllm"] for s in r[test]["samples_tps"]]
            theirs = [s for r in results["llama.cpp"] for s in r[test]["samples_tps"]]
            per_round = [j[test]["mean_tps"] / l[test]["mean_tps"] for j, l in zip(results["jllm"], results["llama.cpp"])]
            tokens = results["jllm"][0][test]["tokens"]
            print(f"| {os.path.basename(model)} | {threads} | {test}{tokens} | {fmt(ours)} | {fmt(theirs)} | "
                  f"{statistics.fmean(ours) / statistics.fmean(theirs):.2f} | "
                  f"{', '.join(f'{x:.2f}' for x in per_round)} |")
    print("\n| model | threads | jllm load ms | llama.cpp load ms | jllm first token ms | llama.cpp first token ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for model, threads, results in rows:
        def mean(engine, key):
            return statistics.fmean(r[key] for r in results[engine])
        print(f"| {os.path.basename(model)} | {threads} | {mean('jllm', 'load_ms'):.0f} | "
              f"{mean('llama.cpp', 'load_ms'):.0f} | {mean('jllm', 'first_token_ms'):.0f} | "
              f"{mean('llama.cpp', 'first_token_ms'):.0f} |")


if __name__ == "__main__":
    main()
