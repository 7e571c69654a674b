#!/usr/bin/env python3
"""Hot spots of a JFR recording: the methods on top of the most execution samples (self) and the methods present
in the most samples anywhere on the stack (inclusive), from `jfr print --json --events jdk.ExecutionSample`.

Usage: jfr-hotspots.py RECORDING.jfr [TOP]   (needs the JDK's `jfr` on PATH)
"""
import collections
import json
import subprocess
import sys


def frames_of(event):
    trace = event["values"].get("stackTrace") or {}
    for frame in trace.get("frames", []):
        method = frame["method"]
        yield f'{method["type"]["name"]}.{method["name"]}'


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    text = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample", path],
                          check=True, capture_output=True, text=True).stdout
    events = json.loads(text)["recording"]["events"]
    self_counts, inclusive, ours = collections.Counter(), collections.Counter(), collections.Counter()
    for event in events:
        frames = list(frames_of(event))
        if not frames:
            continue
        self_counts[frames[0]] += 1
        for method in set(frames):
            inclusive[method] += 1
        # the innermost CacheGrid frame: which of our code paths the sample belongs to
        for method in frames:
            if method.startswith("io.cachegrid."):
                ours[method] += 1
                break
    total = len(events)
    print(f"JFR {path}: {total} execution samples")
    for title, counter in (("self (top of stack)", self_counts), ("inclusive (anywhere on the stack)", inclusive),
                           ("innermost io.cachegrid frame", ours)):
        print(f"-- {title}")
        for method, count in counter.most_common(top):
            print(f"{100.0 * count / total:6.1f}%  {count:6d}  {method}")


if __name__ == "__main__":
    main()
