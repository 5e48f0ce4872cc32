package io.riffle.it;

/** The handlers of {@link HostileCodeIT}: each tries one attack and returns (or dies with) what it found. */
final class HostileHandlers {
    static final String GOOD = """
        def handler(data, log):
            return {"id": data["id"]}
        """;

    /** Environment, /proc of the parent and of init, the data dir's secret files, another pipeline's files. */
    static final String SNOOP = """
        import os

        def attempt(path, listing=False):
            try:
                if listing:
                    return "LISTED " + ",".join(sorted(os.listdir(path)))
                with open(path, "rb") as f:
                    return "READ " + f.read(4096).decode("utf-8", "replace")
            except Exception as e:
                return type(e).__name__

        def other_environs():
            readable = []
            for pid in filter(str.isdigit, os.listdir("/proc")):
                if int(pid) != os.getpid() and attempt("/proc/%s/environ" % pid).startswith("READ"):
                    readable.append(pid)
            return "READ " + " ".join(readable) if readable else "PermissionError"

        def handler(data, log):
            work = os.getcwd()  # <data dir>/work/<pipeline>/<replica>
            root = os.path.dirname(os.path.dirname(os.path.dirname(work)))
            good = data["good"]
            ppid = os.getppid()
            reads = {
                "parent environ": attempt("/proc/%d/environ" % ppid),
                "init environ": attempt("/proc/1/environ"),
                "any other environ": other_environs(),
                "parent's view of the key": attempt("/proc/%d/root%s/master.key" % (ppid, root)),
                "master.key": attempt(root + "/master.key"),
                "admin.token": attempt(root + "/admin.token"),
                "postgres.password": attempt(root + "/postgres.password"),
                "nats password": attempt(root + "/nats/password"),
                "nats.conf": attempt(root + "/nats/nats.conf"),
                "pg_hba.conf": attempt(root + "/postgres/pg_hba.conf"),
                "riffle.lock": attempt(root + "/riffle.lock"),
                "data dir listing": attempt(root, listing=True),
                "work listing": attempt(root + "/work", listing=True),
                "jetstream listing": attempt(root + "/nats/jetstream", listing=True),
                "good work dir": attempt(root + "/work/" + good + "/0", listing=True),
                "good handler": attempt(root + "/functions/" + good + "/v1/handler.py"),
            }
            return {"uid": os.getuid(), "environ": dict(os.environ), "reads": reads,
                    "self environ": attempt("/proc/self/environ"),
                    "parent cmdline": attempt("/proc/%d/cmdline" % ppid)}
        """;

    /** Connections to the platform's own NATS and PostgreSQL without credentials. */
    static final String NETWORK = """
        import socket, struct

        def nats(port):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b'CONNECT {"verbose":false,"pedantic":false}\\r\\nSUB > 1\\r\\nPING\\r\\n')
            out = b""
            try:
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    out += chunk
            except OSError:
                pass
            return out.decode("utf-8", "replace")

        def pg(sock):
            body = struct.pack(">I", 196608) + b"user\\0postgres\\0database\\0postgres\\0\\0"
            sock.sendall(struct.pack(">I", len(body) + 4) + body)
            head = sock.recv(9)
            if head[:1] == b"R":
                return struct.unpack(">I", head[5:9])[0]
            return head[:1].decode("latin-1")

        def pg_socket(port):
            try:
                s = socket.socket(socket.AF_UNIX)
                s.settimeout(5)
                s.connect("/tmp/.s.PGSQL.%d" % port)
                return str(pg(s))
            except Exception as e:
                return type(e).__name__

        def handler(data, log):
            return {"nats": nats(data["nats"]),
                    "pg_tcp": pg(socket.create_connection(("127.0.0.1", data["pg"]), timeout=5)),
                    "pg_socket": pg_socket(data["pg"])}
        """;

    static final String FORK_BOMB = """
        import os

        def handler(data, log):
            while True:
                os.fork()
        """;

    static final String MEMORY_BOMB = """
        def handler(data, log):
            hog = bytearray(data["mb"] * 1024 * 1024)
            return {"allocated": len(hog)}
        """;

    static final String LOOP = """
        def handler(data, log):
            while True:
                pass
        """;

    static final String HUGE_OUTPUT = """
        def handler(data, log):
            return {"data": "x" * data["size"]}
        """;

    /** print() lines as log entries, then 50 MB of raw writes to fd 2 in 64 KiB lines. */
    static final String LOG_FLOOD = """
        import os

        def handler(data, log):
            for i in range(data["lines"]):
                print("flood line", i)
            chunk = b"e" * 65536 + b"\\n"
            for _ in range(800):
                os.write(2, chunk)
            return {"printed": data["lines"]}
        """;

    static final String CRASH = """
        import ctypes, os, sys

        def handler(data, log):
            how = data["how"]
            if how == "os_exit":
                os._exit(3)
            if how == "sys_exit":
                sys.exit(3)
            if how == "segfault":
                ctypes.string_at(0)
            return data
        """;

    private HostileHandlers() {
    }
}
