"""`crca chat`: a conversation with the simulated client in the terminal."""

from __future__ import annotations

import argparse


def run_chat(args: argparse.Namespace) -> int:
    print("Cette commande n'est pas encore disponible.")
    return 1
