"""Cues written in session 7 from the factor definitions only (catalogue 2026.11-46): families
of the ways people say a factor, never a meeting's line. Every sentence here was written for
this test and is in neither `definitions.jsonl` nor `definitions-heldback.jsonl`; each stated
one is missed by the catalogue without the cue its comment names, and each near one must stay
as it is (no finding of the factor)."""

from __future__ import annotations

import pytest

from risk_factors.tagger import Tagger
from tests.risk_factors.support import denied, factors_found, heard_segments, typed_segments

# (case type, what is said, the factor it states)
STATED = [
    # threats_weapons: threatening, however the sentence goes on; threats as a noun; a harm
    # someone says they will do to a named person
    ("vuxen", "Han var hotfull i telefonen mot mig.", "threats_weapons"),
    ("vuxen", "Hon blev hotfull och skrek åt mig i trappan.", "threats_weapons"),
    ("vuxen", "Han har varit väldigt hotfull på sms mot mig hela veckan.", "threats_weapons"),
    ("vuxen", "Exet kommer med hotelser så fort jag inte svarar.", "threats_weapons"),
    ("vuxen", "Han skrev att han skulle skada barnen om jag gick till polisen.", "threats_weapons"),
    # hyperactivity_impulsivity: acting before thinking, cannot stop oneself
    (
        "barn",
        "Hon hoppar ner från klätterställningen innan hon hinner tänka.",
        "hyperactivity_impulsivity",
    ),
    ("barn", "Han avbryter hela tiden på lektionerna.", "hyperactivity_impulsivity"),
    # procriminal_attitudes: a crime made light of; rules for others
    ("barn", "Han tycker att det är ingen stor grej att sno en cykel.", "procriminal_attitudes"),
    ("barn", "Hon menar att reglerna är till för andra.", "procriminal_attitudes"),
    # self_harm_suicidality
    ("vuxen", "Jag vill inte finnas längre, så känns det.", "self_harm_suicidality"),
    ("barn", "Hon har sagt att hon inte vill finnas längre.", "self_harm_suicidality"),
    # difficult_temperament
    ("barn", "Han blir rasande för småsaker, som att mjölken är fel.", "difficult_temperament"),
    ("barn", "Det tar timmar att lugna ner henne när hon väl har börjat.", "difficult_temperament"),
    # impulse_control
    ("barn", "Han kan stoppa sig själv numera när det börjar koka.", "impulse_control"),
    ("barn", "Hon står emot grupptrycket i klassen.", "impulse_control"),
    # secure_attachment
    ("barn", "Han är trygg med oss båda och somnar lätt.", "secure_attachment"),
    # good_cognitive_social_skills
    ("barn", "Hon läser av andra väldigt bra för sin ålder.", "good_cognitive_social_skills"),
    # bullying_peer_rejection
    ("barn", "Hon känner sig utanför hela tiden på rasterna.", "bullying_peer_rejection"),
    # adult_mental_ill_health / youth_mental_ill_health
    ("vuxen", "Jag känner mig tom och allt känns meningslöst.", "adult_mental_ill_health"),
    ("barn", "Han säger att han är värdelös och ser ingen framtid.", "youth_mental_ill_health"),
    # prosocial_values
    ("barn", "Hon vet skillnad på rätt och fel och säger det till kompisarna.", "prosocial_values"),
    # child_maltreatment: degrading words from a parent; wishing the child unborn
    ("barn", "Styvpappa kallar honom ett misstag.", "child_maltreatment"),
    ("barn", "Pappa har sagt att han önskar att jag aldrig hade funnits.", "child_maltreatment"),
    # child_exposed_ipv: the child stepping in
    ("barn", "Hon gick emellan när hennes pappa slog mig i hallen.", "child_exposed_ipv"),
    # poor_supervision
    ("barn", "Han sitter uppe hela nätterna med datorn.", "poor_supervision"),
    # harsh_inconsistent_parenting
    (
        "barn",
        "Han har fått husarrest i två veckor för en glömd läxa.",
        "harsh_inconsistent_parenting",
    ),
    ("barn", "Mamma är jättesträng mot oss.", "harsh_inconsistent_parenting"),
    # honour_oppression
    ("vuxen", "Min pappa säger att jag inte är hans dotter längre.", "honour_oppression"),
    # parental_support / parental_sensitivity / parental_monitoring
    ("barn", "Pappa är den jag litar på mest.", "parental_support"),
    ("barn", "Mamma förstår när jag behöver vara för mig själv.", "parental_sensitivity"),
    ("barn", "Vi förbereder honom i förväg när något nytt ska hända.", "parental_sensitivity"),
    (
        "barn",
        "Jag känner alla hans kompisars föräldrar, fast vi inte bor nära.",
        "parental_monitoring",
    ),
    # positive_peers / supportive_network / social_isolation
    ("vuxen", "Kompisarna från jobbet är ett stort stöd.", "positive_peers"),
    ("barn", "Han har en ledare på scouterna som han litar på.", "supportive_network"),
    ("vuxen", "Vi har ingen släkt i Sverige.", "social_isolation"),
    # structured_leisure
    ("barn", "Hon har börjat på gymnastik i höstas.", "structured_leisure"),
    # school_failure / truancy / weak_school_bonding
    ("barn", "Han når inte kunskapskraven i tre ämnen.", "school_failure"),
    ("barn", "Hon dyker aldrig upp på lektionerna efter lunch.", "truancy"),
    ("barn", "Han känner sig ovälkommen i klassen.", "weak_school_bonding"),
    ("barn", "Det finns ingen vuxen på skolan som hon litar på.", "weak_school_bonding"),
    # deprived_neighbourhood / positive_role_models / safe_neighbourhood
    ("vuxen", "Det finns mycket kriminella där jag bor.", "deprived_neighbourhood"),
    ("barn", "Vi vågar inte vara ute på kvällarna i området.", "deprived_neighbourhood"),
    ("barn", "Han vill vara som sin morbror som är brandman.", "positive_role_models"),
    ("vuxen", "Grannarna hjälper varandra och det händer aldrig något här.", "safe_neighbourhood"),
    # alcohol_problem / drug_problem
    ("vuxen", "Jag startar dagen med en öl.", "alcohol_problem"),
    ("vuxen", "Jag har börjat dricka igen efter jul.", "alcohol_problem"),
    ("vuxen", "Jag köper piller svart.", "drug_problem"),
    # unemployment_income / employment_education / legal_problems / physical_ill_health
    ("vuxen", "Jag fick sparken i september.", "unemployment_income"),
    ("vuxen", "Min fru blev uppsagd, men jag jobbar kvar på bygget.", "employment_education"),
    ("vuxen", "Jag ska stå inför rätta i januari.", "legal_problems"),
    ("vuxen", "Jag är sockersjuk sedan tio år.", "physical_ill_health"),
    # stable_economy / motivation_for_change / early_onset_normbreaking
    ("vuxen", "Vi har sparpengar och är skuldfria.", "stable_economy"),
    ("vuxen", "Jag vill bli kvitt spriten en gång för alla.", "motivation_for_change"),
    (
        "barn",
        "Han åkte fast för inbrott när han gick på mellanstadiet.",
        "early_onset_normbreaking",
    ),
]

# (case type, what is said, the factor it must not give): a denial, another person, the
# opposite, a place or a mood, or a word that only looks like a cue word
NEAR = [
    ("vuxen", "Stämningen var hotfull i området efter skjutningen.", "threats_weapons"),
    ("vuxen", "Han hotar och slår andra på jobbet, inte mig.", "threats_weapons"),
    ("vuxen", "Han sparkade mig i magen.", "unemployment_income"),
    ("vuxen", "Jag har varit utan arbete i två år.", "employment_education"),
    ("barn", "Han skriker på henne för minsta lilla sak.", "difficult_temperament"),
    ("barn", "Hon får själv välja vem hon ska gifta sig med.", "honour_oppression"),
    ("barn", "Hans kompis har föräldrar som stöttar honom i allt.", "parental_support"),
    ("barn", "Han ser upp till killarna som langar i parken.", "positive_role_models"),
    ("barn", "Hon var hemma från skolan i tre dagar för att hon hade influensa.", "truancy"),
    ("barn", "Det var han som retade en annan kille i klassen.", "bullying_peer_rejection"),
    ("vuxen", "Min syster har skulder, men inte jag.", "economic_hardship"),
    ("barn", "Han fick en fotboll i ansiktet och har ett blåmärke.", "child_maltreatment"),
    ("vuxen", "Jag tar bara de tabletter som läkaren har skrivit ut.", "drug_problem"),
    ("vuxen", "Vi är skuldfria sedan förra året.", "economic_hardship"),
    ("vuxen", "Vi skildes för tolv år sen och är vänner i dag.", "recent_separation"),
    (
        "barn",
        "Hon tycker att skolan är tråkig och ser ingen mening med den.",
        "youth_mental_ill_health",
    ),
    ("barn", "Vi sparar till en resa i sommar.", "stable_economy"),
    ("barn", "Kompisarna är inte snälla mot honom.", "positive_peers"),
    ("barn", "Han vill börja på boxning men har inte kommit igång.", "structured_leisure"),
    ("barn", "Han kan inte stoppa sig själv när han blir arg.", "impulse_control"),
    ("barn", "Hon har svårt att läsa av andra.", "good_cognitive_social_skills"),
    ("vuxen", "Jag bryr mig inte om vad folk ska säga om min skilsmässa.", "honour_oppression"),
]


class TestCuesFromTheDefinitions:
    """A factor said the way its definition describes is found; a near sentence is not."""

    @pytest.mark.parametrize(("case_type", "text", "slug"), STATED)
    def test_stated_factor_is_found(
        self, tagger: Tagger, case_type: str, text: str, slug: str
    ) -> None:
        """A factor said in everyday words the definition covers is found."""
        assert slug in factors_found(tagger, case_type, text)

    @pytest.mark.parametrize(("case_type", "text", "slug"), NEAR)
    def test_near_sentence_is_not_the_factor(
        self, tagger: Tagger, case_type: str, text: str, slug: str
    ) -> None:
        """A denial, someone else, the opposite or a lookalike word does not give the factor."""
        assert slug not in factors_found(tagger, case_type, text)


class TestKilledBySomeoneElse:
    """Someone else's threat to kill the client is a threat, not the client's suicidality."""

    @pytest.mark.parametrize(
        "text",
        [
            "Exet skriver att han ska ta livet av mig om jag flyttar.",
            "Han har sagt att han kommer att ta livet av oss.",
            "Hon skrek att hon skulle ta livet av mig.",
        ],
    )
    def test_a_threat_to_kill_is_no_suicidality(self, tagger: Tagger, text: str) -> None:
        """Someone else who will "ta livet av mig" threatens the client: a threat, never the
        client's own suicidal thoughts."""
        assert factors_found(tagger, "vuxen", text) == {"threats_weapons"}

    @pytest.mark.parametrize(
        ("case_type", "text"),
        [
            ("vuxen", "Jag har tänkt ta livet av mig."),
            ("barn", "Hon sa att hon skulle ta livet av sig."),
        ],
    )
    def test_ones_own_wish_stays_suicidality(
        self, tagger: Tagger, case_type: str, text: str
    ) -> None:
        """ "Jag … ta livet av mig" and "hon … ta livet av sig" stay self-harm."""
        assert factors_found(tagger, case_type, text) == {"self_harm_suicidality"}


class TestQuestionOfOneTopicWord:
    """A no to a one-word topic question stays a denial beside protective cues on that topic."""

    def test_a_protective_cue_names_no_substance_word(self, tagger: Tagger) -> None:
        """ "Och alkohol?" / "Nej." stays a denial beside a motivation cue about alcohol."""
        result = tagger.tag_segments(
            typed_segments("Använder du något?", "Nej.", "Och alkohol?", "Nej, aldrig."),
            "vuxen",
        )
        assert "alcohol_problem" in denied(result)
        assert "motivation_for_change" in factors_found(
            tagger, "vuxen", "Jag vill bli av med alkoholen nu."
        )


# A topic word an adult is asked about in a question of its own, and the one risk it names.
TOPIC_WORDS = [
    ("alkohol", "alcohol_problem"),
    ("spriten", "alcohol_problem"),
    ("droger", "drug_problem"),
    ("narkotika", "drug_problem"),
    ("hasch", "drug_problem"),
    ("tabletter", "drug_problem"),
    ("skulder", "economic_hardship"),
    ("vapen", "threats_weapons"),
    ("ångest", "adult_mental_ill_health"),
    ("hemlöshet", "housing_instability"),
    ("självmordstankar", "self_harm_suicidality"),
]


class TestTopicWordsNameOneRisk:
    """Each topic word asked about alone names exactly one risk, so a no denies it."""

    @pytest.mark.parametrize(("word", "slug"), TOPIC_WORDS)
    def test_och_topic_answered_no_is_denied(self, tagger: Tagger, word: str, slug: str) -> None:
        """ "Och <word>?" / "Nej." denies the one risk the word names: no protective cue (nor a
        second risk) names the word as a one-word alternative, which would stop the denial."""
        result = tagger.tag_segments(
            typed_segments("Hur sover du?", "Bra.", f"Och {word}?", "Nej."), "vuxen"
        )
        assert denied(result) == {slug}


class TestUnlessWordsKeepGarbledWordsAlike:
    """A cue's unless words never turn a garbled cue word into an exact other word."""

    def test_a_garbled_doemd_still_asks_about_a_sentence(self, tagger: Tagger) -> None:
        """ "tömd" heard unsurely for "dömd" stays a likeness of the cue word: no unless word
        may have "tömd"'s normal form ("tömt", "tömde"), which would read it exactly."""
        result = tagger.tag_segments(
            heard_segments("Har du varit tömd för något brott?", "Nej.", unsure={"tömd": 0.3}),
            "vuxen",
        )
        assert "legal_problems" in denied(result)
