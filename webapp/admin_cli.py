"""Sub-commands `app`, `model` and `users`: the web app, the embedded model and accounts."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable


def add_commands(sub: argparse._SubParsersAction) -> None:
    app = sub.add_parser("app", help="lancer l'application web (Gradio)")
    app.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut 127.0.0.1)")
    app.add_argument("--port", type=int, default=7860, help="port (défaut 7860)")
    app.set_defaults(handler=_run_app)

    model = sub.add_parser("model", help="préparer ou tester le modèle embarqué")
    model_sub = model.add_subparsers(dest="model_command", metavar="ACTION", required=True)
    fetch = model_sub.add_parser("prepare", help="assembler et vérifier le modèle embarqué")
    fetch.set_defaults(handler=_prepare_model)
    ping = model_sub.add_parser("ping", help="démarrer le modèle et lui poser une question")
    ping.add_argument("--role", choices=["client", "grader"], default="client")
    ping.set_defaults(handler=_ping_model)

    users = sub.add_parser("users", help="gérer les comptes (stagiaires, formateurs)")
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    create = users_sub.add_parser("create", help="créer un compte")
    create.add_argument("--username", required=True, help="identifiant de connexion")
    create.add_argument("--role", required=True, choices=["trainee", "trainer"], help="rôle du compte")
    create.add_argument("--cohort", help="cohorte du stagiaire (groupe de formation), p. ex. CQP-2026-A")
    _password_options(create)
    create.set_defaults(handler=_create_user)
    cohort = users_sub.add_parser("cohort", help="mettre un stagiaire dans une cohorte (ou l'en retirer)")
    cohort.add_argument("name", metavar="NOM", help="identifiant du stagiaire")
    cohort.add_argument("cohort", metavar="COHORTE", nargs="?", help="sans COHORTE : retiré de sa cohorte")
    cohort.set_defaults(handler=_set_cohort)
    listing = users_sub.add_parser("list", help="lister les comptes et leur état")
    listing.set_defaults(handler=_list_users)
    passwd = users_sub.add_parser("passwd", help="changer un mot de passe (déconnecte le compte partout)")
    passwd.add_argument("name", metavar="NOM", help="identifiant du compte")
    _password_options(passwd)
    passwd.set_defaults(handler=_change_password)
    for action, text in (
        ("disable", "désactiver un compte (déconnecté partout)"),
        ("enable", "réactiver un compte"),
    ):
        toggle = users_sub.add_parser(action, help=text)
        toggle.add_argument("name", metavar="NOM", help="identifiant du compte")
        toggle.set_defaults(handler=_set_disabled, disabled=action == "disable")
    unlock = users_sub.add_parser("unlock", help="lever le verrouillage d'un compte ou d'une adresse")
    unlock.add_argument("name", metavar="NOM", nargs="?", help="identifiant du compte")
    unlock.add_argument("--address", help="adresse IP du poste à déverrouiller")
    unlock.set_defaults(handler=_unlock)
    log = users_sub.add_parser("log", help="journal des connexions (le plus récent d'abord)")
    log.add_argument("--user", help="seulement ce compte (ou cet identifiant saisi)")
    log.add_argument("--limit", type=int, default=50, help="nombre de lignes (défaut 50)")
    log.set_defaults(handler=_show_log)


def _password_options(parser: argparse.ArgumentParser) -> None:
    how = parser.add_mutually_exclusive_group()
    how.add_argument(
        "--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard"
    )
    how.add_argument("--generate", action="store_true", help="tirer un mot de passe au hasard et l'afficher")


def _run_app(args: argparse.Namespace) -> int:
    from webapp.server import launch

    _announce_first_accounts()
    launch(host=args.host, port=args.port)
    return 0


def _announce_first_accounts() -> None:
    """Create the first accounts on an empty database and tell the user how to sign in."""
    from crca.settings import load_settings
    from webapp.storage import ROLE_LABELS_FR

    settings = load_settings()
    created = open_repository().ensure_first_accounts()
    if not created:
        return
    settings.home.mkdir(parents=True, exist_ok=True)
    note = settings.home / "premiers-comptes.txt"
    lines = [
        f"{ROLE_LABELS_FR[role].capitalize()} : identifiant {name}, mot de passe {pw}"
        for name, pw, role in created
    ]
    note.write_text("\n".join(lines) + "\n", encoding="utf-8")
    note.chmod(0o600)
    print("Premiers comptes créés (notés aussi dans " + str(note) + ") :")
    for line in lines:
        print("  " + line)
    print("Créez les autres comptes avec : crca users create --username NOM --role trainee")


def _prepare_model(args: argparse.Namespace) -> int:
    from crca.llm.embedded import ensure_model
    from crca.settings import load_settings

    path = ensure_model(load_settings().embedded)
    print(f"Modèle embarqué prêt et vérifié : {path}")
    return 0


def _ping_model(args: argparse.Namespace) -> int:
    from langchain_core.messages import HumanMessage

    from crca.llm import chat_model, stream_text

    model = chat_model(args.role)
    for piece in stream_text(model, [HumanMessage(content="Dis bonjour en une phrase, en français.")]):
        print(piece, end="", flush=True)
    print()
    return 0


def open_repository():  # noqa: ANN202  (storage imported lazily: `crca --help` stays fast)
    from crca.settings import load_settings
    from webapp.storage import Repository

    settings = load_settings()
    return Repository.open(settings.db_url, settings.auth, auto_upgrade=settings.database_auto_upgrade)


def _read_password(args: argparse.Namespace) -> str:
    if args.generate:
        from webapp.storage.accounts import generated_password

        return generated_password()
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Confirmez le mot de passe : ") != first:
        raise SystemExit("Les deux mots de passe diffèrent.")
    return first


def _attempt(action: Callable[[], str]) -> int:
    """Run one account change: print its outcome, or the French refusal on stderr (exit 1)."""
    from webapp.storage import StorageError

    try:
        message = action()
    except StorageError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    print(message)
    return 0


def _shown(args: argparse.Namespace, password: str) -> str:
    """The drawn password, printed once (nobody else can tell it afterwards)."""
    return f"\nMot de passe : {password}" if args.generate else ""


def _create_user(args: argparse.Namespace) -> int:
    from webapp.storage import ROLE_LABELS_FR

    password = _read_password(args)

    def create() -> str:
        user = open_repository().create_user(args.username, password, args.role, cohort=args.cohort)
        group = f", cohorte {user.cohort}" if user.cohort else ""
        return f"Compte créé : {user.username} ({ROLE_LABELS_FR[user.role]}{group})" + _shown(args, password)

    return _attempt(create)


def _list_users(args: argparse.Namespace) -> int:
    from webapp.storage import ROLE_LABELS_FR

    statuses = open_repository().account_statuses()
    if not statuses:
        print("Aucun compte. Créez-en un : crca users create --username NOM --role trainee")
    for status in statuses:
        user = status.user
        state = "désactivé" if status.disabled else "verrouillé" if status.locked else "actif"
        group = f"cohorte {user.cohort}" if user.cohort else "-"
        print(f"{user.username}\t{ROLE_LABELS_FR[user.role]}\t{group}\tcréé le {user.created_at:%d/%m/%Y}"
              f"\t{state}\t{status.tokens} connexion(s) ouverte(s)")  # fmt: skip
    return 0


def _set_cohort(args: argparse.Namespace) -> int:
    def move() -> str:
        user = open_repository().set_cohort(args.name, args.cohort)
        return (
            f"{user.username} : cohorte {user.cohort}." if user.cohort else f"{user.username} : sans cohorte."
        )

    return _attempt(move)


def _change_password(args: argparse.Namespace) -> int:
    password = _read_password(args)

    def change() -> str:
        revoked = open_repository().change_password(args.name, password)
        return f"Mot de passe de {args.name} changé ; {revoked} connexion(s) ouverte(s) fermée(s)." + _shown(
            args, password
        )

    return _attempt(change)


def _set_disabled(args: argparse.Namespace) -> int:
    def toggle() -> str:
        revoked = open_repository().set_disabled(args.name, args.disabled)
        if args.disabled:
            return f"Compte {args.name} désactivé ; {revoked} connexion(s) ouverte(s) fermée(s)."
        return f"Compte {args.name} réactivé."

    return _attempt(toggle)


def _unlock(args: argparse.Namespace) -> int:
    if not args.name and not args.address:
        print("Erreur : donnez un identifiant (NOM) ou une adresse (--address).", file=sys.stderr)
        return 1

    def unlock() -> str:
        open_repository().unlock(username=args.name, address=args.address)
        return "Déverrouillé : " + " et ".join(x for x in (args.name, args.address) if x) + "."

    return _attempt(unlock)


def _show_log(args: argparse.Namespace) -> int:
    events = open_repository().sign_in_log(args.user, limit=max(1, args.limit))
    if not events:
        print("Journal vide.")
    for event in events:
        detail = f" ({event.detail})" if event.detail else ""
        print(f"{event.local_time}\t{event.address}\t{event.username or '-'}"
              f"\t{event.label}{detail}")  # fmt: skip
    return 0
