"""Whose problem it is: a named person, a person noun (also a compound like "lillebror") or a
"han"/"hon" whose referent is such a person is not the client, in a statement, in a question's
subject position, or in the answer to such a question; the child's own name and pronoun stay
the child's."""

from __future__ import annotations

from risk_factors.persons import client_names, other_references, person_gender
from risk_factors.tagger import Tagger
from risk_factors.text import split_sentences
from tests.risk_factors.support import factors_found as _found
from tests.risk_factors.support import heard_segments as _heard
from tests.risk_factors.support import typed_segments as _segs


class TestPronounReferent:
    def test_he_after_a_grandfather_is_the_grandfather(self, tagger: Tagger) -> None:
        """ "Han dricker" after a question about the grandfather is his drinking, not the
        child's."""
        found = _found(
            tagger,
            "barn",
            "Hur är det när ni hälsar på morfar?",
            "Han dricker öl hela dagarna och är full när vi kommer dit.",
        )
        assert "early_substance_use" not in found

    def test_he_about_the_named_child_is_the_child(self, tagger: Tagger) -> None:
        """ "Han" after a question about the child by name is the child."""
        found = _found(
            tagger,
            "barn",
            "Hur har Elias haft det i höst?",
            "Han röker hasch med äldre killar varje helg.",
        )
        assert "early_substance_use" in found

    def test_a_possessive_leaves_he_ambiguous(self, tagger: Tagger) -> None:
        """After "Hans pappa …" a "han" may be the child: the child's reading is kept."""
        found = _found(
            tagger, "barn", "Hans pappa jobbar natt.", "Han röker hasch med äldre killar."
        )
        assert "early_substance_use" in found

    def test_a_younger_brother_in_prison_is_not_the_client(self, tagger: Tagger) -> None:
        """A compound kin noun ("lillebror") is a person: his prison term is his."""
        found = _found(
            tagger, "vuxen", "Hur går det för din lillebror?", "Han sitter i fängelse sedan i maj."
        )
        assert "legal_problems" not in found

    def test_the_referent_fades(self) -> None:
        """A father named long before is no longer what "han" refers to."""
        text = "Pappa bor i Luleå. " + "Vi pratar inte. " * 7 + "Han ljuger."
        sentences = split_sentences(text)
        others = other_references(text, sentences, "barn")
        assert text.index("Pappa") in others
        assert text.index("Han ljuger") not in others


class TestNamedPerson:
    def test_a_question_about_a_named_partner_is_not_about_the_client(self, tagger: Tagger) -> None:
        """ "Dricker Kevin mycket?" / "Ja, varje dag." is Kevin's drinking, not the client's."""
        assert "alcohol_problem" not in _found(
            tagger, "vuxen", "Dricker Kevin mycket?", "Ja, varje dag."
        )
        assert "alcohol_problem" in _found(tagger, "vuxen", "Dricker du mycket?", "Ja, varje dag.")

    def test_he_after_a_named_partner_is_the_partner(self, tagger: Tagger) -> None:
        """The answer's "han" is the partner the question named."""
        found = _found(
            tagger, "vuxen", "Har Kevin suttit inne?", "Ja, han dömdes för rån för tre år sedan."
        )
        assert "legal_problems" not in found

    def test_the_client_addressed_by_name_is_the_client(self) -> None:
        """A name the caseworker addresses with "du" is the client's, not another person's."""
        text = "Selma, hur mår du?\nSelma dricker inte."
        sentences = split_sentences(text)
        assert text.rindex("Selma") not in other_references(text, sentences, "barn")

    def test_kin_nouns_and_compounds(self) -> None:
        """Kin nouns have a gender; compounds ending in one are persons; "humor" is not."""
        assert person_gender("storebror") == "m"
        assert person_gender("halvsyster") == "f"
        assert person_gender("sambon") == "mf"
        assert person_gender("humor") is None


class TestPastAndOver:
    def test_used_before_but_clean_now_is_over(self, tagger: Tagger) -> None:
        """ "Jag rökte cannabis i fem år, men jag har varit ren sedan i fjol" is over, not
        a present drug problem."""
        result = tagger.tag_text(
            "Jag rökte cannabis i fem år, men jag har varit ren sedan i fjol.", "vuxen"
        )
        assert "drug_problem" not in result.factors()

    def test_a_but_clause_that_is_not_over_keeps_the_finding(self, tagger: Tagger) -> None:
        """ "…, men jag är inte nykter" says nothing is over."""
        result = tagger.tag_text("Jag dricker varje dag, men jag är inte nykter nu.", "vuxen")
        assert "alcohol_problem" in result.factors()


class TestToldToTheClient:
    def test_a_report_read_to_the_client_is_no_finding(self, tagger: Tagger) -> None:
        """ "Det står i brevet att du har använt kokain." is the caseworker's account: no
        finding on its own, with no speakers known."""
        found = _found(
            tagger,
            "vuxen",
            "Det står i brevet att du har använt kokain. Hur är det nu?",
            "Det var länge sedan.",
        )
        assert "drug_problem" not in found

    def test_a_yes_to_a_report_confirms_it(self, tagger: Tagger) -> None:
        """ "… att du har använt kokain. Stämmer det?" / "Ja." finds it."""
        found = _found(
            tagger, "vuxen", "Polisen skriver att du har använt kokain. Stämmer det?", "Ja."
        )
        assert "drug_problem" in found


class TestMedication:
    def test_pills_for_an_illness_are_medication(self, tagger: Tagger) -> None:
        """ "tabletter mot migrän" is medication, not a drug problem; bare "tabletter" still
        is one."""
        assert (
            "drug_problem"
            not in tagger.tag_text("Jag tar tabletter mot migrän varje morgon.", "vuxen").factors()
        )
        assert (
            "drug_problem" in tagger.tag_text("Jag knaprar tabletter varje dag.", "vuxen").factors()
        )


class TestOutweighed:
    def test_a_topic_reading_gives_way_to_the_clients_own_words(self, tagger: Tagger) -> None:
        """ "Hur länge har ni bott där?" / "Snart fyra år." is stable housing, unless the
        client says in so many words that the housing is insecure."""
        asked = ("Hur länge har ni bott där?", "Snart fyra år.")
        assert "stable_housing" in _found(tagger, "vuxen", *asked)
        found = _found(tagger, "vuxen", "Vi hyr i andra hand och vi blir vräkta i mars.", *asked)
        assert "stable_housing" not in found
        assert "housing_instability" in found


class TestTwoNos:
    def test_a_no_said_twice_is_one_denial(self, tagger: Tagger) -> None:
        """Two voices answering "Nej" in turn deny what was asked; the first "Nej" is no
        question the recogniser missed."""
        result = tagger.tag_segments(
            _segs("Röker du hasch?", "Nej, aldrig.", "Nej. Han har aldrig gjort det."), "vuxen"
        )
        assert "drug_problem" in {d.factor for d in result.denied if d.asked}
        assert "drug_problem" not in result.factors()


class TestHeardNames:
    def test_a_name_written_small_in_a_question_is_someone_else(self, tagger: Tagger) -> None:
        """ "Har kevin varit dömd för något." (no capital, no question mark, as the recogniser
        writes it) asks about Kevin, and "han dömdes" in the answer is his."""
        found = _found(
            tagger, "vuxen", "Har kevin varit dömd för något.", "Ja, han dömdes för rån."
        )
        assert "legal_problems" not in found


class TestPrisonInAChildsCase:
    def test_a_prison_in_a_childs_case_is_an_adults(self, tagger: Tagger) -> None:
        """A child is never sentenced to prison: "Han sitter i fängelse" in a child's case is
        not the child's legal problem; in an adult's case with no other person it is."""
        assert "legal_problems" not in _found(tagger, "barn", "Han sitter i fängelse.")
        assert "legal_problems" in _found(tagger, "vuxen", "Jag satt i fängelse i två år.")


class TestMisheardPronoun:
    def test_a_short_non_word_subject_is_no_name(self, tagger: Tagger) -> None:
        """ "Använder gu droger?" ("gu" misheard for "du") still asks the client."""
        result = tagger.tag_segments(_segs("Använder gu droger?", "Nej."), "vuxen")
        assert "drug_problem" in {d.factor for d in result.denied}

    def test_a_question_to_the_client_stays_the_clients(self) -> None:
        """ "Har du varit dömd?" misheard as "Har du far i dömd", read as the client would say
        it ("har jag …"): the subject after the verb is the client, not the "far" heard
        later."""
        from risk_factors.context import about_someone_else

        text = "Har jag far i dömd"
        sentence = split_sentences(text)[0]
        others = other_references(text, [sentence], "vuxen")
        assert not about_someone_else(sentence, (4,), "vuxen", others)


class TestReferentNoun:
    def test_he_for_a_father_asked_about_is_the_fathers_factor(self, tagger: Tagger) -> None:
        """ "Hur är det med din pappa?" / "Han dricker varje kväll." is the parent's
        substance abuse, and never the child's own."""
        found = _found(tagger, "barn", "Hur är det med din pappa?", "Han dricker varje kväll.")
        assert "parental_substance_abuse" in found
        assert "early_substance_use" not in found


class TestComparison:
    def test_more_than_before_is_no_past(self, tagger: Tagger) -> None:
        """ "mer än förut" compares; it does not make the quarrels past."""
        assert "family_conflict" in tagger.tag_text("Vi bråkar mer än förut.", "barn").factors()
        assert "family_conflict" not in tagger.tag_text("Vi bråkade förut.", "barn").factors()


class TestArrears:
    def test_behind_with_the_rent_is_economic_not_school(self, tagger: Tagger) -> None:
        """ "ligger efter med räkningarna" is economic hardship; "ligger efter i engelska"
        is school failure."""
        bills = tagger.tag_text("Vi har legat efter med räkningarna sedan i somras.", "barn")
        assert bills.factors() == {"economic_hardship"}
        school = tagger.tag_text("Hon ligger efter i engelska.", "barn")
        assert "school_failure" in school.factors()


class TestNotToldToTheClient:
    def test_a_sentence_about_a_third_person_is_not_told_to_the_client(
        self, tagger: Tagger
    ) -> None:
        """A "du" beside "hon" ("Hon skolkar, vet du") is not a report about the client."""
        assert "truancy" in _found(tagger, "barn", "Hon skolkar varje fredag, vet du.")


class TestEverydayWords:
    def test_sad_every_day_and_wanting_to_work(self, tagger: Tagger) -> None:
        """ "ledsen varje dag" is an adult's mental ill health; "jag vill arbeta" is
        motivation for change; "Jag vill inte arbeta" is not."""
        assert "adult_mental_ill_health" in _found(
            tagger, "vuxen", "Jag gråter hela tiden och är ledsen jämt."
        )
        assert "motivation_for_change" in _found(tagger, "vuxen", "Jag vill arbeta igen.")
        assert "motivation_for_change" not in _found(tagger, "vuxen", "Jag vill inte arbeta.")


class TestPlaces:
    def test_a_place_name_is_no_subject(self, tagger: Tagger) -> None:
        """ "I Malmö dricker jag" is the client's drinking: a name after a
        preposition is a place or an object, not the subject."""
        assert "alcohol_problem" in _found(tagger, "vuxen", "I Malmö dricker jag.")

    def test_a_place_after_i_or_fran_does_not_take_over_he(self, tagger: Tagger) -> None:
        """In a child's case a name is the child's, but a capitalised word after "i"/"från"
        is a place: "han" after "Han har flyttat till en lägenhet i Borås" is still the
        father asked about, and his drinking is the parent's, not the child's."""
        found = _found(
            tagger,
            "barn",
            "Berätta om pappa.",
            "Han har flyttat till en lägenhet i Borås.",
            "Han dricker varje helg.",
        )
        assert "early_substance_use" not in found
        assert "parental_substance_abuse" in found
        found = _found(
            tagger, "barn", "Hur är det med pappa?", "Han kommer från Irak.", "Han röker på."
        )
        assert "early_substance_use" not in found


class TestWhereTheyAreNamed:
    def test_each_pronoun_read_as_another_person_points_at_the_word_naming_them(self) -> None:
        """`persons` reports, in segment coordinates, the word that last named the person a
        "han" is read as ("pappa" in the question), the naming words, and nothing for a
        "han" that is the named child's."""
        from risk_factors.tagger import persons

        texts = (
            "Vill du berätta om pappa?",
            "Han dricker varje helg.",
            "Hur har Elias det i skolan?",
            "Han har många kompisar.",
        )
        found = persons(_segs(*texts), "barn")
        pappa = (0, texts[0].index("pappa"), texts[0].index("pappa") + len("pappa"))
        assert dict(found.named) == {(1, 0): pappa}
        assert set(found.naming) == {pappa}


class TestWhoseWords:
    def test_an_adults_child_is_another_person(self, tagger: Tagger) -> None:
        """In an adult's case "min son"/"dottern" is the client's child: the son's drugs are
        not the client's drug problem; in a child's case "min son" said by a parent is the
        child."""
        found = _found(
            tagger,
            "vuxen",
            "Hur är det med familjen?",
            "Min son har fastnat i kokain, jag oroar mig jämt.",
        )
        assert "drug_problem" not in found
        found = _found(
            tagger, "vuxen", "Vem bor hemma?", "Jag och dottern. Dottern är arbetslös sedan i maj."
        )
        assert "unemployment_income" not in found
        assert "early_substance_use" in _found(
            tagger, "barn", "Vad oroar dig mest?", "Min son har börjat röka på med äldre killar."
        )

    def test_a_possessed_man_or_ex_is_another_person(self, tagger: Tagger) -> None:
        """ "Min man dricker" and "Mitt ex knarkar" are about the partner ("man" is a person
        only after a possessive); "Jag och min man dricker" includes the client."""
        assert "alcohol_problem" not in _found(
            tagger, "vuxen", "Hur är det hemma?", "Min man dricker varje kväll."
        )
        assert "drug_problem" not in _found(
            tagger, "vuxen", "Hur är det hemma?", "Mitt ex knarkar fortfarande."
        )
        assert "alcohol_problem" in _found(
            tagger, "vuxen", "Hur är det hemma?", "Jag och min man dricker varje kväll."
        )

    def test_friends_and_neighbours_are_other_people(self, tagger: Tagger) -> None:
        """A neighbour's, a mate's or a friend's problem is theirs ("Min granne dricker",
        "Min polare är arbetslös", "Min gamla vän röker på")."""
        for text, slug in (
            ("Min granne dricker från morgon till kväll.", "alcohol_problem"),
            ("Min polare är arbetslös sedan i våras.", "unemployment_income"),
            ("Min bästa vän röker på varje dag.", "drug_problem"),
        ):
            assert slug not in _found(tagger, "vuxen", "Hur är det runt dig?", text), text

    def test_a_question_about_a_possessed_person_asks_about_them(self, tagger: Tagger) -> None:
        """ "Dricker din pappa?" / "Ja, varje dag." is the father's drinking, and "Har din man
        suttit i fängelse?" / "Ja, två gånger." the husband's prison terms."""
        assert "alcohol_problem" not in _found(
            tagger, "vuxen", "Dricker din pappa?", "Ja, varje dag."
        )
        assert "legal_problems" not in _found(
            tagger, "vuxen", "Har din man suttit i fängelse?", "Ja, två gånger."
        )


class TestNameFirstInASentence:
    def test_a_name_written_where_no_subject_stands_is_a_name_first_too(
        self, tagger: Tagger
    ) -> None:
        """ "Mest med Jonas." makes "Jonas" a name, so "Jonas röker på varje helg", where the
        capital letter alone says nothing, is Jonas's drug use, not the client's."""
        found = _found(
            tagger, "vuxen", "Vem umgås du med?", "Mest med Jonas.", "Jonas röker på varje helg."
        )
        assert "drug_problem" not in found

    def test_a_word_written_where_subjects_stand_is_not(self, tagger: Tagger) -> None:
        """A word the recogniser writes with a capital for "jag" ("Jod vet att Jod …") is
        no name first in a sentence: "Jod dricker varje dag" stays the client's."""
        found = _found(
            tagger,
            "vuxen",
            "Hur går det med alkoholen?",
            "Jod dricker varje dag.",
            "Jod vet att Jod måste sluta.",
        )
        assert "alcohol_problem" in found


class TestDoneByPeers:
    def test_bruises_from_peers_are_no_maltreatment(self, tagger: Tagger) -> None:
        """Bruises whose doers in the same sentence are the child's peers ("de" for the boys
        named just before, or "killarna") are not maltreatment by an adult at home."""
        found = _found(
            tagger,
            "barn",
            "Hur har han det på fritids?",
            "Några pojkar i fyran retar honom nästan varje dag.",
            "Igår kom han hem med blåmärken på armen efter att de knuffat omkull honom.",
        )
        assert "child_maltreatment" not in found
        found = _found(
            tagger,
            "barn",
            "Hur har hon det?",
            "Hon hade blåmärken på ryggen när tjejerna i klassen hade sparkat henne.",
        )
        assert "child_maltreatment" not in found

    def test_bruises_with_an_adult_doer_are_still_maltreatment(self, tagger: Tagger) -> None:
        """Naming the parent keeps the finding, with peers mentioned before."""
        found = _found(
            tagger,
            "barn",
            "Hur har han det?",
            "Några killar retar honom ibland.",
            "Men blåmärkena på armarna är från pappa, han har slagit honom.",
        )
        assert "child_maltreatment" in found

    def test_the_boys_in_class_are_not_the_boy(self, tagger: Tagger) -> None:
        """A child's own cue word opening a clause as several others ("Killarna i klassen
        röker på") is theirs; "Han och killarna röker på" includes the child."""
        assert "early_substance_use" not in _found(
            tagger, "barn", "Hur är det i skolan?", "Killarna i klassen röker på efter skolan."
        )
        assert "early_substance_use" in _found(
            tagger, "barn", "Hur är det i skolan?", "Han och killarna röker på efter skolan."
        )


class TestTopicBeforeAQuestion:
    def test_a_question_about_han_asks_about_the_noun_he_stands_for(self, tagger: Tagger) -> None:
        """ "Pappa, har han kontakt med henne?" asks about the father (the topic before the
        comma is read apart from the question): "Han har ett missbruk" is the father's, the
        parent's substance abuse, not only someone else's."""
        found = _found(
            tagger,
            "barn",
            "Pappa, träffar han henne ofta?",
            "Varannan helg. Han har ett missbruk sedan många år.",
        )
        assert "parental_substance_abuse" in found
        assert "early_substance_use" not in found


class TestHeardAfterAPossessive:
    def test_an_unsure_word_after_min_that_sounds_like_son_is_the_son(self, tagger: Tagger) -> None:
        """ "Min sonk har börjat med heroin", "sonk" heard unsurely: after "min", a word that
        sounds like a person noun with one sound added is that person (here the client's
        son in an adult's case), so the heroin is not the client's."""
        heard = _heard(
            "Hur är det med familjen?",
            "Min sonk har börjat med heroin.",
            unsure={"sonk": 0.3},
        )
        assert "drug_problem" not in tagger.tag_segments(heard, "vuxen").factors()


class TestElidedSubject:
    def test_a_clause_without_a_subject_after_men_shares_the_one_before(
        self, tagger: Tagger
    ) -> None:
        """ "Min man jobbar natt, men dricker mycket" is the husband's drinking; "Jag jobbar
        natt, men dricker mycket" and "…, men nu dricker jag mycket" the client's."""
        assert "alcohol_problem" not in _found(
            tagger, "vuxen", "Hur är det hemma?", "Min man jobbar natt, men dricker mycket."
        )
        assert "alcohol_problem" in _found(
            tagger, "vuxen", "Hur är det hemma?", "Jag jobbar natt, men dricker mycket."
        )
        assert "alcohol_problem" in _found(
            tagger, "vuxen", "Hur är det?", "Min man jobbar natt, men nu dricker jag mycket."
        )

    def test_an_afterthought_with_med_shares_the_clause_before(self, tagger: Tagger) -> None:
        """ "Min dotter har också mått dåligt länge, med kokain och allt": the afterthought
        after the comma has no subject of its own, so the cocaine is the daughter's, not the
        client's; "Jag har mått dåligt länge, med kokain och allt" stays the client's."""
        assert "drug_problem" not in _found(
            tagger,
            "vuxen",
            "Har du någon familj?",
            "Min dotter har också mått dåligt länge, med kokain och allt.",
        )
        assert "drug_problem" in _found(
            tagger,
            "vuxen",
            "Hur har du haft det?",
            "Jag har mått dåligt länge, med kokain och allt.",
        )


class TestParentSpeaking:
    def test_a_parents_own_illness_is_not_also_the_childs(self, tagger: Tagger) -> None:
        """In a child's case "Jag är deprimerad sedan förlossningen" is read by the catalogue
        as the parent speaking (parental mental illness); the same words are not also the
        child's mental ill health, nor "Jag har cancer" the child's physical illness. The
        child's own "jag har panikattacker" stays the child's."""
        found = _found(
            tagger, "barn", "Hur mår du själv?", "Jag har haft en depression sedan förlossningen."
        )
        assert "parental_mental_illness" in found
        assert "youth_mental_ill_health" not in found
        found = _found(tagger, "barn", "Hur mår du själv?", "Jag har cancer och får cellgifter.")
        assert "physical_ill_health" not in found
        assert "youth_mental_ill_health" in _found(
            tagger, "barn", "Hur mår du?", "Jag har panikattacker flera gånger i veckan."
        )


class TestAFriendsFamily:
    def test_a_relative_after_the_friends_hennes_is_the_friends(self, tagger: Tagger) -> None:
        """In a child's case "din kompis Sara" names the friend, not the child; when "hon" is
        read as her, "Hennes pappa slår henne" is the friend's father hitting the friend: no
        maltreatment of the child. A parent's "Hennes pappa slår henne" about the child named
        before ("Lisa") stays maltreatment."""
        found = _found(
            tagger,
            "barn",
            "Du berättade om din kompis Sara förra gången. Hur mår hon nu?",
            "Hennes pappa slår henne, det vet alla i klassen.",
        )
        assert not found & {"child_maltreatment", "child_exposed_ipv"}
        assert "child_maltreatment" in _found(
            tagger, "barn", "Hur är det med Lisa hemma?", "Hennes pappa slår henne ibland."
        )


class TestAnAdultsOwnChildhood:
    """In an adult's case a parent who hit the client ("Min mamma slog mig") is the client's
    prior victimisation."""

    def test_a_parent_hitting_the_client_is_the_clients_victimisation(self, tagger: Tagger) -> None:
        """In an adult's case "Min mamma slog mig …" tells of the client hit: the parent is the
        doer, the client ("mig") the one harmed, so it is the client's prior victimisation, a
        time in childhood or not. A parent hitting someone else, or hurting themself, is not."""
        for said in (
            "Min mamma slog mig när jag gick i lågstadiet.",
            "Min styvfar slagit mig, det har han, många gånger.",
            "Min far slog mig med bältet.",
        ):
            assert "prior_victimisation" in _found(tagger, "vuxen", said), said
        for said in (
            "Min mamma slog min bror när han var liten.",
            "Min far slog sig illa när han föll från stegen.",
            "Min mamma hjälper mig med barnen.",
        ):
            assert "prior_victimisation" not in _found(tagger, "vuxen", said), said


class TestAnotherPersonsPeers:
    """A factor about the client's peers is not found in what is said of another person's
    peers."""

    def test_a_siblings_friends_are_not_the_childs_peers(self, tagger: Tagger) -> None:
        """A factor about the client's peers is not found in what is said of another
        person's: "han" read as the brother ("Han hänger med ett gäng som bränner bilar"),
        "Min syster blir retad av klasskamraterna". The child's own peers ("Gänget han hänger
        med bränner bilar" of the child, "Han blir retad …" of the child) stay found."""
        assert not {"deviant_peers"} & _found(
            tagger,
            "barn",
            "Hur går det för din storebror nu för tiden?",
            "Han hänger med ett gäng som bränner bilar på helgerna.",
        )
        assert not {"bullying_peer_rejection"} & _found(
            tagger, "barn", "Min syster blir retad av klasskamraterna varje rast."
        )
        assert "deviant_peers" in _found(
            tagger,
            "barn",
            "Hur är det på fritiden för dig?",
            "Jag hänger med ett gäng som bränner bilar på helgerna.",
        )
        assert "bullying_peer_rejection" in _found(
            tagger, "barn", "Han blir retad av klasskamraterna varje rast."
        )


class TestWhoAnAnswerNames:
    """Whether an answer to "Finns det någon …?" names someone is read by the one reading of
    who is who (`persons.resolution`, `reading.others`), not by a rule of the tagger's own."""

    def test_a_name_answering_a_question_for_someone_is_that_person(self, tagger: Tagger) -> None:
        """ "Finns det någon vuxen som hon litar på?" / "Nadira på fritids.": Nadira is the
        adult asked for, not the child, so the "hon" after her is Nadira: her childhood is not
        the child's prior victimisation. Without a name the "hon" is the child, as before."""
        asked = "Finns det någon vuxen som hon litar på?"
        assert "prior_victimisation" not in _found(
            tagger,
            "barn",
            asked,
            "Nadira på fritids. Hon har själv blivit misshandlad som liten.",
        )
        assert "prior_victimisation" in _found(
            tagger, "barn", asked, "Hon har själv blivit misshandlad som liten."
        )

    def test_yes_and_a_possessive_before_the_person(self, tagger: Tagger) -> None:
        """ "Ja, min kusin." names the cousin the client can talk to (the opening "ja" and
        the possessive are both passed over); "Nej, min kusin bor långt bort" names nobody."""
        asked = "Finns det någon du kan prata med?"
        assert "supportive_network" in _found(tagger, "vuxen", asked, "Ja, min kusin.")
        assert "supportive_network" not in _found(
            tagger, "vuxen", asked, "Nej, min kusin bor långt bort."
        )

    def test_a_word_that_may_be_a_misheard_no_names_nobody(self) -> None:
        """A capitalised non-word opening the answer is a name ("Fadumo."), unless it is one
        sound from a negation ("Intä." as the recogniser writes "Inte än"): nobody."""
        for answer, named in (("Fadumo.", True), ("Intä.", False), ("Aldri.", False)):
            text = f"Har du någon som stöttar dig när det är tungt?\n{answer}"
            sentences = split_sentences(text)
            others = other_references(text, sentences, "vuxen")
            assert (sentences[1].tokens[0].start in others) is named, answer


class TestAFriendsAndThePeersFamilies:
    """A relative owned by a friend or by the peers ("deras", "sin") is theirs, not the child's
    family."""

    def test_the_peers_deras_is_their_family(self, tagger: Tagger) -> None:
        """ "Hur är det med kompisarna i klassen?" / "… Deras mamma sitter i fängelse": "deras"
        stands for the peers just named, so the mother is theirs, not the child's parent; the
        children's "deras" ("Hur mår barnen?" / "Deras pappa sitter i fängelse") is the
        family's."""
        assert "parental_criminality" not in _found(
            tagger,
            "barn",
            "Hur är det med kompisarna i klassen?",
            "De är snälla mot honom. Deras mamma sitter i fängelse.",
        )
        assert "parental_criminality" in _found(
            tagger, "barn", "Hur mår barnen?", "Deras pappa sitter i fängelse."
        )

    def test_a_friends_own_sin_and_subject_are_the_friends(self, tagger: Tagger) -> None:
        """While "hon" stands for a friend ("din kompis Maja"), "Hon blir slagen av sin mamma"
        and "Hon bråkar jämt med sin styvpappa" are the friend's family, not the child's
        maltreatment or family conflict; said of the child ("Hur är det med Maja hemma?",
        Maja the child), they are."""
        for said, slug in (
            ("Hon blir slagen av sin mamma.", "child_maltreatment"),
            ("Hon bråkar jämt med sin styvpappa.", "family_conflict"),
        ):
            friend = _found(tagger, "barn", "Du pratade om din kompis Maja. Hur har hon det?", said)
            assert slug not in friend, said
            assert slug in _found(tagger, "barn", "Hur är det med Maja hemma?", said), said


class TestOneReadingOfTheClientsNames:
    """The client's names (`persons.client_names`) are read as the question-address reading
    reads who is called out to (`_called`) and whose genitive names a parent: one reading."""

    def test_a_name_read_apart_from_its_question(self, tagger: Tagger) -> None:
        """ "Linnea, hur mår du?", read as "Linnea" + "hur mår du?", calls out to the
        client: "Jag tycker att Linnea dricker alldeles för mycket." (the partner speaking)
        is the client's drinking. Before, Linnea was read as someone else."""
        found = _found(
            tagger,
            "vuxen",
            "Linnea, hur mår du?",
            "Det är okej.",
            "Och du Johan, hur ser du på det?",
            "Jag tycker att Linnea dricker alldeles för mycket.",
        )
        assert "alcohol_problem" in found

    def test_others_stay_others(self, tagger: Tagger) -> None:
        """Near: a name nobody called out to is another person ("Jag tycker att Johan
        dricker …", "Min bror Johan dricker …"); "Hej Linnea" calls out as before."""
        for said in (
            "Jag tycker att Johan dricker alldeles för mycket.",
            "Min bror Johan dricker alldeles för mycket.",
        ):
            found = _found(
                tagger, "vuxen", "Linnea, hur mår du?", "Det är okej.", "Hur är det hemma?", said
            )
            assert "alcohol_problem" not in found, said
        found = _found(
            tagger,
            "vuxen",
            "Hej Linnea, hur mår du?",
            "Det är okej.",
            "Hur är det hemma?",
            "Jag tycker att Linnea dricker alldeles för mycket.",
        )
        assert "alcohol_problem" in found

    def test_words_that_are_no_names(self) -> None:
        """A word before a comma that calls nobody ("Okej, …", "Nej, …") is no client's
        name; a name heard in lower case after "hej" is, and so are both forms of a name
        whose genitive names a parent ("Noahs styvpappa")."""
        for text, names in (
            ("Okej, hur mår du?", set()),
            ("Hej umar, hur mår du?", {"umar"}),
            ("Vi pratade med Noahs styvpappa. Hur är det med Noah?", {"noah", "noahs"}),
        ):
            assert set(client_names(text, split_sentences(text))) == names, text


class TestTheNamedChildTakesHanBack:
    """In a child's case the child's name opening a sentence (a name written as one inside a
    sentence elsewhere) takes "han"/"hon" back from another person named before: "Pappa
    dricker …" / "Noah går i fyran …" / "Han har en bra kompis …" is the child's friend.
    Not when that person was the one asked about, nor when the name is a friend's."""

    MET = "Vi träffas hemma hos familjen i dag och Noah är med en stund."

    def test_the_child_named_after_the_father(self, tagger: Tagger) -> None:
        """The father named in a statement, then the child by name: the next "Han" is the
        child, and his good friend is the child's positive peers."""
        found = _found(
            tagger,
            "barn",
            self.MET,
            "Mamma säger att pappa dricker mycket på helgerna.",
            "Noah går i fyran och trivs med sin fröken.",
            "Han har en bra kompis som han spelar fotboll med varje vecka.",
        )
        assert "positive_peers" in found
        assert "parental_substance_abuse" in found

    def test_the_father_asked_about_keeps_han(self, tagger: Tagger) -> None:
        """Near: "Hur är kontakten med pappan?" / "Noah är där varannan helg. Men han
        dricker.": the father was asked about, and "han" stays his."""
        found = _found(
            tagger,
            "barn",
            self.MET,
            "Hur är kontakten med pappan?",
            "Noah är där varannan helg. Men han dricker. Han blir full och aggressiv.",
        )
        assert "parental_substance_abuse" in found
        assert not {"early_substance_use", "alcohol_problem", "aggressive_behaviour"} & found

    def test_a_name_only_opening_sentences_stays_open(self, tagger: Tagger) -> None:
        """Near: a word never written as a name inside a sentence is not read as one at a
        sentence's start (the recogniser capitalises every first word): "han" stays open."""
        found = _found(
            tagger,
            "barn",
            "Mamma säger att pappa dricker mycket på helgerna.",
            "Noah går i fyran och trivs med sin fröken.",
            "Han har en bra kompis som han spelar fotboll med varje vecka.",
        )
        assert "positive_peers" not in found

    def test_a_friends_name_is_the_friends(self, tagger: Tagger) -> None:
        """Near: a name first read as a friend's ("din kompis Maja") opening a sentence is
        still the friend: "Maja är rolig. Hon blir slagen av sin mamma." is not the child's."""
        found = _found(
            tagger,
            "barn",
            "Du pratade om din kompis Maja. Hur har hon det?",
            "Maja är rolig. Hon blir slagen av sin mamma.",
        )
        assert not {"child_maltreatment", "prior_victimisation"} & found


class TestPronounAfterANamedSubject:
    def test_he_is_the_person_just_named(self, tagger: Tagger) -> None:
        """ "Hennes mamma drack förut, men hon är nykter sedan tre år": the "hon" after a
        clause whose subject is a person named of that gender is that person, so a factor
        about the client's own life is not the client's."""
        found = _found(
            tagger,
            "barn",
            "Hur är det med mamma?",
            "Hennes mamma drack mycket förut, men hon är nykter sedan tre år nu.",
        )
        assert "sobriety" not in found
        found = _found(
            tagger,
            "vuxen",
            "Hur är det med sonen?",
            "Min son dricker, och han har förlorat jobbet.",
        )
        assert "unemployment_income" not in found

    def test_the_client_stays(self, tagger: Tagger) -> None:
        """ "jag", another gender, or a "han" alone is the client as before."""
        found = _found(
            tagger, "vuxen", "Och alkoholen?", "Min bror dricker, men jag är nykter sedan tre år."
        )
        assert "sobriety" in found
        found = _found(tagger, "barn", "Hur mår han?", "Han är nykter sedan ett år nu.")
        assert "sobriety" in found


class TestTheClientSpokenOfByName:
    """The client spoken of in the third person (the caseworker's summary, a parent telling
    of the child by name) is the client: the client's name and a "han"/"hon" standing for
    it are subjects as "jag" is (`Resolution.selves`), not another person, even with a
    person word later in the sentence."""

    def test_an_adults_name_then_hon(self, tagger: Tagger) -> None:
        """ "Hej Sara. … Sara har flyttat till en egen lägenhet. … När hon var liten blev
        hon misshandlad av sin styvfar." is Sara's own past victimisation; before, "hon" in
        an adult's conversation was always someone else."""
        found = _found(
            tagger,
            "vuxen",
            "Hej Sara, välkommen.",
            "Tack.",
            "Jag försöker sammanfatta det du har sagt.",
            "Sara har flyttat till en egen lägenhet i Motala.",
            "När hon var liten blev hon misshandlad av sin styvfar.",
        )
        assert "prior_victimisation" in found

    def test_another_woman_named_since_keeps_hon_hers(self, tagger: Tagger) -> None:
        """Near: a woman named after the client's name ("hennes syster Lina") takes "hon"
        back: "Hon dricker varje dag" is the sister's, not Sara's."""
        found = _found(
            tagger,
            "vuxen",
            "Hej Sara, välkommen.",
            "Tack.",
            "Sara berättade om sin syster Lina igår.",
            "Hon dricker varje dag och är full på kvällarna.",
        )
        assert "alcohol_problem" not in found

    def test_a_childs_name_with_peers_later_in_the_sentence(self, tagger: Tagger) -> None:
        """ "Leo snodde en cykel med några killar och har snattat sedan han var åtta." is
        Leo's early norm-breaking: the child's name is the subject, "killar" only who he was
        with; before, the peers after "med" made it someone else's."""
        found = _found(
            tagger,
            "barn",
            "Hej Leo. Hur är det med Leos mamma?",
            "Hon jobbar mycket.",
            "Leo snodde en cykel med några killar och har snattat sedan han var åtta.",
        )
        assert "early_onset_normbreaking" in found

    def test_the_peers_as_subject_stay_theirs(self, tagger: Tagger) -> None:
        """Near: when the peers are the subject ("Några killar i klassen har snattat sedan de
        var åtta.") it is not the child's."""
        found = _found(
            tagger,
            "barn",
            "Hej Leo. Hur är det med Leos mamma?",
            "Hon jobbar mycket.",
            "Några killar i klassen har snattat sedan de var åtta.",
        )
        assert "early_onset_normbreaking" not in found

    def test_a_name_after_a_person_word_is_that_person(self, tagger: Tagger) -> None:
        """ "Du nämnde ditt barnbarn, Kevin?" names the grandchild, it does not call out to
        the client: "Han tar droger." is Kevin's, not the client's."""
        found = _found(
            tagger,
            "vuxen",
            "Hej Gun, hur mår du?",
            "Bra.",
            "Du nämnde ditt barnbarn, Kevin?",
            "Ja. Han tar droger och har lånat pengar av mig.",
        )
        assert "drug_problem" not in found

    def test_an_authority_is_no_person(self) -> None:
        """A capitalised authority in its definite form ("hos Kronofogden",
        "Försäkringskassan") is nobody "hon" could stand for; a name ("hos Kristian") is."""
        text = "Jag har skulder hos Kronofogden. Hon ringer varje dag."
        assert not any(
            text[i:].startswith("Hon") for i in other_references(text, split_sentences(text))
        )
        text = "Jag bor hos Kristian. Han dricker varje dag."
        assert any(
            text[i:].startswith("Han") for i in other_references(text, split_sentences(text))
        )


class TestANameKeepsItsRelation:
    """A name first named after a possessive and a person word ("min moster Agneta") is that
    person wherever it comes back: "Agneta hjälper mig med allt" is read as "moster hjälper
    mig …" for the factors about the client's people (network, family), as a "han"/"hon"
    standing for a person noun is (`Resolution.nouns`)."""

    def test_the_name_alone_later(self, tagger: Tagger) -> None:
        """ "Min moster Agneta följde med hit." … "Agneta ringer mig varje kväll och finns
        där." is the client's network; before, the name was no relative."""
        found = _found(
            tagger,
            "vuxen",
            "Min moster Agneta följde med hit idag.",
            "Hur har veckan varit?",
            "Lugn. Agneta ringer mig varje kväll och finns där.",
        )
        assert "supportive_network" in found

    def test_a_name_never_apposed_stays_a_name(self, tagger: Tagger) -> None:
        """Near: a name never named as a relative ("Agneta ringer mig varje kväll …") is
        nobody's relative; nothing of the network is read from it."""
        found = _found(
            tagger,
            "vuxen",
            "Jag kom hit själv idag.",
            "Hur har veckan varit?",
            "Lugn. Agneta ringer mig varje kväll och finns där.",
        )
        assert "supportive_network" not in found
