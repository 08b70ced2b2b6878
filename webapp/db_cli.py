"""Sub-command `db`: the database schema's revision and its upgrade (Alembic migrations)."""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="schéma de la base de données (migrations)")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_sub.add_parser("upgrade", help="mettre la base à jour (sans effet si elle l'est déjà)")
    upgrade.set_defaults(handler=_upgrade)
    current = db_sub.add_parser("current", help="afficher la révision de la base et celle attendue")
    current.set_defaults(handler=_current)


def _engine():  # noqa: ANN202  (storage imported lazily: `crca --help` stays fast)
    from crca.settings import load_settings
    from webapp.storage import create_db_engine

    url = load_settings().db_url
    return create_db_engine(url), url


def _upgrade(args: argparse.Namespace) -> int:
    from webapp.storage.schema import upgrade

    engine, url = _engine()
    before, after = upgrade(engine)
    if before == after:
        print(f"Base déjà à jour (révision {after}) : {_safe(url)}")
    else:
        print(f"Base mise à jour : révision {before or 'vide'} → {after} ({_safe(url)})")
    return 0


def _current(args: argparse.Namespace) -> int:
    """Exit code 0 when the database is at the expected revision, 1 otherwise."""
    from webapp.storage.schema import current_revision, head_revision

    engine, url = _engine()
    current, head = current_revision(engine), head_revision()
    state = "à jour" if current == head else "à mettre à jour : crca db upgrade"
    print(f"Révision de la base : {current or 'vide'} ; attendue : {head} ({state}) — {_safe(url)}")
    return 0 if current == head else 1


def _safe(url: str) -> str:
    """The URL without its password, fit to print."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
