#!/usr/bin/env python3
"""Allocation sites of a JFR recording, from `jfr print --json --events jdk.ObjectAllocationSample`: each sample's
weight (the bytes it stands for) summed by allocated class and its allocating frame, and by the innermost frame of
our own code or Helidon's, and inclusively by every CacheGrid or Helidon method on the stack, as a share of all sampled bytes (and per request when REQUESTS is given).

Samples weighing more than 32 times the median are left out and listed apart: a virtual thread's first samples
stand for bytes its carrier allocated before (one sample at ConnectionHandler.run once stood for 150 MB), which are
counted where they were allocated by the other samples' weights anyway.

Usage: jfr-alloc.py RECORDING.jfr [TOP] [REQUESTS]   (needs the JDK's `jfr` on PATH)
"""
import collections
import json
import subprocess
import sys


def frames_of(event):
    trace = event["values"].get("stackTrace") or {}
    for frame in trace.get("frames", []):
        method = frame["method"]
        yield f'{method["type"]["name"].replace("/", ".")}.{method["name"]}:{frame.get("lineNumber", "?")}'


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    requests = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    text = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events",
                           "jdk.ObjectAllocationSample", path], check=True, capture_output=True, text=True).stdout
    events = json.loads(text)["recording"]["events"]
    weights = sorted(event["values"]["weight"] for event in events)
    limit = 32 * weights[len(weights) // 2] if weights else 0
    outliers = [event for event in events if event["values"]["weight"] > limit]
    events = [event for event in events if event["values"]["weight"] <= limit]
    by_site, by_ours, by_class = collections.Counter(), collections.Counter(), collections.Counter()
    inclusive = collections.Counter()
    total = 0
    for event in events:
        weight = event["values"]["weight"]
        cls = event["values"]["objectClass"]["name"].replace("/", ".")
        frames = list(frames_of(event))
        total += weight
        by_class[cls] += weight
        by_site[(cls, frames[0] if frames else "?")] += weight
        # the innermost frame of CacheGrid or Helidon: whose code asked for the bytes
        owner = next((f for f in frames if f.startswith(("io.cachegrid.", "io.helidon."))), "?")
        by_ours[(cls, owner)] += weight
        # inclusive: every CacheGrid/Helidon method on the stack (what a filter or handler costs with its callees)
        for method in {f.split(":")[0] for f in frames if f.startswith(("io.cachegrid.", "io.helidon."))}:
            inclusive[method] += weight
    def show(title, counter, count=top):
        print(title)
        for key, weight in counter.most_common(count):
            per = f" {weight / requests:7.0f} B/req" if requests else ""
            label = " @ ".join(key) if isinstance(key, tuple) else key.replace("/", ".")
            print(f"  {100 * weight / total:5.1f}%{per}  {label}")
    print(f"JFR {path}: {len(events)} allocation samples standing for {total / 2**20:.0f} MB"
          + (f", {total / requests:.0f} B per request over {requests} requests" if requests else ""))
    for event in outliers:
        frames = list(frames_of(event))
        print(f'  left out: one sample of {event["values"]["weight"] / 2**20:.0f} MB, '
              f'{event["values"]["objectClass"]["name"]} @ {frames[0] if frames else "?"}')
    show("by class:", by_class)
    show("by class and allocating frame:", by_site)
    show("by class and innermost CacheGrid/Helidon frame:", by_ours)
    show("inclusive, by CacheGrid/Helidon method on the stack:", inclusive, 3 * top)


if __name__ == "__main__":
    main()
