"""A small client for Label Studio's REST API (the documented ``/api/...`` endpoints), with the
standard library only: Label Studio itself lives in its own virtual environment, we only talk to it."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


class LabelStudioError(Exception):
    """A request Label Studio refused or could not answer, with what it said."""


class LabelStudio:
    def __init__(self, url: str, token: str, timeout: float = 60.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _request(self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None) -> Any:
        url = self.url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace")[:500]
            hint = " (wrong token? the server needs LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true)" if err.code == 401 else ""
            raise LabelStudioError(f"{method} {path}: HTTP {err.code}{hint}: {detail}") from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise LabelStudioError(f"cannot reach Label Studio at {self.url}: {reason}") from None
        return json.loads(raw) if raw.strip() else None

    # -- the endpoints vnfacts uses ------------------------------------------------------------

    def version(self) -> str:
        return (self._request("GET", "/api/version") or {}).get("release", "?")

    def create_project(self, title: str, label_config: str, description: str = "") -> dict[str, Any]:
        return self._request("POST", "/api/projects", {"title": title, "label_config": label_config,
                                                        "description": description})

    def project(self, project_id: int) -> dict[str, Any]:
        return self._request("GET", f"/api/projects/{project_id}")

    def import_tasks(self, project_id: int, tasks: list[dict[str, Any]]) -> dict[str, Any]:
        return self._request("POST", f"/api/projects/{project_id}/import", tasks)

    def tasks(self, project_id: int) -> list[dict[str, Any]]:
        """Every task of the project, with predictions and annotations, page by page."""
        out: list[dict[str, Any]] = []
        page = 1
        while True:
            reply = self._request("GET", "/api/tasks", query={"project": project_id, "page": page,
                                                              "page_size": 100, "fields": "all"})
            batch = reply.get("tasks", []) if isinstance(reply, dict) else reply or []
            out.extend(batch)
            total = reply.get("total") if isinstance(reply, dict) else None
            if not batch or (total is not None and len(out) >= total):
                return out
            page += 1

    def annotate(self, task_id: int, result: list[dict[str, Any]], parent_prediction: int | None = None) -> dict[str, Any]:
        """Submit an annotation as the token's user, as the annotator's Submit button does."""
        body: dict[str, Any] = {"result": result}
        if parent_prediction is not None:
            body["parent_prediction"] = parent_prediction
        return self._request("POST", f"/api/tasks/{task_id}/annotations", body)

    def update_annotation(self, annotation_id: int, result: list[dict[str, Any]]) -> dict[str, Any]:
        return self._request("PATCH", f"/api/annotations/{annotation_id}", {"result": result})

    def export(self, project_id: int) -> list[dict[str, Any]]:
        """The project's JSON export, every task included (those not annotated yet too)."""
        return self._request("GET", f"/api/projects/{project_id}/export",
                             query={"exportType": "JSON", "download_all_tasks": "true"})

    def users(self) -> dict[int, str]:
        """User id -> e-mail, to record who annotated."""
        return {u["id"]: u.get("email") or u.get("username") or str(u["id"])
                for u in self._request("GET", "/api/users") or []}
