"""A small client for the shopsync REST API (``shopsync serve``), standard library only.

It covers what an ERP needs to keep one Shopify store in sync:

* ``create_connector`` / ``get_connector``: register the store (a *connector*),
* ``set_token``: give it the store's Admin API access token (write-only on the server),
* ``send_changes``: queue catalog changes (categories, products, variants) as NDJSON,
  safely retried under one ``Idempotency-Key``,
* ``start_sync``, ``latest_event``, ``list_events``, ``wait_for_sync``: run it and watch the run,
* ``list_items``: the outcome per item (for instance the ones Shopify refused).

Every error answer becomes a ``ShopsyncError`` carrying the server's problem details
(RFC 9457: ``title``, ``detail``, and ``errors``, one ``{field, message}`` per field at fault).

The full API is described by the OpenAPI document the server publishes at ``/v1/openapi.json``
(or ``shopsync openapi``), from which a complete client can be generated; this file is meant to
be read, copied and adapted. Python 3.9 or newer.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

__all__ = ["ShopsyncClient", "ShopsyncError", "ShopsyncConnectionError", "FINISHED_STATUSES"]

#: Statuses a sync event ends in (``in_progress`` is the only other one). ``paused`` means the
#: connector was disabled mid-run: the same event resumes when it is enabled again.
FINISHED_STATUSES = ("completed", "error", "paused")

JsonObject = Dict[str, Any]

# Errors that mean "the request may not have reached the server, or its answer got lost".
_CONNECTION_ERRORS: Tuple[type, ...] = (
    urllib.error.URLError,  # refused, DNS, … (HTTPError, a subclass, is handled before)
    http.client.HTTPException,  # RemoteDisconnected, IncompleteRead, BadStatusLine
    ConnectionError,
    socket.timeout,
    TimeoutError,
)


class ShopsyncError(Exception):
    """An error answer of the API (4xx or 5xx), with its problem details.

    Attributes:
        status: the HTTP status (``None`` for a ``ShopsyncConnectionError``).
        title: short, per status ("Conflict", "Invalid request").
        detail: what went wrong, in a sentence meant for a person.
        errors: for invalid input, every field at fault: ``[{"field": "body[3].data.price",
            "message": "expected a decimal amount such as \\"19.99\\""}]`` (else empty).
        type: the problem type URI, e.g. ``https://shopsync.dev/problems/connector-exists``.
        code: its last segment (``connector-exists``): stable, the thing to branch on, since
            one status can have several causes (409: ``connector-exists``,
            ``connector-disabled``, ``idempotency-key-in-use``).
        request_id: the server's request id (give it to whoever reads the server's logs).
        retry_after: seconds from a ``Retry-After`` header, if any.
        body: the decoded answer as sent.
    """

    def __init__(
        self,
        status: Optional[int],
        title: str,
        detail: str,
        *,
        errors: Optional[List[JsonObject]] = None,
        type: str = "about:blank",
        request_id: Optional[str] = None,
        retry_after: Optional[float] = None,
        body: Any = None,
    ) -> None:
        self.status = status
        self.title = title
        self.detail = detail
        self.errors: List[JsonObject] = list(errors or [])
        self.type = type
        self.code = type.rstrip("/").rsplit("/", 1)[-1]
        self.request_id = request_id
        self.retry_after = retry_after
        self.body = body
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.status} {self.title}" if self.status is not None else self.title
        text = f"{head}: {self.detail}" if self.detail else head
        for e in self.errors[:10]:
            text += f"\n  {e.get('field', '?')}: {e.get('message', '')}"
        if len(self.errors) > 10:
            text += f"\n  … and {len(self.errors) - 10} more"
        return text

    @classmethod
    def from_response(cls, status: int, headers: Mapping[str, str], raw: bytes) -> "ShopsyncError":
        """Builds the error from an answer: problem details, the panel routes' own error shape, or text."""
        retry_after = _retry_after(headers.get("Retry-After"))
        request_id = headers.get("X-Request-Id")
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError):
            body = None
        if isinstance(body, dict) and "title" in body and "status" in body:
            # RFC 9457 problem details: every /v1 route.
            return cls(
                status,
                str(body.get("title", "")),
                str(body.get("detail", "")),
                errors=body.get("errors") or [],
                type=str(body.get("type", "about:blank")),
                request_id=body.get("requestId") or request_id,
                retry_after=retry_after,
                body=body,
            )
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            # The panel routes (…/sync/events, /state, /items) answer their own errors as
            # {"error": {"code", "message", "issues": [{"path", "message"}]}}.
            err = body["error"]
            issues = [{"field": i.get("path", ""), "message": i.get("message", "")} for i in err.get("issues") or []]
            return cls(
                status,
                http.client.responses.get(status, "Error"),
                str(err.get("message", "")),
                errors=issues,
                type=f"https://shopsync.dev/problems/{err.get('code', 'error')}",
                request_id=request_id,
                retry_after=retry_after,
                body=body,
            )
        text = raw.decode("utf-8", "replace").strip()[:500]
        return cls(status, http.client.responses.get(status, "Error"), text, request_id=request_id, retry_after=retry_after, body=body)


class ShopsyncConnectionError(ShopsyncError):
    """The server could not be reached (or its answer was lost), after every retry."""

    def __init__(self, detail: str, cause: Optional[BaseException] = None) -> None:
        super().__init__(None, "Connection failed", detail)
        self.__cause__ = cause


def _retry_after(value: Optional[str]) -> Optional[float]:
    """``Retry-After`` in seconds (only the delta-seconds form; the server sends no dates)."""
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class ShopsyncClient:
    """A client of one ``shopsync serve``.

    Args:
        base_url: where the service listens, e.g. ``http://127.0.0.1:8080``.
        api_key: an API key (``ssk_…``) from ``shopsync keys create``. ``admin`` may do all
            of the below; ``ingest`` may send changes and start runs; ``read`` may read.
        timeout: seconds to wait for one answer.
        retries: how many times a request that is safe to repeat is sent again after a 5xx
            answer, a connection error or a timeout (so at most ``retries + 1`` attempts).
        backoff: the first pause between attempts, in seconds; it doubles each time (with
            jitter), and a ``Retry-After`` from the server wins.
    """

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 30.0, retries: int = 4, backoff: float = 0.5) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url: expected an http(s) URL, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._api_key = api_key

    def __repr__(self) -> str:  # never shows the key
        return f"ShopsyncClient({self.base_url!r})"

    # ——— connectors ———

    def create_connector(
        self,
        connector_id: str,
        shop_domain: str,
        api_version: str,
        *,
        allowed_origins: Optional[List[str]] = None,
        schedule: Optional[Mapping[str, Any]] = None,
        **config: Any,
    ) -> JsonObject:
        """Registers a store: ``POST /v1/connectors``. Returns the connector.

        Args:
            connector_id: your name for it: 1-64 letters, digits, ``_``, ``.`` or ``-``.
            shop_domain: ``my-store.myshopify.com``.
            api_version: the Shopify Admin API version to speak, ``YYYY-MM`` (e.g. ``2026-10``).
            allowed_origins: origins whose pages may embed the connector's panel.
            schedule: ``{"everyMs": …}`` to run at most that often; without one a connector
                runs as soon as changes arrive.
            **config: other connector settings, by their API name: ``language="es"``,
                ``locations={"mad": "Madrid warehouse"}``, ``publications=["Online Store"]``,
                ``disableDeletions=True``…

        Raises:
            ShopsyncError: 409 with ``code == "connector-exists"`` when the id is taken (not
                retried: a lost answer to a request that worked would come back as this 409).
        """
        body: JsonObject = {"config": {"id": connector_id, "shopDomain": shop_domain, "apiVersion": api_version, **config}}
        if allowed_origins is not None:
            body["allowedOrigins"] = allowed_origins
        if schedule is not None:
            body["schedule"] = dict(schedule)
        return self._json("POST", "/v1/connectors", body, retry=False)

    def get_connector(self, connector_id: str) -> JsonObject:
        """``GET /v1/connectors/{id}``: its configuration, and which kind of credentials is set (never them)."""
        return self._json("GET", f"/v1/connectors/{_seg(connector_id)}")

    def set_token(self, connector_id: str, access_token: str) -> JsonObject:
        """Gives the connector the store's Admin API access token (``shpat_…``): ``PUT …/credentials``.

        The server seals it at rest and never returns or logs it. Returns ``{"kind", "updatedAt"}``.
        (Other kinds, for apps whose tokens expire, are ``refresh`` and ``client_credentials``:
        see the OpenAPI document.)
        """
        return self._json("PUT", f"/v1/connectors/{_seg(connector_id)}/credentials", {"kind": "token", "accessToken": access_token})

    # ——— changes and runs ———

    def send_changes(
        self,
        connector_id: str,
        changes: Iterable[Mapping[str, Any]],
        idempotency_key: Optional[str] = None,
        *,
        force: bool = False,
    ) -> JsonObject:
        """Queues catalog changes: ``POST …/changes`` as NDJSON (one change per line).

        A change is ``{"entity": "category"|"product"|"variant", "op": "upsert"|"delete",
        "ref": <your id or SKU>, "data": {…}}`` (variants also name their product's
        ``parentRef``). The batch is checked whole before anything is queued: one invalid change
        refuses all, with a ``ShopsyncError`` naming each field (``body[41].data.title``). At most
        100,000 changes per call.

        The request is sent with an ``Idempotency-Key`` (a new UUID unless you pass one) and
        sent again, with the same key and the very same bytes, after a 5xx answer, a timeout or
        a lost connection. The server queues a key's changes once: a retry of a request that did
        get through is answered with the first answer (``Idempotent-Replayed: true``) instead of
        queuing the batch twice. Pass your own key (e.g. your export's id) to make retries safe
        across restarts of your program too; reuse it only for the same changes (another body
        with a used key is a 422).

        Args:
            force: send the upserts to Shopify even where it has the same data already (deletions
                are dropped).

        Returns:
            ``{"accepted": n, "ignoredDeletions": n, "pending": {"categories", "products", "variants"}}``.
        """
        # Serialized once: every attempt sends the same bytes, which the key's fingerprint covers.
        lines = [json.dumps(c, ensure_ascii=False, separators=(",", ":"), allow_nan=False) for c in changes]
        body = ("\n".join(lines) + "\n").encode("utf-8")
        key = idempotency_key or str(uuid.uuid4())
        query = "?force=true" if force else ""
        headers = {"Content-Type": "application/x-ndjson", "Idempotency-Key": key}
        return self._decode(self._send("POST", f"/v1/connectors/{_seg(connector_id)}/changes{query}", body, headers, retry=True))

    def start_sync(self, connector_id: str) -> JsonObject:
        """Asks for a run now: ``POST …/sync``. Returns ``{"requested", "requestedAt", "pending"}``.

        A worker picks the connector up within its poll interval; a run under way goes on. A
        connector without a schedule also runs by itself as soon as changes are queued, so this
        is for "run now", after a schedule's pause or to re-run. The answer names no run: watch
        the events (``latest_event``, ``wait_for_sync``). A disabled connector is a 409
        (``code == "connector-disabled"``).
        """
        return self._json("POST", f"/v1/connectors/{_seg(connector_id)}/sync", {})

    def list_events(self, connector_id: str, *, limit: int = 20, offset: int = 0) -> JsonObject:
        """Sync events (runs), newest first: ``GET …/sync/events``. Returns ``{"items": [...], "total": n}``.

        An event has ``id``, ``status`` (``in_progress``, ``completed``, ``error``, ``paused``),
        ``trigger``, ``startedAt``, ``endedAt``, ``pending``, ``generalErrors`` (run-level
        problems: auth, network, throttling…) and ``iterations`` (each with ``synced``,
        ``failed`` and ``skipped`` counts per entity).
        """
        return self._json("GET", f"/v1/connectors/{_seg(connector_id)}/sync/events?{urllib.parse.urlencode({'limit': limit, 'offset': offset})}")

    def latest_event(self, connector_id: str) -> Optional[JsonObject]:
        """The newest sync event, or ``None`` if the connector never ran."""
        items = self.list_events(connector_id, limit=1).get("items") or []
        return items[0] if items else None

    def wait_for_sync(
        self,
        connector_id: str,
        timeout: float = 300.0,
        *,
        after: Optional[Mapping[str, Any]] = None,
        poll_interval: float = 0.5,
    ) -> JsonObject:
        """Polls ``GET …/sync/events`` until the newest event has finished; returns it.

        Finished means ``completed``, ``error`` or ``paused`` (see ``FINISHED_STATUSES``).

        Args:
            timeout: seconds to wait in all.
            after: the newest event as it stood *before* you queued changes or asked for a run
                (``latest_event()`` then; ``None`` if there was none). Without it, a run that
                ended earlier counts as finished at once, before the worker even took up yours;
                with it, the wait is for a newer event to finish, or for that same event if it
                was still running then (new changes join a run under way).

        Raises:
            TimeoutError: no such event finished in time (the last one seen is in the message).
        """
        deadline = time.monotonic() + timeout
        was_running = after is not None and after.get("status") not in FINISHED_STATUSES
        while True:
            event = self.latest_event(connector_id)
            if event is not None and event.get("status") in FINISHED_STATUSES:
                if after is None or event.get("id") != after.get("id") or was_running:
                    return event
            if time.monotonic() >= deadline:
                seen = f"event {event['id']} is {event['status']}" if event else "no event yet"
                raise TimeoutError(f"connector {connector_id}: no run finished within {timeout:g} s ({seen})")
            time.sleep(min(poll_interval, max(0.0, deadline - time.monotonic())))

    def list_items(
        self,
        connector_id: str,
        *,
        status: Optional[str] = None,
        entity: Optional[str] = None,
        ref: Optional[str] = None,
        limit: int = 50,
        offset: int = 0,
    ) -> JsonObject:
        """Item outcomes, most recently updated first: ``GET …/sync/items``.

        Args:
            status: ``pending``, ``complete`` or ``error``.
            entity: ``category``, ``product`` or ``variant``.
            ref: a substring of the reference (case-sensitive).

        Returns:
            ``{"items": [...], "total": n}``; an item has ``entity``, ``ref``, ``status``,
            ``errors`` (``[{"code", "field", "message"}]``, as Shopify reported them), ``shopifyId``…
        """
        query: Dict[str, Any] = {"limit": limit, "offset": offset}
        for name, value in (("status", status), ("entity", entity), ("ref", ref)):
            if value is not None:
                query[name] = value
        return self._json("GET", f"/v1/connectors/{_seg(connector_id)}/sync/items?{urllib.parse.urlencode(query)}")

    # ——— HTTP ———

    def _json(self, method: str, path: str, body: Any = None, *, retry: Optional[bool] = None) -> JsonObject:
        """Sends ``body`` as JSON (if any) and decodes the JSON answer. GET, PUT and POST …/sync are
        safe to repeat, so they are retried unless told otherwise."""
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {} if data is None else {"Content-Type": "application/json"}
        return self._decode(self._send(method, path, data, headers, retry=True if retry is None else retry))

    @staticmethod
    def _decode(answer: Tuple[int, Mapping[str, str], bytes]) -> JsonObject:
        _status, _headers, raw = answer
        return json.loads(raw.decode("utf-8")) if raw else {}

    def _send(self, method: str, path: str, data: Optional[bytes], headers: Mapping[str, str], *, retry: bool) -> Tuple[int, Mapping[str, str], bytes]:
        """One request, attempted up to ``retries + 1`` times when ``retry``; returns (status, headers, body) of a 2xx."""
        url = self.base_url + path
        attempts = self.retries + 1 if retry else 1
        for attempt in range(1, attempts + 1):
            request = urllib.request.Request(url, data=data, method=method)
            request.add_header("Authorization", f"Bearer {self._api_key}")
            request.add_header("Accept", "application/json")
            request.add_header("User-Agent", "shopsync-python-example/0.1")
            for name, value in headers.items():
                request.add_header(name, value)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.status, response.headers, response.read()
            except urllib.error.HTTPError as answer:
                with answer:
                    error = ShopsyncError.from_response(answer.code, answer.headers, answer.read())
                # 5xx: the server failed or is going away. 409 idempotency-key-in-use: an
                # earlier attempt with this key is still being handled; its answer comes later.
                again = error.status is not None and (error.status >= 500 or error.code == "idempotency-key-in-use")
                if not again or attempt == attempts:
                    raise error from None
                self._pause(attempt, error.retry_after)
            except _CONNECTION_ERRORS as failure:
                if attempt == attempts:
                    raise ShopsyncConnectionError(f"{method} {url}: {failure} (after {attempt} attempt{'s' if attempt > 1 else ''})", failure) from failure
                self._pause(attempt, None)
        raise AssertionError("unreachable")

    def _pause(self, attempt: int, retry_after: Optional[float]) -> None:
        delay = retry_after if retry_after is not None else self.backoff * 2 ** (attempt - 1) * random.uniform(0.8, 1.2)
        time.sleep(min(delay, 30.0))


def _seg(value: str) -> str:
    """A path segment, escaped."""
    return urllib.parse.quote(value, safe="")
