"""Practice scenarios: their typed model and the YAML library (`cases/`).

Both the simulated client (`bot`) and the grader (`evaluation`) read a scenario — the client plays
its persona and hidden facts, the grader reads its expected handling — so it sits below both.
"""

from scenarios.models import (
    ClientFile,
    CustomerPath,
    EndConditions,
    ExpectedHandling,
    HiddenFact,
    Persona,
    Product,
    Scenario,
)

__all__ = [
    "ClientFile",
    "CustomerPath",
    "EndConditions",
    "ExpectedHandling",
    "HiddenFact",
    "Persona",
    "Product",
    "Scenario",
]
