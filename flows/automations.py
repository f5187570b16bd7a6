"""Install jianghua's alert automations on a Prefect server: `python -m flows.automations install`.

The definitions live in `automations/*.yaml`: an automation in the shape Prefect's API takes
(`name`, `description`, `enabled`, `tags`, `trigger`), plus a `notification` with the subject and
body templates (Jinja, rendered by the server with `flow_run`, `deployment`, `automation` …). The
installer turns each `--notify BLOCK` into one `send-notification` action and creates the
automation, or updates the one with the same name in place: installing again never duplicates.

    python -m flows.automations install --notify slack-webhook/jianghua-alerts [--api URL]
    python -m flows.automations install --ui-only      # no notification: alerts only in the UI
    python -m flows.automations show                   # print what would be installed (JSON)

A BLOCK is `<block-type-slug>/<block-name>` (as `prefect block ls` prints it) or a block
document id; it must be a notification block (one with a `notify` method): `slack-webhook`,
`sendgrid-email`, `ms-teams-webhook`, `custom-webhook`, … See docs/service.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

import yaml

DEFINITIONS = Path(__file__).resolve().parent.parent / "automations"


class InstallError(Exception):
    """A problem the user can fix (bad block reference, unreadable definition)."""


def load_definitions(folder: Path = DEFINITIONS) -> list[dict[str, Any]]:
    """Every `*.yaml` under `folder`, sorted by file name; each must have a unique name."""
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise InstallError(f"no automation definitions (*.yaml) in {folder}")
    definitions, names = [], set()
    for f in files:
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not data.get("name") or "trigger" not in data:
            raise InstallError(f"{f}: an automation definition needs at least `name` and `trigger`")
        if data["name"] in names:
            raise InstallError(f"{f}: automation name {data['name']!r} is defined twice")
        names.add(data["name"])
        definitions.append({**data, "_file": str(f)})
    return definitions


def build_automation(definition: dict[str, Any], block_ids: list[UUID]):
    """The AutomationCore for one definition, with one notification action per block
    (or a do-nothing action when there is none: the automation still fires and shows in the UI)."""
    from prefect.events.actions import DoNothing, SendNotification
    from prefect.events.schemas.automations import AutomationCore

    data = {k: v for k, v in definition.items() if not k.startswith("_") and k != "notification"}
    note = definition.get("notification") or {}
    if block_ids:
        if not note.get("body"):
            raise InstallError(f"{definition.get('_file', definition['name'])}: `notification.body` is missing")
        actions = [
            SendNotification(block_document_id=b, subject=note.get("subject", definition["name"]), body=note["body"])
            for b in block_ids
        ]
    else:
        actions = [DoNothing()]  # type: ignore[list-item]  # both are automation actions
    try:
        return AutomationCore.model_validate({**data, "actions": [a.model_dump(mode="json") for a in actions]})
    except Exception as exc:  # pydantic's message names the field
        raise InstallError(f"{definition.get('_file', definition['name'])}: invalid automation: {exc}") from exc


def resolve_block(client, ref: str) -> UUID:
    """`slug/name` or an id → the block document id of a notification block."""
    from prefect.exceptions import ObjectNotFound

    try:
        doc = client.read_block_document(UUID(ref))
    except ValueError:
        if "/" not in ref:
            raise InstallError(
                f"--notify {ref!r}: give <block-type-slug>/<block-name> (e.g. slack-webhook/jianghua-alerts) "
                "or a block document id; `prefect block ls` lists them"
            ) from None
        slug, name = ref.split("/", 1)
        try:
            doc = client.read_block_document_by_name(name=name, block_type_slug=slug)
        except ObjectNotFound:
            raise InstallError(
                f"--notify {ref!r}: no {slug} block named {name!r} on this server "
                f"(create it first: see docs/service.md, or `prefect block create {slug}`)"
            ) from None
    except ObjectNotFound:
        raise InstallError(f"--notify {ref!r}: no block document with this id on this server") from None
    capabilities = set(doc.block_schema.capabilities if doc.block_schema else [])
    if "notify" not in capabilities:
        raise InstallError(
            f"--notify {ref!r}: a {doc.block_type.slug if doc.block_type else '?'} block cannot send "
            "notifications; use slack-webhook, sendgrid-email, ms-teams-webhook, custom-webhook, …"
        )
    return doc.id


def install(notify: list[str], definitions: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Create or update (by name) every definition on the server the current settings point at.
    Returns one record per automation: name, id and what was done (created/updated)."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        raise InstallError(
            "no Prefect server to install on: pass --api http://HOST:4200/api or set PREFECT_API_URL "
            "(without it Prefect would use a throw-away temporary server)"
        )
    definitions = load_definitions() if definitions is None else definitions
    done = []
    with get_client(sync_client=True) as client:
        block_ids = [resolve_block(client, ref) for ref in notify]
        automations = [build_automation(d, block_ids) for d in definitions]  # validate all before writing any
        for automation in automations:
            existing = client.read_automations_by_name(automation.name)
            if existing:
                keep, *extra = existing
                client.update_automation(keep.id, automation)
                for dup in extra:  # left by an earlier `prefect automation create`: one name, one automation
                    client.delete_automation(dup.id)
                done.append(
                    {"name": automation.name, "id": str(keep.id), "action": "updated", "removed_duplicates": len(extra)}
                )
            else:
                new_id = client.create_automation(automation)
                done.append({"name": automation.name, "id": str(new_id), "action": "created", "removed_duplicates": 0})
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.automations", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_install = sub.add_parser("install", help="create or update the automations on the server (by name)")
    p_install.add_argument(
        "--api", help="Prefect API URL, e.g. http://127.0.0.1:4200/api (default: PREFECT_API_URL / the active profile)"
    )
    p_install.add_argument(
        "--notify",
        action="append",
        default=[],
        metavar="BLOCK",
        help="notification block as <block-type-slug>/<name> or id; repeat for several",
    )
    p_install.add_argument(
        "--ui-only", action="store_true", help="install without notifications (alerts only show in the UI's event feed)"
    )
    p_install.add_argument("--dir", type=Path, default=DEFINITIONS, help="folder of *.yaml definitions")
    p_show = sub.add_parser("show", help="print the automations as they would be installed (JSON)")
    p_show.add_argument("--dir", type=Path, default=DEFINITIONS)
    args = parser.parse_args(argv)

    try:
        definitions = load_definitions(args.dir)
        if args.command == "show":
            print(
                json.dumps(
                    [build_automation(d, []).model_dump(mode="json") for d in definitions], indent=2, ensure_ascii=False
                )
            )
            return 0
        if not args.notify and not args.ui_only:
            parser.error(
                "say where alerts go: --notify <block-type-slug>/<block-name> (repeatable), "
                "or --ui-only to install them without notifications"
            )
        if args.notify and args.ui_only:
            parser.error("--notify and --ui-only exclude each other")
        if args.api:
            from prefect.settings import PREFECT_API_URL, temporary_settings

            with temporary_settings(updates={PREFECT_API_URL: args.api}):
                done = install(args.notify, definitions)
        else:
            done = install(args.notify, definitions)
    except InstallError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for d in done:
        extra = f" (removed {d['removed_duplicates']} duplicate(s))" if d["removed_duplicates"] else ""
        print(f"{d['action']:>7}  {d['name']}  [{d['id']}]{extra}")
    where = ", ".join(args.notify) if args.notify else "no notification (--ui-only)"
    print(f"{len(done)} automation(s) installed; alerts go to: {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
