"""Client simulation: scenarios, the simulated client and conversations."""

import crca  # noqa: F401  (offline environment defaults)
from bot.scenario import (
    ClientFile,
    CustomerPath,
    EndConditions,
    ExpectedHandling,
    HiddenFact,
    Persona,
    Product,
    Scenario,
)
from bot.transcript import ACTION_TYPES, Action, Channel, Speaker, Transcript, Turn

__all__ = [
    "ACTION_TYPES",
    "Action",
    "Channel",
    "ClientFile",
    "CustomerPath",
    "EndConditions",
    "ExpectedHandling",
    "HiddenFact",
    "Persona",
    "Product",
    "Scenario",
    "Speaker",
    "Transcript",
    "Turn",
]
