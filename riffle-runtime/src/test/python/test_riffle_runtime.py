"""Unit tests of the worker harness: in-process pieces and whole processes speaking the protocol."""
from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import textwrap
import unittest
from typing import List, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS_DIR = os.path.join(HERE, "..", "..", "main", "python")
sys.path.insert(0, HARNESS_DIR)

import riffle_runtime as rt  # noqa: E402


class MemoryChannel(rt.Channel):
    def __init__(self) -> None:
        super().__init__(io.BytesIO())
        self.frames: List[Tuple[str, bytes]] = []

    def write(self, kind: bytes, body: bytes) -> None:
        self.frames.append((kind.decode(), bytes(body)))

    def logs(self) -> List[dict]:
        return [json.loads(body) for kind, body in self.frames if kind == "L"]


def batch(*events: object) -> bytes:
    encoded = [json.dumps(e).encode() for e in events]
    return struct.pack(">I", len(encoded)) + b"".join(struct.pack(">I", len(e)) + e for e in encoded)


def parse_frames(data: bytes) -> List[Tuple[str, bytes]]:
    frames, offset = [], 0
    while offset < len(data):
        (length,) = struct.unpack_from(">I", data, offset)
        frames.append((chr(data[offset + 4]), data[offset + 5:offset + 4 + length]))
        offset += 4 + length
    return frames


def parse_results(body: bytes) -> List[object]:
    index, status, count = struct.unpack_from(">IBI", body, 0)
    assert status == 0
    values, offset = [], 9
    for _ in range(count):
        (size,) = struct.unpack_from(">I", body, offset)
        values.append(json.loads(body[offset + 4:offset + 4 + size]))
        offset += 4 + size
    return values


class LogTest(unittest.TestCase):
    def setUp(self) -> None:
        self.channel = MemoryChannel()
        self.log = rt.FunctionLog(self.channel)

    def test_stdlib_style_formats_arguments(self) -> None:
        self.log.info("x %s and %d", "a", 3)
        entry = self.channel.logs()[0]
        self.assertEqual(entry["payload"]["message"], "x a and 3")
        self.assertEqual(entry["level"], "INFO")
        self.assertEqual(entry["severity_code"], 200)
        self.assertRegex(entry["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

    def test_structlog_style_keeps_fields_json_safe(self) -> None:
        self.log.warning("msg", key=1, when=object)
        payload = self.channel.logs()[0]["payload"]
        self.assertEqual(payload["key"], 1)
        self.assertIn("object", payload["when"])
        self.assertEqual(self.channel.logs()[0]["severity_code"], 400)

    def test_bad_format_falls_back_to_join(self) -> None:
        self.log.error("a %d", "b")
        self.assertEqual(self.channel.logs()[0]["payload"]["message"], "a %d b")

    def test_exception_object_and_levels(self) -> None:
        self.log.error(ValueError("boom"))
        self.log.debug("d")
        self.log.critical("c")
        self.log.warn("w")
        logs = self.channel.logs()
        self.assertEqual(logs[0]["payload"]["message"], "boom")
        self.assertEqual([e["severity_code"] for e in logs], [500, 100, 500, 400])

    def test_exception_adds_traceback(self) -> None:
        try:
            raise KeyError("k")
        except KeyError:
            self.log.exception("failed")
        self.assertIn("KeyError", self.channel.logs()[0]["payload"]["exception"])

    def test_long_messages_are_truncated(self) -> None:
        self.log.info("x" * 100_000)
        self.assertLess(len(self.channel.logs()[0]["payload"]["message"]), 17_000)

    def test_stream_emits_one_entry_per_line(self) -> None:
        stream = rt.LogStream(self.log, "ERROR")
        stream.write("a\nb")
        stream.write("c\n")
        self.assertEqual([e["payload"]["message"] for e in self.channel.logs()], ["a", "bc"])
        self.assertEqual(self.channel.logs()[0]["level"], "ERROR")


class RunnerTest(unittest.TestCase):
    def run_batch(self, handler, *events: object, max_bytes: int = 1 << 20) -> List[Tuple[str, bytes]]:
        channel = MemoryChannel()
        runner = rt.Runner(handler, rt.FunctionLog(channel), channel, max_bytes, lambda: None)
        runner.run_batch(rt.split_batch(memoryview(batch(*events))))
        return [f for f in channel.frames if f[0] != "L"]

    def test_values_none_and_generators(self) -> None:
        def handler(data, log):
            if data == 0:
                return None
            if data == 1:
                return (i for i in range(3))
            return {"v": data}

        frames = self.run_batch(handler, 0, 1, 2)
        self.assertEqual([parse_results(body) for _, body in frames[:3]], [[], [0, 1, 2], [{"v": 2}]])
        self.assertEqual(frames[3], ("D", struct.pack(">I", 3)))

    def test_failures(self) -> None:
        def handler(data, log):
            if data == 0:
                raise ValueError("bad")
            if data == 1:
                sys.exit(2)
            if data == 2:
                return {"x": object()}
            return "y" * 100

        frames = self.run_batch(handler, 0, 1, 2, 3, max_bytes=50)
        failures = [json.loads(body[5:]) for _, body in frames[:4]]
        self.assertEqual([f["type"] for f in failures], ["ValueError", "SystemExit", "TypeError", "ResultTooLarge"])
        self.assertEqual(failures[0]["error"], "ValueError: bad")
        self.assertIn("raise ValueError", failures[0]["traceback"])
        self.assertIn("not JSON-serialisable", failures[2]["error"])

    def test_async_handler_keeps_order(self) -> None:
        import asyncio

        async def handler(data, log):
            await asyncio.sleep(0.01 * (3 - data))
            return data

        frames = self.run_batch(handler, 0, 1, 2)
        self.assertEqual([struct.unpack_from(">I", body)[0] for _, body in frames[:3]], [0, 1, 2])
        self.assertEqual([parse_results(body) for _, body in frames[:3]], [[0], [1], [2]])


class ProcessTest(unittest.TestCase):
    def run_harness(self, source: str, payload: bytes, *extra: str) -> Tuple[int, List[Tuple[str, bytes]]]:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "handler.py")
            with open(path, "w", encoding="utf-8") as f:
                f.write(textwrap.dedent(source))
            harness = os.path.join(HARNESS_DIR, "riffle_runtime.py")
            done = subprocess.run([sys.executable, "-u", harness, "--handler", path, *extra], input=payload,
                                  capture_output=True, timeout=60, check=False)
            return done.returncode, parse_frames(done.stdout)

    def test_protocol_survives_prints_and_raw_writes(self) -> None:
        source = """
            import os, sys
            def handler(data, log):
                print("printed")
                os.write(1, b"junk")
                sys.stderr.write("err\\n")
                return data
        """
        body = batch({"a": 1})
        code, frames = self.run_harness(source, struct.pack(">IB", len(body) + 1, ord("B")) + body)
        self.assertEqual(code, 0)
        kinds = [k for k, _ in frames]
        self.assertEqual(kinds[0], "H")
        self.assertEqual(json.loads(frames[0][1])["protocol"], 1)
        self.assertEqual([k for k in kinds if k != "L"], ["H", "R", "D"])
        logs = [json.loads(b) for k, b in frames if k == "L"]
        self.assertEqual([(e["level"], e["payload"]["message"]) for e in logs], [("INFO", "printed"), ("ERROR", "err")])

    def test_syntax_error_is_a_load_error(self) -> None:
        code, frames = self.run_harness("def handler(data, log)\n    return 1\n", b"", "--check")
        self.assertEqual(code, 1)
        error = json.loads(frames[-1][1])
        self.assertEqual(frames[-1][0], "E")
        self.assertEqual(error["type"], "SyntaxError")

    def test_missing_handler_is_a_load_error(self) -> None:
        code, frames = self.run_harness("x = 1\n", b"")
        self.assertEqual((code, frames[-1][0]), (1, "E"))
        self.assertIn("handler", json.loads(frames[-1][1])["error"])

    def test_check_imports_and_exits(self) -> None:
        code, frames = self.run_harness("def handler(data, log):\n    return data\n", b"", "--check")
        self.assertEqual((code, [k for k, _ in frames]), (0, ["H"]))


if __name__ == "__main__":
    unittest.main()
