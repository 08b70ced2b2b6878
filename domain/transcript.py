"""The conversation record shared by the simulator, the app and the grader."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Channel(StrEnum):
    """How the exchange takes place; the referential grades adaptation to it."""

    PHONE = "phone"
    CHAT = "chat"
    EMAIL = "email"
    FACE_TO_FACE = "face_to_face"


CHANNEL_LABELS_FR: dict[Channel, str] = {
    Channel.PHONE: "Téléphone",
    Channel.CHAT: "Chat",
    Channel.EMAIL: "E-mail",
    Channel.FACE_TO_FACE: "Face à face",
}


class Speaker(StrEnum):
    ADVISOR = "advisor"
    CLIENT = "client"


class Turn(BaseModel):
    """One utterance of the exchange."""

    model_config = ConfigDict(frozen=True)

    speaker: Speaker = Field(description="Who speaks: the trainee advisor or the client.")
    text: str = Field(description="What was said or written, verbatim.")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("le texte du tour est vide")
        return value


class Action(BaseModel):
    """A back-office operation the advisor performed in the information system."""

    model_config = ConfigDict(frozen=True)

    type: str = Field(description="Operation code, see ACTION_TYPES (others are kept as given).")
    detail: str = Field(default="", description="Free text the advisor entered.")
    after_turn: int | None = Field(
        default=None, description="Index of the last turn before the action, when known."
    )


class Transcript(BaseModel):
    """A whole exchange: what the grader reads and what sessions store."""

    id: str = Field(description="Stable identifier, used for output file names.")
    channel: Channel = Field(default=Channel.PHONE)
    context: str = Field(default="", description="What the advisor knew before the exchange.")
    scenario_id: str | None = Field(default=None, description="Scenario played, if any.")
    turns: list[Turn] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    revealed_facts: list[str] | None = Field(
        default=None,
        description="Ids of the scenario's hidden facts the client revealed (app sessions record "
        "them); None when unknown (imported files), then the grader looks for them in the turns.",
    )

    def advisor_turns(self) -> list[tuple[int, Turn]]:
        """Advisor turns with their index in `turns`."""
        return [(i, t) for i, t in enumerate(self.turns) if t.speaker == Speaker.ADVISOR]


ACTION_TYPES: dict[str, str] = {
    "dossier_update": "Mise à jour du dossier client",
    "quote_created": "Devis établi",
    "contract_created": "Contrat souscrit",
    "amendment_created": "Avenant au contrat",
    "claim_opened": "Déclaration de sinistre ouverte",
    "expert_mandated": "Expert missionné",
    "repairer_mandated": "Réparateur / prestataire missionné",
    "transfer_requested": "Mise en relation avec un autre service",
    "callback_scheduled": "Rappel / relance programmé",
    "partner_informed": "Information d'un partenaire ou collègue",
    "document_sent": "Envoi de documents au client",
    "sepa_mandate_sent": "Mandat de prélèvement SEPA envoyé",
    "payment_recorded": "Encaissement enregistré",
    "refund_issued": "Remboursement / règlement émis",
    "cancellation_recorded": "Résiliation enregistrée",
    "quality_report": "Remontée d'incident qualité",
}
"""Back-office operation codes offered in the app, with their French labels."""
