#!/usr/bin/env python3
"""Scaling demo: drives a running Riffle and draws backlog and runners over time as an SVG.

Creates a pipeline with a slow handler (20 ms per event), publishes bursts of events, samples
GET /v1/pipelines/{id}/status every half second while the autoscaler scales up, drains, goes back
to zero after the idle timeout, and wakes on one more event. Standard library only.

    python3 deploy/scripts/scaling_demo.py --server http://127.0.0.1:8080 \
        --token "$(cat ~/.riffle/admin.token)" --out docs/scaling-demo.svg
"""
import argparse
import json
import time
import urllib.request


def call(server, method, path, token=None, body=None, data_token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Personal-Access-Token"] = token
    if data_token:
        headers["X-PIPELINE-ACCESS-TOKEN"] = data_token
    raw = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(server + path, data=raw, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read().decode()
        return json.loads(text) if text else None


HANDLER = "import time\n\ndef handler(data, log):\n    time.sleep(0.02)\n    return data\n"


def run(server, token, seconds):
    space = call(server, "POST", "/v1/spaces", token, {"name": "scaling-demo"})["id"]
    created = call(server, "POST", "/v1/pipelines", token, {
        "name": "scaling-demo", "space_id": space, "transformation_function": HANDLER,
        "settings": {"min_replicas": 0, "max_replicas": 4, "lag_per_replica": 100,
                     "cooldown_ms": 5000, "idle_timeout_ms": 10000, "batch_size": 10}})
    pid, data_token = created["id"], created["access_token"]
    while call(server, "GET", "/v1/pipelines/%s/status" % pid, token)["function_status"] != "ready":
        time.sleep(0.2)
    samples, start = [], time.time()
    bursts = {2.0: 600, 8.0: 300, seconds - 8.0: 1}
    sent = set()
    while time.time() - start < seconds:
        t = time.time() - start
        for at, count in bursts.items():
            if t >= at and at not in sent:
                sent.add(at)
                body = "\n".join(json.dumps({"n": i}) for i in range(count)).encode()
                call(server, "POST", "/v1/pipelines/%s/topics/input/events/batch" % pid, body=body,
                     data_token=data_token)
        s = call(server, "GET", "/v1/pipelines/%s/status" % pid, token)
        samples.append((t, s["backlog"] + s["in_flight"], s["replicas"]))
        time.sleep(0.5)
    decisions = call(server, "GET", "/v1/pipelines/%s/scaling" % pid, token)["events"]
    call(server, "DELETE", "/v1/pipelines/%s" % pid, token)
    call(server, "DELETE", "/v1/spaces/%s" % space, token)
    return samples, decisions


def svg(samples, width=900, height=360, pad=50):
    t_max = max(s[0] for s in samples) or 1
    b_max = max(max(s[1] for s in samples), 1)
    r_max = max(max(s[2] for s in samples), 4)
    x = lambda t: pad + (width - 2 * pad) * t / t_max
    yb = lambda b: height - pad - (height - 2 * pad) * b / b_max
    yr = lambda r: height - pad - (height - 2 * pad) * r / r_max
    backlog = " ".join("%.1f,%.1f" % (x(t), yb(b)) for t, b, _ in samples)
    runners = " ".join("%.1f,%.1f" % (x(t), yr(r)) for t, _, r in samples)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" '
           'font-size="12">' % (width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#888"/>' % (pad, height - pad, width - pad,
                                                                     height - pad),
           '<polyline fill="none" stroke="#d9480f" stroke-width="2" points="%s"/>' % backlog,
           '<polyline fill="none" stroke="#1c7ed6" stroke-width="2" points="%s"/>' % runners,
           '<text x="%d" y="20">backlog (events waiting or in flight, max %d, orange) and runners '
           '(0..%d, blue) over %d s</text>' % (pad, b_max, r_max, t_max),
           '<text x="%d" y="%d">0 s</text>' % (pad, height - pad + 20),
           '<text x="%d" y="%d">%d s</text>' % (width - pad - 20, height - pad + 20, t_max)]
    for r in range(r_max + 1):
        out.append('<text x="%d" y="%.1f" fill="#1c7ed6">%d</text>' % (width - pad + 8, yr(r) + 4, r))
    out.append("</svg>")
    return "\n".join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--server", default="http://127.0.0.1:8080")
    p.add_argument("--token", required=True)
    p.add_argument("--seconds", type=float, default=40.0)
    p.add_argument("--out", default="scaling-demo.svg")
    a = p.parse_args()
    samples, decisions = run(a.server.rstrip("/"), a.token, a.seconds)
    with open(a.out, "w") as f:
        f.write(svg(samples))
    for d in decisions:
        print("%s  %d -> %d  %s" % (d["at"], d["from"], d["to"], d["reason"]))
    print("wrote", a.out)


if __name__ == "__main__":
    main()
