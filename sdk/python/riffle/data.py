"""The data plane: GlassFlow-shaped ``PipelineDataSource`` / ``PipelineDataSink`` plus Riffle's batch publish
and ``follow()``. Calls are authorised by a pipeline access token (``X-PIPELINE-ACCESS-TOKEN``)."""

from __future__ import annotations

import random
import time
from typing import Any, Callable, Iterable, Iterator, List, Mapping, Optional

from . import errors
from .http import Response, Transport, check, encode_ndjson


class Backoff:
    """GlassFlow SDK's consume delay: starts at ``minimum`` (1 s), doubles (plus 0–``jitter`` s) on 204/429
    up to ``maximum`` (60 s), back to ``minimum`` on 200. ``wait()`` sleeps only while above the minimum."""

    def __init__(self, minimum: float = 1.0, maximum: float = 60.0, jitter: float = 0.1,
                 sleep: Callable[[float], None] = time.sleep, rand: Callable[[float, float], float] = random.uniform):
        self.minimum = minimum
        self.maximum = maximum
        self.jitter = jitter
        self.current = minimum
        self._sleep = sleep
        self._rand = rand

    def update(self, status_code: int) -> None:
        if status_code == 200:
            self.current = self.minimum
        elif status_code in (204, 429):
            self.current = min(self.current * 2, self.maximum) + self._rand(0, self.jitter)

    def wait(self) -> None:
        if self.current > self.minimum:
            self._sleep(self.current)

    def reset(self) -> None:
        self.current = self.minimum


class PublishEventResponse:
    """Answer of ``publish``: ``status_code`` (as GlassFlow) and ``body`` ``{request_id, duplicate}`` (Riffle)."""

    def __init__(self, status_code: int, body: Any = None):
        self.status_code = status_code
        self.body = body

    @property
    def request_id(self) -> Optional[str]:
        return self.body.get("request_id") if isinstance(self.body, dict) else None

    @property
    def duplicate(self) -> bool:
        return bool(self.body.get("duplicate")) if isinstance(self.body, dict) else False

    def json(self) -> Any:
        return self.body

    def __repr__(self) -> str:
        return f"<PublishEventResponse {self.status_code} {self.body!r}>"


class PublishBatchResponse:
    """Answer of ``publish_batch``: ``accepted``, ``rejected`` and ``results``, one per event in order:
    ``{index, request_id, duplicate}`` or ``{index, error}``."""

    def __init__(self, status_code: int, body: Mapping[str, Any]):
        self.status_code = status_code
        self.body = body
        self.accepted: int = body.get("accepted", 0)
        self.rejected: int = body.get("rejected", 0)
        self.results: List[Mapping[str, Any]] = list(body.get("results", []))

    @property
    def errors(self) -> List[Mapping[str, Any]]:
        """The results of the events that were not stored."""
        return [r for r in self.results if "error" in r]

    def json(self) -> Any:
        return self.body

    def __repr__(self) -> str:
        return f"<PublishBatchResponse accepted={self.accepted} rejected={self.rejected}>"


class ConsumeEventResponse:
    """Answer of ``consume`` (GlassFlow SDK 2.x shape): ``status_code`` 200 with ``body`` (the
    ``ConsumeOutputEvent``: ``payload``, ``event_context``, ``status``, ``response``, ...), or 204/429 with
    ``body`` None. ``event()`` is ``body["response"]``, the handler's result."""

    def __init__(self, status_code: int, body: Any = None, raw_response: Optional[Response] = None):
        self.status_code = status_code
        self.body = body
        self.raw_response = raw_response

    def event(self) -> Any:
        if self.body:
            return self.body.get("response")
        return None

    def json(self) -> Any:
        """Like GlassFlow SDK 2.0's ``json()``: the handler's result (``body["response"]``), ``None`` when empty."""
        return self.event()

    @property
    def payload(self) -> Any:
        """The event as it was published."""
        return self.body.get("payload") if self.body else None

    @property
    def request_id(self) -> Optional[str]:
        return (self.body.get("event_context") or {}).get("request_id") if self.body else None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.status_code}>"


class ConsumeFailedResponse(ConsumeEventResponse):
    """Answer of ``consume_failed``: a dead letter. ``body`` adds ``error_details``, ``stack_trace`` and
    ``attempts``; Riffle puts the failed event in ``response`` too, so ``event()`` returns it as GlassFlow 2.1 does."""

    @property
    def error_details(self) -> Optional[str]:
        return self.body.get("error_details") if self.body else None

    @property
    def stack_trace(self) -> Optional[str]:
        return self.body.get("stack_trace") if self.body else None


class PipelineDataClient:
    """Base of source and sink: pipeline id, access token and server.

    ``server_url`` is the Riffle server (``http://host:8080`` or ``.../v1``); default ``$RIFFLE_SERVER``,
    else http://127.0.0.1:8080.
    """

    def __init__(self, pipeline_id: str, pipeline_access_token: str, server_url: Optional[str] = None,
                 timeout: float = 30.0):
        self.pipeline_id = pipeline_id
        self.pipeline_access_token = pipeline_access_token
        self.transport = Transport(server_url, {"X-PIPELINE-ACCESS-TOKEN": pipeline_access_token}, timeout)

    @property
    def server_url(self) -> str:
        return self.transport.server_url

    def _send(self, method: str, path: str, **kwargs: Any) -> Response:
        return self.transport.send(method, f"/pipelines/{self.pipeline_id}{path}", **kwargs)

    def _check(self, response: Response) -> Response:
        return check(response, plane="data", resource="pipeline", resource_id=self.pipeline_id)

    def validate_credentials(self) -> None:
        """Raises ``PipelineAccessTokenInvalidError`` (401) or ``PipelineNotFoundError`` (404); returns None if valid."""
        self._check(self._send("GET", "/status/access_token"))


class PipelineDataSource(PipelineDataClient):
    """Publishes events into a pipeline."""

    def publish(self, request_body: Mapping[str, Any], idempotency_key: Optional[str] = None,
                external_id: Optional[str] = None) -> PublishEventResponse:
        """Publishes one event (a dict). Returns once the server stored it.

        ``idempotency_key``: a retried publish with the same key is stored once (the answer then has
        ``duplicate`` True). ``external_id`` becomes ``event_context.external_id``.
        Raises ``PipelineTooManyRequestsError`` when the input stream is full (see its ``retry_after``).
        """
        res = self._check(self._send("POST", "/topics/input/events", json_body=dict(request_body),
                                     headers={"Idempotency-Key": idempotency_key, "X-External-Id": external_id}))
        return PublishEventResponse(res.status_code, res.json())

    def publish_batch(self, events: Iterable[Mapping[str, Any]],
                      idempotency_key: Optional[str] = None) -> PublishBatchResponse:
        """Publishes many events in one call (NDJSON); each gets its own result, in order.

        With ``idempotency_key`` K, event i is deduplicated under ``K:i``, so retrying the same batch with the
        same key stores nothing twice. Raises ``PipelineTooManyRequestsError`` only when nothing was stored.
        """
        body = encode_ndjson(events)
        if not body:
            return PublishBatchResponse(200, {"accepted": 0, "rejected": 0, "results": []})
        res = self._check(self._send("POST", "/topics/input/events/batch", data=body,
                                     content_type="application/x-ndjson",
                                     headers={"Idempotency-Key": idempotency_key}))
        return PublishBatchResponse(res.status_code, res.json())


class PipelineDataSink(PipelineDataClient):
    """Consumes results (and dead letters) of a pipeline, one event per call.

    ``backoff=True`` (default, as GlassFlow's SDK): after a 204 or 429 the next consume call first sleeps
    1 s, doubling up to 60 s, reset by a 200. ``backoff=False`` never sleeps; ``follow()`` is the
    low-latency way to stream results.
    """

    def __init__(self, pipeline_id: str, pipeline_access_token: str, server_url: Optional[str] = None,
                 timeout: float = 30.0, backoff: bool = True):
        super().__init__(pipeline_id, pipeline_access_token, server_url, timeout)
        self.backoff: Optional[Backoff] = Backoff() if backoff else None

    def _consume(self, topic: str, cls: type) -> Any:
        if self.backoff:
            self.backoff.wait()
        res = self._send("POST", f"/topics/{topic}/events/consume")
        if self.backoff:
            self.backoff.update(res.status_code)
        if res.status_code in (204, 429):
            return cls(res.status_code, None, res)
        self._check(res)
        if res.status_code == 200 and "json" not in res.content_type:
            raise errors.UnknownContentTypeError(f"unknown content-type received: {res.content_type}",
                                                 res.status_code, res.text, res)
        return cls(res.status_code, res.json(), res)

    def consume(self) -> ConsumeEventResponse:
        """Takes the next result: status 200 with ``body``, or 204 (nothing waiting) / 429 with ``body`` None."""
        return self._consume("output", ConsumeEventResponse)

    def consume_failed(self) -> ConsumeFailedResponse:
        """Takes the next dead letter (an event whose handler raised): 200 with ``body``, or 204."""
        return self._consume("failed", ConsumeFailedResponse)

    def follow(self, failed: bool = False, idle_timeout: Optional[float] = None, limit: Optional[int] = None,
               min_delay: float = 0.05, max_delay: float = 1.0) -> Iterator[ConsumeEventResponse]:
        """Yields results (or dead letters with ``failed=True``) as they arrive, forever by default.

        Polls consume without GlassFlow's long backoff: waits ``min_delay`` doubling to ``max_delay`` while
        nothing arrives, none while events flow. Stops after ``limit`` events, or when nothing arrived
        for ``idle_timeout`` seconds.
        """
        topic, cls = ("failed", ConsumeFailedResponse) if failed else ("output", ConsumeEventResponse)
        delay = min_delay
        count = 0
        last = time.monotonic()
        while limit is None or count < limit:
            res = self._send("POST", f"/topics/{topic}/events/consume")
            if res.status_code == 200:
                self._check(res)
                count += 1
                delay = min_delay
                last = time.monotonic()
                yield cls(200, res.json(), res)
                continue
            if res.status_code not in (204, 429):
                self._check(res)
            if idle_timeout is not None and time.monotonic() - last >= idle_timeout:
                return
            pause = delay
            if res.status_code == 429:
                retry = errors.error_for(429, res.text, raw_response=res).retry_after
                pause = max(pause, retry or 0)
            if idle_timeout is not None:
                pause = min(pause, max(0.0, idle_timeout - (time.monotonic() - last)) + 0.001)
            time.sleep(pause)
            delay = min(delay * 2, max_delay)

