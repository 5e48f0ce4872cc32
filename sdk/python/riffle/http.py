"""The HTTP layer: standard library only (``urllib``), JSON in and out, errors mapped in ``errors``."""

from __future__ import annotations

import json
import os
import platform
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import errors

__version__ = "0.1.0"
DEFAULT_SERVER = "http://127.0.0.1:8080"
USER_AGENT = f"riffle-python-sdk/{__version__} (Python {platform.python_version()})"

QueryValue = Union[str, int, float, bool, Sequence[Union[str, int]], None]


class AttrDict(dict):
    """A ``dict`` that also reads keys as attributes (``body.response`` as well as ``body["response"]``).

    GlassFlow's SDK 2.1 returns pydantic models (attribute access) and 2.0 dataclasses; this keeps
    both spellings working. ``event`` is an alias of ``response`` (SDK 2.0's field name).
    """

    def __getattr__(self, name: str) -> Any:
        if name in self:
            return self[name]
        if name == "event" and "response" in self:
            return self["response"]
        raise AttributeError(name)

    @staticmethod
    def wrap(value: Any) -> Any:
        if isinstance(value, dict):
            return AttrDict((k, AttrDict.wrap(v)) for k, v in value.items())
        if isinstance(value, list):
            return [AttrDict.wrap(v) for v in value]
        return value


class Response:
    """An HTTP answer: ``status_code``, ``headers`` (lower-case names), ``content`` bytes."""

    def __init__(self, status_code: int, headers: Mapping[str, str], content: bytes, url: str = "",
                 method: str = ""):
        self.status_code = status_code
        self.method = method
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.content = content
        self.url = url

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self) -> Any:
        """The decoded JSON body (``None`` when the body is empty), with attribute access on objects."""
        if not self.content.strip():
            return None
        return AttrDict.wrap(json.loads(self.content))

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    def __repr__(self) -> str:
        return f"<Response {self.status_code} {self.url}>"


def resolve_server_url(server_url: Optional[str] = None) -> str:
    """The API base URL ending in ``/v1``: the argument, else ``$RIFFLE_SERVER``, else http://127.0.0.1:8080.

    ``http://host:8080``, ``http://host:8080/`` and ``http://host:8080/v1`` all give ``http://host:8080/v1``.
    """
    url = (server_url or os.environ.get("RIFFLE_SERVER") or DEFAULT_SERVER).strip().rstrip("/")
    if "://" not in url:
        url = "http://" + url
    if not url.endswith("/v1"):
        url += "/v1"
    return url


def resolve_token(token: Optional[str] = None) -> Optional[str]:
    """A personal access token: the argument, else ``$RIFFLE_TOKEN``, else the file
    ``$RIFFLE_DATA_DIR/admin.token`` (default ``~/.riffle/admin.token``), else ``None``."""
    if token:
        return token.strip()
    env = os.environ.get("RIFFLE_TOKEN")
    if env and env.strip():
        return env.strip()
    data_dir = os.environ.get("RIFFLE_DATA_DIR")
    path = Path(data_dir) / "admin.token" if data_dir else Path.home() / ".riffle" / "admin.token"
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


def encode_json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def encode_ndjson(events: Iterable[Mapping[str, Any]]) -> bytes:
    """One compact JSON object per line (newline-terminated). JSON escapes newlines inside strings,
    so every event stays on its own line."""
    lines = []
    for i, event in enumerate(events):
        if not isinstance(event, Mapping):
            raise TypeError(f"event {i} must be a dict (a JSON object), got {type(event).__name__}")
        lines.append(encode_json(dict(event)))
    return b"".join(line + b"\n" for line in lines)


def encode_multipart(fields: Mapping[str, str], files: Mapping[str, Tuple[str, bytes]]) -> Tuple[bytes, str]:
    """A ``multipart/form-data`` body and its content type. ``files`` maps a part name to (filename, content)."""
    boundary = "riffle-" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields.items():
        out += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n".encode("utf-8")
        out += value.encode("utf-8") + b"\r\n"
    for name, (filename, content) in files.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                f"Content-Type: text/x-python\r\n\r\n").encode("utf-8")
        out += content + b"\r\n"
    out += f"--{boundary}--\r\n".encode("utf-8")
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def query_string(params: Optional[Mapping[str, QueryValue]]) -> str:
    if not params:
        return ""
    pairs: List[Tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            pairs.append((key, str(v).lower() if isinstance(v, bool) else str(v)))
    return ("?" + urllib.parse.urlencode(pairs)) if pairs else ""


class Transport:
    """Sends requests to one server with fixed headers; returns a :class:`Response` for every HTTP status."""

    def __init__(self, server_url: Optional[str] = None, headers: Optional[Mapping[str, str]] = None,
                 timeout: float = 30.0):
        self.server_url = resolve_server_url(server_url)
        self.headers: Dict[str, str] = {"Accept": "application/json", "User-Agent": USER_AGENT}
        self.headers.update({k: v for k, v in (headers or {}).items() if v is not None})
        self.timeout = timeout

    def url(self, path: str, params: Optional[Mapping[str, QueryValue]] = None) -> str:
        return self.server_url + "/" + path.lstrip("/") + query_string(params)

    def send(self, method: str, path: str, *, params: Optional[Mapping[str, QueryValue]] = None,
             json_body: Any = None, data: Optional[bytes] = None, content_type: Optional[str] = None,
             headers: Optional[Mapping[str, Optional[str]]] = None, timeout: Optional[float] = None) -> Response:
        url = self.url(path, params)
        all_headers = dict(self.headers)
        if json_body is not None:
            data = encode_json(json_body)
            content_type = content_type or "application/json"
        if content_type:
            all_headers["Content-Type"] = content_type
        for k, v in (headers or {}).items():
            if v is not None:
                all_headers[k] = v
        if data is None and method in ("POST", "PUT", "PATCH"):
            data = b""
        request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as res:
                return Response(res.status, dict(res.headers.items()), res.read(), url, method)
        except urllib.error.HTTPError as e:
            try:
                content = e.read()
            except OSError:
                content = b""
            return Response(e.code, dict(e.headers.items()) if e.headers else {}, content, url, method)
        except (urllib.error.URLError, socket.timeout, ConnectionError) as e:
            reason = getattr(e, "reason", e)
            raise errors.RiffleConnectionError(f"cannot reach the Riffle server at {self.server_url}: {reason}",
                                               0, "", None) from e


def check(response: Response, *, plane: str = "management", resource: str = "", resource_id: str = "") -> Response:
    """Returns a 2xx response unchanged; raises the mapped :class:`errors.ClientError` otherwise."""
    if response.ok:
        return response
    raise errors.error_for(response.status_code, response.text, plane=plane, resource=resource,
                           resource_id=resource_id, method=response.method, raw_response=response)
