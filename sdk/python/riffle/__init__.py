"""Riffle's Python SDK: GlassFlow-compatible data classes, a management client and Riffle's batch/follow extras.

Port GlassFlow code by changing the import and adding the server::

    from riffle import PipelineDataSource, PipelineDataSink
    source = PipelineDataSource(pipeline_id, pipeline_access_token, server_url="http://riffle:8080")
"""

from .client import Client
from .data import (Backoff, ConsumeEventResponse, ConsumeFailedResponse, PipelineDataClient, PipelineDataSink,
                   PipelineDataSource, PublishBatchResponse, PublishEventResponse)
from .errors import (BadRequestError, BuildFailedError, ClientError, ConflictError, ForbiddenError, NotFoundError,
                     PayloadTooLargeError, PipelineAccessTokenInvalidError, PipelineArtifactStillInProgressError,
                     PipelineNotFoundError, PipelineTooManyRequestsError, RiffleConnectionError,
                     ServiceUnavailableError, SpaceIsNotEmptyError, SpaceNotFoundError, UnauthorizedError,
                     UnknownContentTypeError, UnknownError)
from .http import __version__

# GlassFlow's name for the management client.
GlassFlowClient = Client

__all__ = [
    "Client", "GlassFlowClient", "PipelineDataClient", "PipelineDataSource", "PipelineDataSink", "Backoff",
    "PublishEventResponse", "PublishBatchResponse", "ConsumeEventResponse", "ConsumeFailedResponse",
    "ClientError", "UnknownError", "UnknownContentTypeError", "RiffleConnectionError", "BadRequestError",
    "UnauthorizedError", "ForbiddenError", "NotFoundError", "PipelineNotFoundError", "SpaceNotFoundError",
    "ConflictError", "SpaceIsNotEmptyError", "PayloadTooLargeError", "PipelineArtifactStillInProgressError",
    "PipelineAccessTokenInvalidError", "PipelineTooManyRequestsError", "ServiceUnavailableError",
    "BuildFailedError", "__version__",
]
