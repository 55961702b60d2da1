#!/usr/bin/env python3
"""Sync a small catalog to a Shopify store through ``shopsync serve``.

What an ERP does, end to end: register the store (a connector; reused if it exists), give it
the store's access token, queue a catalog (one category, three products with two variants each,
with prices and stock), ask for a run, wait for it, and print what happened: the run's status,
how many items were synced, and the items Shopify refused, with its reasons.

Environment:
    SHOPSYNC_URL          where shopsync serve listens, e.g. http://127.0.0.1:8080
    SHOPSYNC_API_KEY      an API key (shopsync keys create --scopes admin)
    SHOP_DOMAIN           the store, e.g. my-dev-store.myshopify.com
    SHOPIFY_TOKEN         its Admin API access token (shpat_…)
  optional:
    SHOPSYNC_CONNECTOR_ID the connector's id (default: the store's name, "my-dev-store")
    SHOPIFY_API_VERSION   the Admin API version (default 2026-10)
    SYNC_TIMEOUT          seconds to wait for the run (default 300)

Exit status: 0 when the run completed (item errors, if any, are listed), 1 when it ended
otherwise (error, paused) or could not be followed, 2 when the environment is incomplete.
Python 3.9 or newer, nothing to install.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from typing import Any, Dict, List, Mapping, Optional

from shopsync_client import FINISHED_STATUSES, ShopsyncClient, ShopsyncError

ENTITIES = (("categories", "category"), ("products", "product"), ("variants", "variant"))


def variant(sku: str, product: str, option: str, value: str, price: str, stock: int, compare_at: Optional[str] = None) -> Dict[str, Any]:
    """A variant upsert: its SKU (``ref``), its product's (``parentRef``), price, stock and option value."""
    data: Dict[str, Any] = {"price": price, "stock": stock, "optionValues": {option: value}}
    if compare_at is not None:
        data["compareAtPrice"] = compare_at
    return {"entity": "variant", "op": "upsert", "ref": sku, "parentRef": product, "data": data}


def product(sku: str, title: str, option: str, description: str) -> Dict[str, Any]:
    """A product upsert, in the Shelters category, with one option (its variants give the values)."""
    return {
        "entity": "product",
        "op": "upsert",
        "ref": sku,
        "data": {
            "title": title,
            "description": description,
            "vendor": "Northwall",
            "productType": "Shelter",
            "status": "active",
            "tags": ["outdoor", "python-example"],
            "categoryRefs": ["py-shelters"],
            "options": [option],
        },
    }


#: What the ERP sends: references are its own ids (SKUs for products and variants). The same
#: batch can be sent again: unchanged items are skipped, never written twice.
CATALOG: List[Dict[str, Any]] = [
    {"entity": "category", "op": "upsert", "ref": "py-shelters", "data": {"title": "Shelters", "description": "Tents and tarps."}},
    product("PY-TENT-2", "Ridge 2 tent", "Colour", "A two-person tunnel tent."),
    variant("PY-TENT-2-GRN", "PY-TENT-2", "Colour", "Green", "249.00", 12),
    variant("PY-TENT-2-SND", "PY-TENT-2", "Colour", "Sand", "249.00", 5),
    product("PY-TENT-3", "Ridge 3 tent", "Colour", "A three-person tunnel tent."),
    variant("PY-TENT-3-GRN", "PY-TENT-3", "Colour", "Green", "319.00", 7),
    variant("PY-TENT-3-SND", "PY-TENT-3", "Colour", "Sand", "299.00", 0, compare_at="319.00"),
    product("PY-TARP", "Camp tarp", "Size", "A ripstop tarp with eight tie-outs."),
    variant("PY-TARP-M", "PY-TARP", "Size", "3 x 3 m", "59.90", 20),
    variant("PY-TARP-L", "PY-TARP", "Size", "4 x 4 m", "79.90", 8),
]


def counts(c: Mapping[str, int]) -> str:
    """``{"categories": 1, "products": 3, "variants": 6}`` as "1 category, 3 products, 6 variants"."""
    return ", ".join(f"{c.get(plural, 0)} {plural if c.get(plural, 0) != 1 else singular}" for plural, singular in ENTITIES)


def add(total: Dict[str, int], c: Mapping[str, int]) -> None:
    for plural, _ in ENTITIES:
        total[plural] = total.get(plural, 0) + int(c.get(plural, 0))


def seconds_between(start: str, end: Optional[str]) -> Optional[float]:
    """Seconds between two ISO 8601 instants (``…Z``, which Python before 3.11 does not parse as is)."""
    if not end:
        return None
    return (parse_instant(end) - parse_instant(start)).total_seconds()


def parse_instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def runs_since(client: ShopsyncClient, connector_id: str, before: Optional[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """The events the changes made: those newer than ``before``, and ``before`` itself if it was still running."""
    runs: List[Dict[str, Any]] = []
    for event in client.list_events(connector_id, limit=50)["items"]:
        if before is not None and event["id"] == before["id"]:
            if before.get("status") not in FINISHED_STATUSES:
                runs.append(event)
            break
        runs.append(event)
    return runs


def env(name: str, default: Optional[str] = None) -> str:
    value = os.environ.get(name, default)
    if not value:
        print(f"sync_catalog: set {name} (see the top of {os.path.basename(__file__)})", file=sys.stderr)
        sys.exit(2)
    return value


def main() -> int:
    url = env("SHOPSYNC_URL")
    api_key = env("SHOPSYNC_API_KEY")
    shop = env("SHOP_DOMAIN")
    token = env("SHOPIFY_TOKEN")
    connector_id = env("SHOPSYNC_CONNECTOR_ID", shop.split(".", 1)[0])
    api_version = env("SHOPIFY_API_VERSION", "2026-10")
    timeout = float(env("SYNC_TIMEOUT", "300"))

    client = ShopsyncClient(url, api_key)
    print(f"shopsync at {url}, store {shop}")

    # 1. The connector: one per store. Made once; a second run of this program reuses it.
    try:
        client.create_connector(connector_id, shop, api_version)
        print(f'Connector "{connector_id}": created.')
    except ShopsyncError as err:
        if err.code != "connector-exists":
            raise
        existing = client.get_connector(connector_id)["config"]
        if existing["shopDomain"] != shop:
            print(f'Connector "{connector_id}" exists for another store ({existing["shopDomain"]}): set SHOPSYNC_CONNECTOR_ID.', file=sys.stderr)
            return 2
        print(f'Connector "{connector_id}": exists, reused.')

    # 2. Its credentials: write-only, sealed by the service.
    client.set_token(connector_id, token)
    print("Access token set.")

    # 3. The catalog. The newest run before it tells our runs from earlier ones.
    before = client.latest_event(connector_id)
    queued = client.send_changes(connector_id, CATALOG)
    print(f"Queued {queued['accepted']} changes; pending: {counts(queued['pending'])}.")

    # 4. Run now (a connector without a schedule starts on new changes by itself; this says "now").
    requested = client.start_sync(connector_id)
    print(f"Sync requested at {requested['requestedAt']}; waiting up to {timeout:g} s.")
    try:
        event = client.wait_for_sync(connector_id, timeout, after=before)
    except TimeoutError as err:
        print(f"Gave up waiting: {err}", file=sys.stderr)
        return 1

    # 5. What happened: the run(s) the changes made, and the items Shopify refused.
    runs = runs_since(client, connector_id, before)
    synced: Dict[str, int] = {}
    skipped: Dict[str, int] = {}
    failed: Dict[str, int] = {}
    for run in runs:
        for iteration in run["iterations"]:
            add(synced, iteration["synced"])
            add(skipped, iteration["skipped"])
            add(failed, iteration["failed"])
    took = seconds_between(event["startedAt"], event.get("endedAt"))
    took_text = f" in {took:.1f} s" if took is not None else ""
    n = len(event["iterations"])
    print(f"Sync {event['status']}{took_text}: event {event['id']} (trigger {event['trigger']}, {n} iteration{'s' if n != 1 else ''}).")
    if len(runs) > 1:
        print(f"  ({len(runs)} runs since the changes were queued; counts are theirs together.)")
    print(f"  synced:  {counts(synced)}")
    print(f"  skipped: {counts(skipped)} (unchanged since the last sync)")
    print(f"  failed:  {counts(failed)}")
    for problem in event["generalErrors"]:
        kind = "warning" if problem.get("severity") == "warning" else "error"
        print(f"  {kind} ({problem['code']}): {problem['message']}")

    errors = client.list_items(connector_id, status="error", limit=20)
    if errors["total"] == 0:
        print("Failed items: none.")
    else:
        print(f"Failed items: {errors['total']}")
        for item in errors["items"]:
            reasons = "; ".join(e["message"] for e in item["errors"]) or "no reason given"
            print(f"  {item['entity']} {item['ref']}: {reasons}")
        if errors["total"] > len(errors["items"]):
            print(f"  … and {errors['total'] - len(errors['items'])} more")

    return 0 if event["status"] == "completed" else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ShopsyncError as err:
        # Problem details: the title and detail, then each field at fault.
        print(f"shopsync: {err}", file=sys.stderr)
        if err.request_id:
            print(f"  (request id {err.request_id})", file=sys.stderr)
        sys.exit(1)
