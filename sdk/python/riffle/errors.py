"""Exceptions, named like GlassFlow's SDK so that ``except`` clauses port unchanged.

Every error raised for an HTTP answer is a :class:`ClientError` with ``status_code``,
``body`` (the response text), ``detail`` (a readable message) and ``raw_response``.
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Optional


class ClientError(Exception):
    """An error answer of the API (GlassFlow: ``glassflow.errors.ClientError``)."""

    def __init__(self, detail: str, status_code: int = 0, body: str = "", raw_response: Any = None):
        super().__init__(detail)
        self.detail = detail
        self.status_code = status_code
        self.body = body or ""
        self.raw_response = raw_response

    @property
    def msg(self) -> str:
        """The server's own message (``detail`` or ``msg`` of the JSON body), else the body text."""
        return server_message(self.body) or self.detail

    @property
    def retry_after(self) -> Optional[float]:
        """Seconds from the ``Retry-After`` header, when the server sent one."""
        headers = getattr(self.raw_response, "headers", None) or {}
        value = headers.get("retry-after")
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None

    def __str__(self) -> str:
        body = f"\n{self.body}" if self.body else ""
        return f"{self.detail}: Status {self.status_code}{body}"


class UnknownError(ClientError):
    """Any error answer without a more specific class (GlassFlow 2.1's ``UnknownError``)."""


class UnknownContentTypeError(ClientError):
    """A success answer that is not JSON."""


class RiffleConnectionError(ClientError, ConnectionError):
    """The server could not be reached at all (status_code is 0)."""


class BadRequestError(ClientError):
    """400: the request was refused as invalid; ``msg`` says why."""


class UnauthorizedError(ClientError):
    """401 on a management call: the personal access token is missing or invalid."""


class ForbiddenError(ClientError):
    """403: your role in the space does not allow this."""


class NotFoundError(ClientError):
    """404 for a resource that is neither a pipeline nor a space (e.g. a function version)."""


class PipelineNotFoundError(NotFoundError):
    """404: the pipeline does not exist, or you may not see it."""


class SpaceNotFoundError(NotFoundError):
    """404: the space does not exist, or you may not see it."""


class ConflictError(ClientError):
    """409 other than a non-empty space."""


class SpaceIsNotEmptyError(ConflictError):
    """409 on deleting a space that still holds pipelines."""


class PayloadTooLargeError(ClientError):
    """413: the event or batch is larger than the server accepts."""


class PipelineArtifactStillInProgressError(ClientError):
    """425: the function is still being built; try again later."""


class PipelineAccessTokenInvalidError(ClientError):
    """401 on a data-plane call: the pipeline access token is missing or invalid."""


class PipelineTooManyRequestsError(ClientError):
    """429: the pipeline's input stream is full (or the call was throttled); see ``retry_after``."""


class ServiceUnavailableError(ClientError):
    """503: the server cannot serve the call right now; see ``retry_after``."""


class BuildFailedError(ClientError):
    """A function version failed to build (raised by ``Client.wait_ready``); ``body`` holds the build log."""


def server_message(body: str) -> str:
    """``detail`` or ``msg`` of a JSON error body, or ``""``."""
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        return ""
    if isinstance(parsed, Mapping):
        for key in ("detail", "msg"):
            value = parsed.get(key)
            if isinstance(value, str) and value:
                return value
    return ""


def error_for(status_code: int, body: str = "", *, plane: str = "management", resource: str = "",
              resource_id: str = "", method: str = "", raw_response: Any = None) -> ClientError:
    """The exception for an error answer.

    ``plane`` is ``"data"`` for calls authorised by a pipeline access token, else ``"management"``.
    ``resource`` (``"pipeline"`` or ``"space"``) and ``resource_id`` name what a 404 or 409 is about;
    a 409 on ``DELETE`` of a space is :class:`SpaceIsNotEmptyError`.
    """
    text = server_message(body)
    label = f"{resource} {resource_id}".strip() or "resource"

    def make(cls: type, default: str) -> ClientError:
        if default and text:
            detail = f"{default} ({text})"
        else:
            detail = default or text or f"HTTP error {status_code}"
        return cls(detail, status_code, body, raw_response)

    if status_code == 401:
        if plane == "data":
            return make(PipelineAccessTokenInvalidError, "The Pipeline Access Token used is invalid")
        return make(UnauthorizedError, "Unauthorized request, Personal Access Token used is invalid")
    if status_code == 404:
        if resource == "pipeline" or plane == "data":
            return make(PipelineNotFoundError, f"Pipeline ID {resource_id} does not exist")
        if resource == "space":
            return make(SpaceNotFoundError, f"Space ID {resource_id} does not exist")
        return make(NotFoundError, f"{label} was not found")
    if status_code == 409:
        if resource == "space" and method.upper() == "DELETE":
            return make(SpaceIsNotEmptyError, "")
        return make(ConflictError, "")
    if status_code == 425:
        return make(PipelineArtifactStillInProgressError,
                    f"Artifact from pipeline {resource_id} is still in process, try again later.")
    if status_code == 429:
        return make(PipelineTooManyRequestsError, "Too many requests")
    if status_code == 400:
        return make(BadRequestError, "")
    if status_code == 403:
        return make(ForbiddenError, "")
    if status_code == 413:
        return make(PayloadTooLargeError, "")
    if status_code == 503:
        return make(ServiceUnavailableError, "")
    return make(UnknownError, "API error occurred")
