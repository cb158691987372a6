"""An in-process CKAN at the client's transport edge (httpx's `MockTransport`, for requests).

`CkanPortal` takes its HTTP transport as a `requests.Session`; `FakeCkan` is a transport
adapter mounted on one for its own origin, answering the Action API calls push and pull
make from memory, as CKAN 2.11 shapes them (`{"success": ..., "result": ...}`, the error
`__type`s ckanapi turns back into exceptions), and serving uploaded files. No socket, no
thread: push and pull logic gets tests that take milliseconds, beside the real-CKAN ones
in test_federation.py. `fail` makes one action fail the way a real portal does.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from collections.abc import Callable, Mapping
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from portal.federation.client import CkanPortal

URL = "https://ckan.example.ir"
Answer = tuple[int, dict[str, Any]]


def _form(request: requests.PreparedRequest) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The call's fields and uploaded files: JSON, or multipart when a file is sent."""
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    kind = request.headers.get("Content-Type", "")
    if kind.startswith("application/json"):
        return json.loads(body or b"{}"), {}
    if kind.startswith("multipart/form-data"):
        head = f"Content-Type: {kind}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + body)
        fields: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        for part in message.iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            payload = part.get_payload(decode=True) or b""
            if part.get_filename():
                files[name] = payload
            else:
                fields[name] = payload.decode()
        return fields, files
    return dict(parse_qsl(urlsplit(request.url or "").query)), {}


class FakeCkan(BaseAdapter):
    """Organizations, packages and files of one CKAN portal, in memory."""

    def __init__(self, url: str = URL) -> None:
        super().__init__()
        self.url = url
        self.organizations: dict[str, dict[str, Any]] = {}
        self.packages: dict[str, dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}
        self.calls: list[str] = []  # every action asked, in order
        self.fail: dict[str, Callable[[], Answer]] = {}  # action -> how it fails
        self.keys_seen: list[str | None] = []

    def portal(self, **options: Any) -> CkanPortal:
        """A client whose every call to this portal goes through this adapter."""
        session = requests.Session()
        session.mount(f"{self.url}/", self)  # the longest prefix wins over the guard's
        return CkanPortal(self.url, session=session, **options)

    def writes(self) -> list[str]:
        return [c for c in self.calls if not c.endswith(("_show", "_search", "_list"))]

    # The transport.
    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        path = urlsplit(request.url or "").path
        self.keys_seen.append(request.headers.get("Authorization"))
        if path.startswith("/files/"):
            body = self.files.get(path.removeprefix("/files/"))
            if body is None:
                return self._response(request, 404, b"not found", "text/plain")
            return self._response(request, 200, body, "text/csv")
        action = path.rsplit("/", 1)[-1]
        self.calls.append(action)
        fields, files = _form(request)
        if action in self.fail:
            status, answer = self.fail.pop(action)()
        else:
            status, answer = self._act(action, fields, files)
        return self._response(request, status, json.dumps(answer).encode(), "application/json")

    def close(self) -> None:
        return None

    def _response(
        self, request: requests.PreparedRequest, status: int, body: bytes, kind: str
    ) -> requests.Response:
        response = requests.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict(
            {"Content-Type": kind, "Content-Length": str(len(body))}
        )
        response.raw = io.BytesIO(body)
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        return response

    # The Action API.
    def _act(self, action: str, data: dict[str, Any], files: Mapping[str, bytes]) -> Answer:
        handler = getattr(self, f"_{action}", None)
        if handler is None:
            return error(400, "Validation Error", action=f"unknown action {action}")
        try:
            result = handler(data, files)
        except KeyError as missing:
            return error(404, "Not Found Error", message=f"Not found: {missing}")
        return 200, {"success": True, "result": result}

    def _organization_show(self, data: dict[str, Any], _: Any) -> dict[str, Any]:
        org = dict(self.organizations[str(data["id"])])
        if data.get("include_datasets"):
            org["packages"] = [p for p in self.packages.values() if p["owner_org"] == org["name"]]
        return org

    def _organization_create(self, data: dict[str, Any], _: Any) -> dict[str, Any]:
        org = {**data, "id": str(uuid.uuid4())}
        self.organizations[str(data["name"])] = org
        return org

    def _organization_patch(self, data: dict[str, Any], _: Any) -> dict[str, Any]:
        org = next(o for o in self.organizations.values() if o["id"] == data["id"])
        org.update({k: v for k, v in data.items() if k != "id"})
        return org

    def _package(self, key: str) -> dict[str, Any]:
        found = [p for p in self.packages.values() if key in (p["id"], p["name"])]
        if not found:
            raise KeyError(key)
        return found[0]

    def _package_show(self, data: dict[str, Any], _: Any) -> dict[str, Any]:
        package = self._package(str(data["id"]))
        organization = self.organizations.get(package["owner_org"], {})
        return {**package, "organization": organization}

    def _package_create(self, data: dict[str, Any], _: Any) -> dict[str, Any]:
        package = {"resources": [], "extras": [], **data, "id": str(uuid.uuid4())}
        self.packages[str(data["name"])] = package
        return package

    def _package_patch(self, data: dict[str, Any], _: Any) -> dict[str, Any]:
        package = self._package(str(data["id"]))
        package.update({k: v for k, v in data.items() if k != "id"})
        return package

    def _package_delete(self, data: dict[str, Any], _: Any) -> None:
        del self.packages[self._package(str(data["id"]))["name"]]

    def _package_search(self, data: dict[str, Any], _: Any) -> dict[str, Any]:
        wanted = str(data.get("fq") or "").removeprefix("organization:").strip('"')
        found = [p for p in self.packages.values() if wanted in ("", p["owner_org"])]
        found.sort(key=lambda p: p["name"])
        start, rows = int(data.get("start") or 0), int(data.get("rows") or 10)
        shown = [self._package_show({"id": p["id"]}, None) for p in found[start : start + rows]]
        return {"count": len(found), "results": shown}

    def _resource_create(self, data: dict[str, Any], files: Mapping[str, bytes]) -> Any:
        package = self._package(str(data["package_id"]))
        resource = {k: v for k, v in data.items() if k != "package_id"}
        resource["id"] = str(uuid.uuid4())
        package["resources"].append(self._stored(resource, files))
        return resource

    def _resource_patch(self, data: dict[str, Any], files: Mapping[str, bytes]) -> Any:
        for package in self.packages.values():
            for resource in package["resources"]:
                if resource["id"] == data["id"]:
                    resource.update(data)
                    return self._stored(resource, files)
        raise KeyError(data["id"])

    def _resource_delete(self, data: dict[str, Any], _: Any) -> None:
        for package in self.packages.values():
            package["resources"] = [r for r in package["resources"] if r["id"] != data["id"]]

    def _stored(self, resource: dict[str, Any], files: Mapping[str, bytes]) -> dict[str, Any]:
        """An upload is kept and served at the resource's URL, as CKAN's file store does."""
        if "upload" in files:
            self.files[resource["id"]] = files["upload"]
            resource["url"] = f"{self.url}/files/{resource['id']}"
            resource["url_type"] = "upload"
            resource["size"] = len(files["upload"])
            resource["stored_sha256"] = hashlib.sha256(files["upload"]).hexdigest()
        return resource


def error(status: int, kind: str, **detail: Any) -> Answer:
    """A failed call as CKAN answers it: ckanapi raises by `__type`."""
    return status, {"success": False, "error": {"__type": kind, **detail}}
