"""The one exception tree. Each class knows its CLI exit code and HTTP status.

GlassWallError            exit 2, HTTP 400
├── IntakeRefused         exit 2, HTTP 400   the upload itself is unsafe or unreadable
│   └── UploadTooLarge    exit 2, HTTP 413
├── Unauthorized          exit 2, HTTP 401   missing, unknown or revoked token
├── Forbidden             exit 2, HTTP 403   another agency's package
├── NotFound              exit 2, HTTP 404
├── BadParameter          exit 2, HTTP 409   an API parameter CKAN would call invalid
│   └── FeedbackRefused   exit 2, HTTP 400   a citizen's item that cannot be taken as sent
├── BadSetting            exit 2, HTTP 400   an environment variable that does not read as its kind
├── UnknownAction         exit 2, HTTP 400   an Action API name we do not serve
├── TooManyRequests       exit 2, HTTP 429   a rate limit; says when to try again
├── RequestTimeout        exit 2, HTTP 408   a request body that did not arrive in time
├── ClientGone            exit 2, HTTP 400   the client closed the connection mid-body
├── RemoteUnreachable     exit 1, HTTP 502   a portal we read from did not answer
├── FederationFailed      exit 1, HTTP 502   a CKAN portal refused, failed or did not answer
├── InvalidPackage        exit 1, HTTP 422   validation found errors; carries the report
│   └── RevisionsUnexplained  exit 1, HTTP 422  cross-version changes without an explanation
├── StoreProblem          exit 1, HTTP 500   the store is not in the state it must be
└── InsufficientStorage   exit 1, HTTP 507   the server's disk is full
"""

from __future__ import annotations

from typing import Any

from portal.i18n import bilingual


class GlassWallError(Exception):
    """An error with a bilingual message from the catalogs; `params` say what and where."""

    exit_code = 2
    http_status = 400
    ckan_type = "Validation Error"

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        self.message = bilingual(key, **params)
        super().__init__(self.message["en"])

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.key, "message": self.message, **{"where": self.params}}


class IntakeRefused(GlassWallError):
    pass


class UploadTooLarge(IntakeRefused):
    http_status = 413


class Unauthorized(GlassWallError):
    http_status = 401
    ckan_type = "Authorization Error"


class Forbidden(GlassWallError):
    http_status = 403
    ckan_type = "Authorization Error"


class NotFound(GlassWallError):
    http_status = 404
    ckan_type = "Not Found Error"


class RangeNotSatisfiable(GlassWallError):
    """A download's Range lies past the file's end; `http_headers` say its size."""

    http_status = 416

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key, **params)
        self.http_headers = {"Content-Range": f"bytes */{params.get('size', '*')}"}


class MethodNotAllowed(GlassWallError):
    """A page or route asked with a method it does not take (POST to a page, DELETE...)."""

    http_status = 405
    ckan_type = "Method Not Allowed"


class BadSetting(GlassWallError):
    """An operator's setting (`GLASSWALL_MAX_FILES=many`) refused with its name, not a
    traceback."""


class BadParameter(GlassWallError):
    """CKAN answers a bad action parameter with 409 and a `Validation Error`."""

    http_status = 409

    def __init__(self, key: str, /, *, field: str, **params: Any) -> None:
        self.field = field
        super().__init__(key, field=field, **params)


class FeedbackRefused(BadParameter):
    http_status = 400


class UnknownAction(GlassWallError):
    ckan_type = "Bad request"


class TooManyRequests(GlassWallError):
    http_status = 429

    def __init__(self, key: str, /, *, retry_after: int, **params: Any) -> None:
        self.retry_after = retry_after
        super().__init__(key, retry_after=retry_after, **params)


class RequestTimeout(GlassWallError):
    """A body trickling in slower than any real client sends (a slow-body attack)."""

    http_status = 408


class ClientGone(GlassWallError):
    """The client hung up before its body was in: nobody reads the answer, and it is no
    fault of the portal's (no traceback in the server's log)."""


class RemoteUnreachable(GlassWallError):
    exit_code = 1
    http_status = 502


class FederationFailed(GlassWallError):
    exit_code = 1
    http_status = 502


class InvalidPackage(GlassWallError):
    exit_code = 1
    http_status = 422
    clerk: Any = None  # a spreadsheet's report for the clerk (`portal.intake.sheets.clerk`)

    def __init__(self, report: Any, clerk: Any = None) -> None:
        self.report = report
        self.clerk = clerk
        super().__init__("publish.invalid", errors=report.error_count)


class RevisionsUnexplained(InvalidPackage):
    """Changes against the published version that nobody explained; the report lists them."""

    def __init__(self, report: Any) -> None:
        self.report = report
        GlassWallError.__init__(self, "revisions.unexplained", count=len(report.findings))


class StoreProblem(GlassWallError):
    exit_code = 1
    http_status = 500


class InsufficientStorage(GlassWallError):
    exit_code = 1
    http_status = 507
    ckan_type = "Insufficient Storage"
