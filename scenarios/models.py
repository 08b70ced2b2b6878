"""Scenario data: what the trainee faces, what the simulated client hides."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import ErrorDetails

from domain.transcript import Channel


class Product(StrEnum):
    AUTO = "auto"
    HABITATION = "habitation"
    SANTE = "sante"
    PREVOYANCE = "prevoyance"
    VIE = "vie"


class CustomerPath(StrEnum):
    """Step of the customer journey the contact belongs to."""

    SOUSCRIPTION = "souscription"
    AVENANT = "avenant"
    SINISTRE = "sinistre"
    RECLAMATION = "reclamation"
    RESILIATION = "resiliation"
    PAIEMENT = "paiement"


PRODUCT_LABELS_FR: dict[Product, str] = {
    Product.AUTO: "Automobile",
    Product.HABITATION: "Habitation (MRH)",
    Product.SANTE: "Complémentaire santé",
    Product.PREVOYANCE: "Prévoyance",
    Product.VIE: "Vie / épargne",
}

PATH_LABELS_FR: dict[CustomerPath, str] = {
    CustomerPath.SOUSCRIPTION: "Souscription / devis",
    CustomerPath.AVENANT: "Avenant / vie du contrat",
    CustomerPath.SINISTRE: "Indemnisation / sinistre",
    CustomerPath.RECLAMATION: "Réclamation",
    CustomerPath.RESILIATION: "Résiliation",
    CustomerPath.PAIEMENT: "Paiement / encaissement",
}


class Persona(BaseModel):
    """Who the simulated client is and how they talk."""

    model_config = ConfigDict(extra="forbid")

    name: str
    age: int = Field(ge=16, le=110)
    situation: str = Field(description="Family, job, home, vehicle: what shapes the need.")
    temperament: str = Field(description="e.g. pressé, anxieux, méfiant, en colère.")
    speech_style: str = Field(description="Register and verbal habits to imitate.")
    wants: str = Field(description="What the client wants from this contact.")
    objections: list[str] = Field(
        default_factory=list, description="Objections raised in order when a proposal is made."
    )
    objection_cues: list[str] = Field(
        default_factory=list,
        description="Lower-case cues in the advisor's turn that mean a proposal is on the table, "
        "so the next objection is due (e.g. 'je vous propose', 'cotisation').",
    )
    initial_mood: int = Field(
        default=0, ge=-2, le=2, description="Mood at the first turn: -2 angry … 0 neutral … +2 friendly."
    )


class HiddenFact(BaseModel):
    """Information the client gives only when the trainee asks for it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    content: str = Field(description="The fact, as the client would state it (French).")
    reveal_when: list[str] = Field(
        min_length=1,
        description="Lower-case cues (words or short phrases) in the advisor's turn that unlock it.",
    )
    contradicts_file: bool = Field(
        default=False, description="True when the fact disagrees with the advisor's client file."
    )
    articles: list[str] = Field(default_factory=list, description="Knowledge article ids.")


class ClientFile(BaseModel):
    """What the advisor sees on screen before the exchange."""

    model_config = ConfigDict(extra="forbid")

    company: str = Field(description="The (fictional) insurer the trainee works for.")
    client_summary: str = Field(description="Identity, seniority, household.")
    contracts: list[str] = Field(default_factory=list)
    past_claims: list[str] = Field(default_factory=list)
    payment_incidents: list[str] = Field(default_factory=list)
    journey: str = Field(default="", description="Customer journey so far.")


class ExpectedHandling(BaseModel):
    """The good handling, for trainers and the grader; never shown to the client model."""

    model_config = ConfigDict(extra="forbid")

    solution: str
    articles: list[str] = Field(default_factory=list, description="Knowledge article ids.")
    criteria: list[str] = Field(
        default_factory=list, description="Rubric criterion ids this scenario makes observable."
    )
    expected_actions: list[str] = Field(default_factory=list, description="Action type codes.")


class EndConditions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_turns: int = Field(default=30, ge=2)
    client_ends_when: list[str] = Field(
        default_factory=list, description="Cues in the advisor's turn after which the client closes."
    )


class Scenario(BaseModel):
    """One practice situation, loaded from `scenarios/cases/*.yaml`."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    product: Product
    path: CustomerPath
    channel: Channel
    difficulty: int = Field(ge=1, le=3)
    client_file: ClientFile
    persona: Persona
    hidden_facts: list[HiddenFact] = Field(default_factory=list)
    expected: ExpectedHandling
    opening_line: str
    fallback_lines: list[str] = Field(
        min_length=1, description="In-character lines used when the model's reply is unusable."
    )
    end: EndConditions = Field(default_factory=EndConditions)

    def brief(self) -> str:
        """The advisor's brief as plain French text (also the transcript context)."""
        f = self.client_file
        lines = [f"Société : {f.company}", f"Client : {f.client_summary}"]
        if f.contracts:
            lines.append("Contrats : " + " ; ".join(f.contracts))
        if f.past_claims:
            lines.append("Sinistres antérieurs : " + " ; ".join(f.past_claims))
        if f.payment_incidents:
            lines.append("Incidents de paiement : " + " ; ".join(f.payment_incidents))
        if f.journey:
            lines.append(f"Parcours : {f.journey}")
        return "\n".join(lines)


# French explanations of schema errors: trainers edit these files, pydantic only speaks English.


def field_path(loc: tuple[int | str, ...]) -> str:
    """Pydantic location as a dotted path: ('hidden_facts', 1, 'id') → 'hidden_facts[1].id'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "-"


_FRENCH: dict[str, str] = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu (faute de frappe ?)",
    "string_type": "texte attendu",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "bool_type": "booléen attendu (true ou false)",
    "bool_parsing": "booléen attendu (true ou false)",
    "list_type": "liste attendue (lignes commençant par « - »)",
    "model_type": "objet attendu (clé: valeur)",
    "dict_type": "objet attendu (clé: valeur)",
}


def french_reason(error: ErrorDetails) -> str:
    """French reason for one pydantic error (pydantic only speaks English)."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind in _FRENCH:
        return _FRENCH[kind]
    if kind == "enum":
        return f"valeur « {value} » invalide, valeurs possibles : {ctx.get('expected', '')}"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        word = "au moins" if kind == "greater_than_equal" else "au plus"
        return f"valeur {value} hors limites : {word} {bound}"
    if kind == "too_short":
        return f"au moins {ctx.get('min_length')} élément(s) attendu(s)"
    if kind == "string_pattern_mismatch":
        return f"format invalide « {value} » (minuscules, chiffres et tirets)"
    return f"valeur invalide : {error['msg']}"
