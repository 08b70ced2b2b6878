"""Sub-commands `app`, `model` and `users`: the web app, the embedded model and accounts."""

from __future__ import annotations

import argparse
import getpass
import sys


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
    create.add_argument(
        "--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard"
    )
    create.set_defaults(handler=_create_user)
    listing = users_sub.add_parser("list", help="lister les comptes")
    listing.set_defaults(handler=_list_users)


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
    created = _repository().ensure_first_accounts()
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


def _repository():  # noqa: ANN202  (storage imported lazily: `crca --help` stays fast)
    from crca.settings import load_settings
    from webapp.storage import Repository

    settings = load_settings()
    return Repository.open(settings.db_url, auto_upgrade=settings.database_auto_upgrade)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Confirmez le mot de passe : ") != first:
        raise SystemExit("Les deux mots de passe diffèrent.")
    return first


def _create_user(args: argparse.Namespace) -> int:
    from webapp.storage import ROLE_LABELS_FR, StorageError

    password = _read_password(args.password_stdin)
    try:
        user = _repository().create_user(args.username, password, args.role)
    except StorageError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    print(f"Compte créé : {user.username} ({ROLE_LABELS_FR[user.role]})")
    return 0


def _list_users(args: argparse.Namespace) -> int:
    from webapp.storage import ROLE_LABELS_FR

    users = _repository().list_users()
    if not users:
        print("Aucun compte. Créez-en un : crca users create --username NOM --role trainee")
    for user in users:
        print(f"{user.username}\t{ROLE_LABELS_FR[user.role]}\tcréé le {user.created_at:%d/%m/%Y}")
    return 0
