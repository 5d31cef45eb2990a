"""The factor slugs of ../shared/factor-spec.csv: a contract other parts of the system depend on.

Frozen here because the shared directory is not available to installed code. Never rename one;
a catalogue must hold exactly these slugs with these kinds, levels and applies_to values.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class SpecRow(NamedTuple):
    """Contract values of one factor."""

    kind: str
    level: str
    applies_to: str


CONTRACT: Final[dict[str, SpecRow]] = {
    "early_onset_normbreaking": SpecRow("risk", "individ", "barn"),
    "aggressive_behaviour": SpecRow("risk", "individ", "barn"),
    "hyperactivity_impulsivity": SpecRow("risk", "individ", "barn"),
    "procriminal_attitudes": SpecRow("risk", "individ", "barn"),
    "early_substance_use": SpecRow("risk", "individ", "barn"),
    "youth_mental_ill_health": SpecRow("risk", "individ", "barn"),
    "self_harm_suicidality": SpecRow("risk", "individ", "alla"),
    "prior_victimisation": SpecRow("risk", "individ", "alla"),
    "difficult_temperament": SpecRow("risk", "individ", "barn"),
    "impulse_control": SpecRow("protective", "individ", "barn"),
    "secure_attachment": SpecRow("protective", "individ", "barn"),
    "good_cognitive_social_skills": SpecRow("protective", "individ", "alla"),
    "self_esteem": SpecRow("protective", "individ", "alla"),
    "emotion_regulation": SpecRow("protective", "individ", "alla"),
    "prosocial_values": SpecRow("protective", "individ", "barn"),
    "child_maltreatment": SpecRow("risk", "familj", "barn"),
    "neglect": SpecRow("risk", "familj", "barn"),
    "child_exposed_ipv": SpecRow("risk", "familj", "barn"),
    "parental_substance_abuse": SpecRow("risk", "familj", "barn"),
    "parental_mental_illness": SpecRow("risk", "familj", "barn"),
    "parental_criminality": SpecRow("risk", "familj", "barn"),
    "poor_supervision": SpecRow("risk", "familj", "barn"),
    "harsh_inconsistent_parenting": SpecRow("risk", "familj", "barn"),
    "family_conflict": SpecRow("risk", "familj", "alla"),
    "economic_hardship": SpecRow("risk", "familj", "alla"),
    "honour_oppression": SpecRow("risk", "familj", "alla"),
    "parental_support": SpecRow("protective", "familj", "barn"),
    "parental_sensitivity": SpecRow("protective", "familj", "barn"),
    "parental_monitoring": SpecRow("protective", "familj", "barn"),
    "deviant_peers": SpecRow("risk", "kamrater", "barn"),
    "bullying_peer_rejection": SpecRow("risk", "kamrater", "barn"),
    "social_isolation": SpecRow("risk", "kamrater", "alla"),
    "positive_peers": SpecRow("protective", "kamrater", "alla"),
    "supportive_network": SpecRow("protective", "natverk", "alla"),
    "structured_leisure": SpecRow("protective", "natverk", "barn"),
    "school_failure": SpecRow("risk", "skola", "barn"),
    "truancy": SpecRow("risk", "skola", "barn"),
    "weak_school_bonding": SpecRow("risk", "skola", "barn"),
    "school_success": SpecRow("protective", "skola", "barn"),
    "deprived_neighbourhood": SpecRow("risk", "narsamhalle", "alla"),
    "positive_role_models": SpecRow("protective", "narsamhalle", "alla"),
    "safe_neighbourhood": SpecRow("protective", "narsamhalle", "alla"),
    "alcohol_problem": SpecRow("risk", "vuxen", "vuxen"),
    "drug_problem": SpecRow("risk", "vuxen", "vuxen"),
    "unemployment_income": SpecRow("risk", "vuxen", "vuxen"),
    "legal_problems": SpecRow("risk", "vuxen", "alla"),
    "physical_ill_health": SpecRow("risk", "vuxen", "alla"),
    "adult_mental_ill_health": SpecRow("risk", "vuxen", "vuxen"),
    "housing_instability": SpecRow("risk", "miljo", "alla"),
    "escalating_ipv": SpecRow("risk", "vald", "vuxen"),
    "threats_weapons": SpecRow("risk", "vald", "alla"),
    "recent_separation": SpecRow("risk", "vald", "alla"),
    "victim_vulnerability": SpecRow("risk", "vald", "alla"),
    "employment_education": SpecRow("protective", "vuxen", "vuxen"),
    "stable_economy": SpecRow("protective", "vuxen", "alla"),
    "stable_housing": SpecRow("protective", "miljo", "alla"),
    "sobriety": SpecRow("protective", "vuxen", "alla"),
    "motivation_for_change": SpecRow("protective", "vuxen", "alla"),
    "ongoing_professional_support": SpecRow("protective", "natverk", "alla"),
}

SLUGS: Final[frozenset[str]] = frozenset(CONTRACT)
