"""Riffle worker harness: runs a user's ``handler(data, log)`` over the protocol in docs/worker-protocol.md.

Standard library only; uses ``orjson`` when it is importable. Usage::

    python riffle_runtime.py --handler FILE [--memory-limit-mb N] [--max-result-bytes N] [--max-processes N]
        [--check]
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import inspect
import io
import json
import os
import platform
import struct
import sys
import threading
import time
import traceback
from typing import Any, BinaryIO, Callable, List, Optional, Tuple

try:
    import orjson
except ImportError:  # pragma: no cover - depends on the environment
    orjson = None

PROTOCOL_VERSION = 1
MAX_MESSAGE_CHARS = 16 * 1024
MAX_FRAME_BYTES = 64 * 1024 * 1024
ASYNC_CONCURRENCY = 64
LEVELS = {"DEBUG": 100, "INFO": 200, "WARNING": 400, "ERROR": 500, "CRITICAL": 500}

_U32 = struct.Struct(">I")
_FRAME_HEAD = struct.Struct(">IB")
_RESULT_HEAD = struct.Struct(">IBI")
_FAILURE_HEAD = struct.Struct(">IB")
_RESERVED_LOG_KWARGS = ("exc_info", "stack_info", "stacklevel", "extra")


class Channel:
    """The private protocol stream; every frame the harness writes goes through ``write``.

    Only the worker process itself speaks the protocol: in a process the handler forked, log entries go to stderr
    as lines, and any other frame (the child returning from the handler) ends that child at once.
    """

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def write(self, kind: bytes, body: bytes) -> None:
        if os.getpid() != self._pid:
            if kind == b"L":
                os.write(2, body + b"\n")
                return
            os._exit(70)
        with self._lock:
            self._out.write(_FRAME_HEAD.pack(len(body) + 1, kind[0]))
            self._out.write(body)
            self._out.flush()


def read_exact(stream: BinaryIO, n: int) -> Optional[bytes]:
    data = stream.read(n)
    if data is None or len(data) < n:
        return None
    return data


def read_frame(stream: BinaryIO) -> Optional[Tuple[int, memoryview]]:
    """Returns (type, body) or None at end of input."""
    head = read_exact(stream, 4)
    if head is None:
        return None
    (length,) = _U32.unpack(head)
    if length < 1 or length > MAX_FRAME_BYTES:
        raise ValueError(f"bad frame length {length}")
    frame = read_exact(stream, length)
    if frame is None:
        return None
    view = memoryview(frame)
    return view[0], view[1:]


def split_batch(body: memoryview) -> List[memoryview]:
    (count,) = _U32.unpack_from(body, 0)
    events = []
    offset = 4
    for _ in range(count):
        (size,) = _U32.unpack_from(body, offset)
        offset += 4
        events.append(body[offset:offset + size])
        offset += size
    return events


def loads(raw: memoryview) -> Any:
    if orjson is not None:
        return orjson.loads(raw)
    return json.loads(bytes(raw))


def dumps_result(value: Any) -> bytes:
    """Compact UTF-8 JSON; raises TypeError when the value cannot be represented."""
    if orjson is not None:
        try:
            return orjson.dumps(value)
        except TypeError:
            pass  # e.g. integers over 64 bits: let json decide
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError, RecursionError) as error:
        raise TypeError(f"result is not JSON-serialisable: {error}") from None


def dumps_log(entry: dict) -> bytes:
    if orjson is not None:
        try:
            return orjson.dumps(entry, default=str, option=orjson.OPT_NON_STR_KEYS)
        except (TypeError, ValueError):
            pass
    return json.dumps(entry, default=str, ensure_ascii=True).encode("ascii")


def timestamp(now: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % (int(now * 1000) % 1000)


def format_message(msg: Any, args: tuple) -> str:
    text = str(msg)
    if args:
        values: Any = args[0] if len(args) == 1 and isinstance(args[0], dict) and args[0] else args
        try:
            text = text % values
        except Exception:
            text = " ".join([text, *(str(a) for a in args)])
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS] + "... [truncated]"
    return text


class FunctionLog:
    """The ``log`` argument: stdlib style ``log.info("x %s", v)`` and structlog style ``log.info("m", k=v)``."""

    def __init__(self, channel: Channel) -> None:
        self._channel = channel

    def emit(self, level: str, msg: Any, args: tuple = (), fields: Optional[dict] = None) -> None:
        payload: dict = {"message": format_message(msg, args)}
        if fields:
            exc_info = fields.pop("exc_info", None)
            extra = fields.pop("extra", None)
            fields.pop("stacklevel", None)
            if fields.pop("stack_info", False):
                payload["stack"] = "".join(traceback.format_stack()[:-2])
            if isinstance(extra, dict):
                payload.update(extra)
            for key, value in fields.items():
                if key != "message":
                    payload[key] = value
            if exc_info:
                payload["exception"] = _format_exc_info(exc_info)
        if isinstance(msg, BaseException) and "exception" not in payload:
            payload["exception_type"] = type(msg).__name__
        entry = {"level": level, "severity_code": LEVELS[level], "timestamp": timestamp(time.time()),
                 "payload": payload}
        self._channel.write(b"L", dumps_log(entry))

    def debug(self, msg: Any = "", *args: Any, **kwargs: Any) -> None:
        self.emit("DEBUG", msg, args, kwargs)

    def info(self, msg: Any = "", *args: Any, **kwargs: Any) -> None:
        self.emit("INFO", msg, args, kwargs)

    def warning(self, msg: Any = "", *args: Any, **kwargs: Any) -> None:
        self.emit("WARNING", msg, args, kwargs)

    warn = warning

    def error(self, msg: Any = "", *args: Any, **kwargs: Any) -> None:
        self.emit("ERROR", msg, args, kwargs)

    def exception(self, msg: Any = "", *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("exc_info", True)
        self.emit("ERROR", msg, args, kwargs)

    def critical(self, msg: Any = "", *args: Any, **kwargs: Any) -> None:
        self.emit("CRITICAL", msg, args, kwargs)

    fatal = critical


def _format_exc_info(exc_info: Any) -> str:
    if isinstance(exc_info, BaseException):
        return "".join(traceback.format_exception(type(exc_info), exc_info, exc_info.__traceback__))
    if isinstance(exc_info, tuple):
        return "".join(traceback.format_exception(*exc_info))
    return traceback.format_exc()


class LogStream(io.TextIOBase):
    """Replaces sys.stdout / sys.stderr: each complete line becomes one log entry."""

    def __init__(self, log: FunctionLog, level: str) -> None:
        super().__init__()
        self._log = log
        self._level = level
        self._pending = ""

    @property
    def encoding(self) -> str:
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return 2  # fd 1 is redirected to fd 2 anyway: raw writes become stderr lines

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        pending = self._pending + text
        if "\n" in text:
            *lines, pending = pending.split("\n")
            for line in lines:
                self._log.emit(self._level, line)
        if len(pending) > MAX_MESSAGE_CHARS:
            self._log.emit(self._level, pending)
            pending = ""
        self._pending = pending
        return len(text)

    def flush(self) -> None:
        if self._pending:
            line, self._pending = self._pending, ""
            self._log.emit(self._level, line)


def failure_of(error: BaseException) -> dict:
    kind = type(error).__name__
    text = str(error)
    frames = error.__traceback__
    while frames is not None and frames.tb_frame.f_code.co_filename == __file__:
        frames = frames.tb_next  # the harness's own frames say nothing to the user
    tb = "".join(traceback.format_exception(type(error), error, frames))
    return {"error": f"{kind}: {text}" if text else kind, "type": kind, "traceback": tb}


class ResultTooLarge(Exception):
    pass


class Runner:
    """Turns events into 'R' frames."""

    def __init__(self, handler: Callable, log: FunctionLog, channel: Channel, max_result_bytes: int,
                 flush_streams: Callable[[], None]) -> None:
        self.handler = handler
        self.log = log
        self.channel = channel
        self.max_result_bytes = max_result_bytes
        self.flush_streams = flush_streams
        self.async_concurrency = ASYNC_CONCURRENCY
        self.is_async = inspect.iscoroutinefunction(handler) or inspect.isasyncgenfunction(handler)
        self.loop = asyncio.new_event_loop() if self.is_async else None

    def encode(self, index: int, value: Any) -> bytes:
        if value is None:
            return _RESULT_HEAD.pack(index, 0, 0)
        if isinstance(value, (dict, list, str, bytes, int, float, bool)) or not hasattr(value, "__next__"):
            values: Any = (value,)
        else:
            values = value
        parts = [b""]
        total = count = 0
        for item in values:
            if item is None:
                continue
            encoded = dumps_result(item)
            if len(encoded) > self.max_result_bytes:
                raise ResultTooLarge(f"result of {len(encoded)} bytes is over the limit of {self.max_result_bytes}")
            total += len(encoded) + 4
            if total > MAX_FRAME_BYTES - 64:
                raise ResultTooLarge(f"results of this event are over {MAX_FRAME_BYTES} bytes together")
            parts.append(_U32.pack(len(encoded)))
            parts.append(encoded)
            count += 1
        parts[0] = _RESULT_HEAD.pack(index, 0, count)
        return b"".join(parts)

    def failure(self, index: int, error: BaseException) -> bytes:
        return _FAILURE_HEAD.pack(index, 1) + dumps_log(failure_of(error))

    def run_one(self, index: int, raw: memoryview) -> bytes:
        try:
            return self.encode(index, self.handler(loads(raw), self.log))
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: B036 - SystemExit from a handler is a failure too
            return self.failure(index, error)

    def run_batch(self, events: List[memoryview]) -> None:
        if self.loop is not None:
            self.loop.run_until_complete(self._run_async(events))
        else:
            for index, raw in enumerate(events):
                body = self.run_one(index, raw)
                self.flush_streams()
                self.channel.write(b"R", body)
        self.channel.write(b"D", _U32.pack(len(events)))

    async def _run_async(self, events: List[memoryview]) -> None:
        gate = asyncio.Semaphore(self.async_concurrency)

        async def one(index: int, raw: memoryview) -> bytes:
            async with gate:
                try:
                    value = self.handler(loads(raw), self.log)
                    if inspect.isasyncgen(value):
                        value = [item async for item in value]
                    elif inspect.isawaitable(value):
                        value = await value
                    return self.encode(index, value)
                except KeyboardInterrupt:
                    raise
                except BaseException as error:
                    return self.failure(index, error)

        tasks = [asyncio.ensure_future(one(index, raw)) for index, raw in enumerate(events)]
        for task in tasks:
            body = await task
            self.flush_streams()
            self.channel.write(b"R", body)


def load_handler(path: str) -> Callable:
    directory = os.path.dirname(os.path.abspath(path))
    if directory not in sys.path:
        sys.path.insert(0, directory)
    spec = importlib.util.spec_from_file_location("handler", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["handler"] = module
    spec.loader.exec_module(module)
    handler = getattr(module, "handler", None)
    if not callable(handler):
        raise AttributeError("the module defines no callable handler(data, log)")
    return handler


def apply_memory_limit(megabytes: int) -> None:
    if megabytes > 0:
        import resource
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def apply_process_limit(count: int) -> None:
    """RLIMIT_NPROC: a fork bomb fails with BlockingIOError inside the handler (counts every process of the uid)."""
    if count > 0:
        import resource
        resource.setrlimit(resource.RLIMIT_NPROC, (count, count))


def take_standard_streams() -> Tuple[BinaryIO, BinaryIO]:
    """Keeps fd 0/1 private to the protocol; the handler's stdin is empty and fd 1 writes go to stderr."""
    proto_in = os.fdopen(os.dup(0), "rb", buffering=1 << 16)
    proto_out = os.fdopen(os.dup(1), "wb", buffering=1 << 16)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdin = open(os.devnull, "r", encoding="utf-8")
    return proto_in, proto_out


def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Riffle worker harness")
    parser.add_argument("--handler", required=True)
    parser.add_argument("--memory-limit-mb", type=int, default=0)
    parser.add_argument("--max-result-bytes", type=int, default=1 << 20)
    parser.add_argument("--async-concurrency", type=int, default=ASYNC_CONCURRENCY,
                        help="events of one batch an async handler runs at once")
    parser.add_argument("--max-processes", type=int, default=0,
                        help="RLIMIT_NPROC: processes and threads the worker's uid may have (0 = unchanged)")
    parser.add_argument("--check", action="store_true")
    return parser.parse_args(argv)


def serve(proto_in: BinaryIO, runner: Runner) -> int:
    while True:
        frame = read_frame(proto_in)
        if frame is None or frame[0] == ord("X"):
            return 0
        if frame[0] != ord("B"):
            raise ValueError(f"unexpected frame type {frame[0]}")
        runner.run_batch(split_batch(frame[1]))


def main(argv: List[str]) -> int:
    args = parse_args(argv)
    proto_in, proto_out = take_standard_streams()
    channel = Channel(proto_out)
    log = FunctionLog(channel)
    out, err = LogStream(log, "INFO"), LogStream(log, "ERROR")
    sys.stdout, sys.stderr = out, err
    try:
        apply_memory_limit(args.memory_limit_mb)
        apply_process_limit(args.max_processes)
        handler = load_handler(args.handler)
    except KeyboardInterrupt:
        raise
    except BaseException as error:
        out.flush()
        err.flush()
        channel.write(b"E", dumps_log(failure_of(error)))
        return 1
    runner = Runner(handler, log, channel, args.max_result_bytes, lambda: (out.flush(), err.flush()))
    runner.async_concurrency = max(1, args.async_concurrency)
    hello = {"protocol": PROTOCOL_VERSION, "pid": os.getpid(), "python": platform.python_version(),
             "orjson": orjson is not None, "async": runner.is_async}
    channel.write(b"H", dumps_log(hello))
    if args.check:
        return 0
    return serve(proto_in, runner)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
