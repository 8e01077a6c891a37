#!/usr/bin/env python3
"""Writes a trace of N people walking for the view's frame-rate benchmark
(docs/benchmarks.md): everyone is on the floor for the whole trace and keeps
moving (position samples every second along a random straight walk that
bounces off the floor's bounding box), so every frame moves every figure.
Deterministic (seeded). Usage:
  moving_people_trace.py SCENARIO_NAME FLOOR_ID WIDTH_M DEPTH_M N SECONDS OUT.csv
e.g. moving_people_trace.py 湖南省政务服务中心 F1 72 42 5000 120 /tmp/moving5000.csv
"""
import random
import sys


def main():
    name, floor, w, d, n, secs, out = sys.argv[1:8]
    w, d, n, secs = float(w), float(d), int(n), int(secs)
    rng = random.Random(42)
    people = []
    for i in range(n):
        x, y = rng.uniform(1, w - 1), rng.uniform(1, d - 1)
        speed = rng.uniform(0.8, 1.5)  # m/s, walking
        heading = rng.uniform(0, 6.283185307179586)
        import math
        people.append([x, y, speed * math.cos(heading), speed * math.sin(heading)])
    t0 = 10 * 3600
    with open(out, "w", encoding="utf-8") as f:
        f.write("#format,halltwin-trace/2\n")
        f.write(f"#scenario,{name}\n#scenario_file,\n#source,moving_people_trace.py\n#seed,42\n#replication,1\n")
        f.write("#start_date,\n#sample_interval_s,1\n")
        f.write("day,time_s,event,entity,kind,ticket,matter,window,staff,seat,door,device,x,y,floor\n")
        for i, p in enumerate(people):
            f.write(f"0,{t0:.3f},walk_start,P{i:05d},citizen,,,,,,,,{p[0]:.3f},{p[1]:.3f},{floor}\n")
        for s in range(1, secs + 1):
            for i, p in enumerate(people):
                p[0] += p[2]
                p[1] += p[3]
                if not 0.5 < p[0] < w - 0.5:
                    p[2] = -p[2]
                    p[0] = min(max(p[0], 0.5), w - 0.5)
                if not 0.5 < p[1] < d - 0.5:
                    p[3] = -p[3]
                    p[1] = min(max(p[1], 0.5), d - 0.5)
                f.write(f"0,{t0 + s:.3f},position,P{i:05d},citizen,,,,,,,,{p[0]:.3f},{p[1]:.3f},{floor}\n")


if __name__ == "__main__":
    main()
