"""The management client: spaces, pipelines, the function (test, logs, versions), access tokens."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Union

from . import errors
from .data import PipelineDataSink, PipelineDataSource
from .http import Response, Transport, check, encode_multipart, resolve_token

Environments = Union[Mapping[str, str], Sequence[Mapping[str, str]]]
Time = Union[str, datetime, None]


def _environments(env: Optional[Environments]) -> Optional[List[Dict[str, str]]]:
    """``{"A": "1"}`` or ``[{"name": "A", "value": "1"}]`` → the wire list."""
    if env is None:
        return None
    if isinstance(env, Mapping):
        return [{"name": str(k), "value": str(v)} for k, v in env.items()]
    return [{"name": str(e["name"]), "value": str(e["value"])} for e in env]


def _time(value: Time) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def _source(transformation_function: Optional[str], transformation_file: Union[str, Path, None]) -> Optional[str]:
    if transformation_file is not None:
        if transformation_function is not None:
            raise ValueError("give transformation_function or transformation_file, not both")
        return Path(transformation_file).read_text(encoding="utf-8")
    return transformation_function


class Client:
    """Manages a Riffle server with a personal access token.

    ``server_url``: argument, else ``$RIFFLE_SERVER``, else http://127.0.0.1:8080 (``/v1`` is added).
    ``personal_access_token``: argument, else ``$RIFFLE_TOKEN``, else ``$RIFFLE_DATA_DIR/admin.token``
    (default ``~/.riffle/admin.token``).
    """

    def __init__(self, server_url: Optional[str] = None, personal_access_token: Optional[str] = None,
                 timeout: float = 30.0):
        self.personal_access_token = resolve_token(personal_access_token)
        self.transport = Transport(server_url, {"Personal-Access-Token": self.personal_access_token}, timeout)

    @property
    def server_url(self) -> str:
        return self.transport.server_url

    def _call(self, method: str, path: str, *, resource: str = "", resource_id: str = "", **kwargs: Any) -> Any:
        res: Response = check(self.transport.send(method, path, **kwargs), resource=resource, resource_id=resource_id)
        return res.json()

    def _pipeline(self, method: str, pipeline_id: str, path: str = "", **kwargs: Any) -> Any:
        return self._call(method, f"/pipelines/{pipeline_id}{path}", resource="pipeline", resource_id=pipeline_id,
                          **kwargs)

    # --- spaces -------------------------------------------------------------------------------------------

    def list_spaces(self) -> List[Dict[str, Any]]:
        """Spaces you are a member of: ``[{name, id, created_at, permission}]``."""
        return self._call("GET", "/spaces")["spaces"]

    def create_space(self, name: str) -> Dict[str, Any]:
        """Creates a space; returns ``{name, id, created_at}``."""
        return self._call("POST", "/spaces", json_body={"name": name})

    def delete_space(self, space_id: str) -> None:
        """Deletes an empty space; ``SpaceIsNotEmptyError`` while it holds pipelines."""
        self._call("DELETE", f"/spaces/{space_id}", resource="space", resource_id=space_id)

    # --- pipelines ----------------------------------------------------------------------------------------

    def list_pipelines(self, space_ids: Optional[Sequence[str]] = None) -> List[Dict[str, Any]]:
        """Pipelines of all your spaces, or of ``space_ids``."""
        params = {"space_id": list(space_ids)} if space_ids else None
        return self._call("GET", "/pipelines", params=params)["pipelines"]

    def get_pipeline(self, pipeline_id: str) -> Dict[str, Any]:
        """The detailed pipeline: connectors, environments, ``settings`` and ``function`` status."""
        return self._pipeline("GET", pipeline_id)

    def create_pipeline(self, name: str, space_id: str, transformation_function: Optional[str] = None, *,
                        transformation_file: Union[str, Path, None] = None, requirements_txt: Optional[str] = None,
                        environments: Optional[Environments] = None, metadata: Optional[Mapping[str, Any]] = None,
                        state: Optional[str] = None, settings: Optional[Mapping[str, Any]] = None,
                        source_connector: Optional[Mapping[str, Any]] = None,
                        sink_connector: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """Creates a pipeline running ``handler(data, log)`` from ``transformation_function`` (source text) or
        ``transformation_file`` (a path). Returns ``{id, name, space_id, metadata, created_at, state,
        access_token, function_status}``; the function builds in the background (see ``wait_ready``).

        ``settings`` (Riffle): ``{replicas, timeout_ms, max_retries, batch_size, memory_limit_mb}``.
        """
        body: Dict[str, Any] = {"name": name, "space_id": space_id,
                                "transformation_function": _source(transformation_function, transformation_file)}
        optional = {"requirements_txt": requirements_txt, "environments": _environments(environments),
                    "metadata": dict(metadata) if metadata is not None else None, "state": state,
                    "settings": dict(settings) if settings is not None else None,
                    "source_connector": source_connector, "sink_connector": sink_connector}
        body.update({k: v for k, v in optional.items() if v is not None})
        return self._call("POST", "/pipelines", json_body=body, resource="space", resource_id=space_id)

    def update_pipeline(self, pipeline_id: str, *, name: Optional[str] = None, state: Optional[str] = None,
                        metadata: Optional[Mapping[str, Any]] = None, transformation_function: Optional[str] = None,
                        transformation_file: Union[str, Path, None] = None, requirements_txt: Optional[str] = None,
                        environments: Optional[Environments] = None, settings: Optional[Mapping[str, Any]] = None,
                        **connectors: Any) -> Dict[str, Any]:
        """Changes the given fields (PATCH). A new handler, requirements or environments make a new function
        version. Connectors: ``source_connector=...`` / ``sink_connector=...`` (``None`` removes one)."""
        for key in connectors:
            if key not in ("source_connector", "sink_connector"):
                raise TypeError(f"update_pipeline() got an unexpected keyword argument '{key}'")
        fields = {"name": name, "state": state, "metadata": dict(metadata) if metadata is not None else None,
                  "transformation_function": _source(transformation_function, transformation_file),
                  "requirements_txt": requirements_txt, "environments": _environments(environments),
                  "settings": dict(settings) if settings is not None else None}
        body = {k: v for k, v in fields.items() if v is not None}
        body.update(connectors)
        return self._pipeline("PATCH", pipeline_id, json_body=body)

    def delete_pipeline(self, pipeline_id: str) -> None:
        self._pipeline("DELETE", pipeline_id)

    def pause_pipeline(self, pipeline_id: str) -> Dict[str, Any]:
        """Stops processing; published events wait in the pipeline until ``resume_pipeline``."""
        return self.update_pipeline(pipeline_id, state="paused")

    def resume_pipeline(self, pipeline_id: str) -> Dict[str, Any]:
        return self.update_pipeline(pipeline_id, state="running")

    def pipeline_status(self, pipeline_id: str) -> Dict[str, Any]:
        """Riffle's live status: ``state``, ``function_status`` (building|ready|failed), backlog, replicas, ..."""
        return self._pipeline("GET", pipeline_id, "/status")

    def wait_ready(self, pipeline_id: str, timeout: float = 300.0, interval: float = 0.25) -> Dict[str, Any]:
        """Waits until the latest function version is built; returns the status.
        Raises ``BuildFailedError`` (body = build log) if the build failed, ``TimeoutError`` after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.pipeline_status(pipeline_id)
            if status.get("function_status") == "ready":
                return status
            if status.get("function_status") == "failed":
                raise errors.BuildFailedError(f"the function of pipeline {pipeline_id} failed to build", 0,
                                              status.get("error") or "", None)
            if time.monotonic() >= deadline:
                raise TimeoutError(f"pipeline {pipeline_id}: function still {status.get('function_status')} "
                                   f"after {timeout} s")
            time.sleep(interval)

    # --- function -----------------------------------------------------------------------------------------

    def test_function(self, pipeline_id: str, event: Any) -> Dict[str, Any]:
        """Runs the function once on ``event``; nothing is published. Returns ``{status, response, responses,
        error_details, stack_trace, logs, ...}`` (GlassFlow's ``TestFunctionResponse`` plus Riffle fields)."""
        return self._pipeline("POST", pipeline_id, "/functions/main/test", json_body=event)

    def get_logs(self, pipeline_id: str, page_size: int = 50, page_token: Optional[str] = None,
                 severity_code: int = 100, start_time: Time = None, end_time: Time = None) -> Dict[str, Any]:
        """One page of function logs: ``{logs: [{level, severity_code, timestamp, payload: {message, ...}}],
        next}``; pass ``next`` as ``page_token`` for the following page."""
        params = {"page_size": page_size, "page_token": page_token, "severity_code": severity_code,
                  "start_time": _time(start_time), "end_time": _time(end_time)}
        return self._pipeline("GET", pipeline_id, "/functions/main/logs", params=params)

    def iter_logs(self, pipeline_id: str, page_size: int = 100, severity_code: int = 100, start_time: Time = None,
                  end_time: Time = None, page_token: Optional[str] = None) -> Iterator[Dict[str, Any]]:
        """Every log entry available now, page after page."""
        while True:
            page = self.get_logs(pipeline_id, page_size, page_token, severity_code, start_time, end_time)
            yield from page["logs"]
            if not page["logs"] or not page.get("next") or page.get("next") == page_token:
                return
            page_token = page["next"]

    def get_artifact(self, pipeline_id: str) -> Dict[str, Any]:
        """The latest function version: ``{files, transformation_function, requirements_txt, version, status}``."""
        return self._pipeline("GET", pipeline_id, "/functions/main/artifacts/latest")

    def upload_function(self, pipeline_id: str, transformation_function: Optional[str] = None, *,
                        transformation_file: Union[str, Path, None] = None,
                        requirements_txt: Optional[str] = None) -> Dict[str, Any]:
        """Deploys a new function version (multipart upload, as GlassFlow). Returns ``{version, status, ...}``.
        Raises ``PipelineArtifactStillInProgressError`` while the previous version is still building."""
        source = _source(transformation_function, transformation_file)
        if source is None and requirements_txt is None:
            raise ValueError("give the handler source (or file) and/or requirements_txt")
        files = {"file": ("handler.py", source.encode("utf-8"))} if source is not None else {}
        fields = {"requirementsTxt": requirements_txt} if requirements_txt is not None else {}
        data, content_type = encode_multipart(fields, files)
        return self._pipeline("POST", pipeline_id, "/functions/main/artifacts", data=data, content_type=content_type)

    def update_environments(self, pipeline_id: str, environments: Environments) -> Dict[str, Any]:
        """Replaces the function's environment variables (a new version)."""
        return self._pipeline("PATCH", pipeline_id, "/functions/main",
                              json_body={"environments": _environments(environments)})

    def list_versions(self, pipeline_id: str) -> Dict[str, Any]:
        """``{active_version, versions: [{version, status, created_at, requirements_txt, environments}]}``."""
        return self._pipeline("GET", pipeline_id, "/functions/main/versions")

    def get_version(self, pipeline_id: str, version: int) -> Dict[str, Any]:
        """One version with its source (``transformation_function``) and ``build_log``."""
        return self._pipeline("GET", pipeline_id, f"/functions/main/versions/{int(version)}")

    def rollback(self, pipeline_id: str, version: int) -> Dict[str, Any]:
        """Runs an earlier (or later) ready version; returns ``{active_version}``."""
        return self._pipeline("POST", pipeline_id, f"/functions/main/versions/{int(version)}/activate")

    # --- access tokens ------------------------------------------------------------------------------------

    def list_access_tokens(self, pipeline_id: str) -> List[Dict[str, Any]]:
        """``[{id, name, token, created_at}]``."""
        return self._pipeline("GET", pipeline_id, "/access_tokens")["access_tokens"]

    def create_access_token(self, pipeline_id: str, name: str) -> Dict[str, Any]:
        return self._pipeline("POST", pipeline_id, "/access_tokens", json_body={"name": name})

    def rename_access_token(self, pipeline_id: str, token_id: str, name: str) -> Dict[str, Any]:
        return self._pipeline("PATCH", pipeline_id, f"/access_tokens/{token_id}", json_body={"name": name})

    def revoke_access_token(self, pipeline_id: str, token_id: str) -> None:
        """Revokes a token; a pipeline keeps at least one."""
        self._pipeline("DELETE", pipeline_id, f"/access_tokens/{token_id}")

    # --- data plane helpers -------------------------------------------------------------------------------

    def _token(self, pipeline_id: str, token: Optional[str]) -> str:
        if token:
            return token
        tokens = self.list_access_tokens(pipeline_id)
        if not tokens:
            raise errors.PipelineAccessTokenInvalidError(f"pipeline {pipeline_id} has no access token", 0, "", None)
        return tokens[0]["token"]

    def data_source(self, pipeline_id: str, pipeline_access_token: Optional[str] = None) -> PipelineDataSource:
        """A source for the pipeline on this server; without a token, the pipeline's first token is used."""
        return PipelineDataSource(pipeline_id, self._token(pipeline_id, pipeline_access_token), self.server_url,
                                  self.transport.timeout)

    def data_sink(self, pipeline_id: str, pipeline_access_token: Optional[str] = None,
                  backoff: bool = True) -> PipelineDataSink:
        """A sink for the pipeline on this server; without a token, the pipeline's first token is used."""
        return PipelineDataSink(pipeline_id, self._token(pipeline_id, pipeline_access_token), self.server_url,
                                self.transport.timeout, backoff)
