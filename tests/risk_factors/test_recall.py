"""Recall of stated factors in how people actually say them: cues written from the factor
definitions (paraphrases a caseworker hears), never the meetings' own sentences. Every
sentence here was written for this test; each positive one is missed by the catalogue
without the cue it names."""

from __future__ import annotations

from typing import Any

import pytest

from risk_factors.tagger import Tagger
from tests.risk_factors.support import factors_found

# (case type, what is said, the factor it states)
STATED = [
    # procriminal_attitudes: a theft made light of (nobody harmed, insured, they can afford it)
    (
        "barn",
        "Affärerna får ju ersättning från försäkringen, så det spelar ingen roll.",
        "procriminal_attitudes",
    ),
    (
        "barn",
        "Han säger att kedjan har råd, så det gör inget att man snor därifrån.",
        "procriminal_attitudes",
    ),
    (
        "barn",
        "Hon menar att det är ingen som förlorar något när man snattar i en stor butik.",
        "procriminal_attitudes",
    ),
    (
        "barn",
        "Han tycker att det är helt okej att ta från dem som har mycket.",
        "procriminal_attitudes",
    ),
    # school_failure
    ("barn", "Hon saknar betyg i engelska och matte.", "school_failure"),
    ("barn", "Han kommer inte in på gymnasiet med de betygen.", "school_failure"),
    # difficult_temperament
    ("barn", "Som liten gick han aldrig att trösta, hur vi än gjorde.", "difficult_temperament"),
    (
        "barn",
        "Hon får utbrott för minsta lilla sak, som att strumpan sitter fel.",
        "difficult_temperament",
    ),
    # self_esteem
    ("vuxen", "Jag tror att jag kan klara körkortet nu.", "self_esteem"),
    # bullying_peer_rejection
    ("barn", "Tjejerna i klassen låter henne inte vara med i matsalen.", "bullying_peer_rejection"),
    ("barn", "De andra kallar honom tjockis när lärarna inte hör.", "bullying_peer_rejection"),
    # parental_sensitivity
    ("barn", "Jag ser hur hon mår så fort hon kommer innanför dörren.", "parental_sensitivity"),
    # emotion_regulation
    (
        "barn",
        "När hon blir arg nu tar hon en paus i hallen innan hon pratar.",
        "emotion_regulation",
    ),
    (
        "vuxen",
        "Jag har lärt mig att andas och räkna när jag känner ilskan komma.",
        "emotion_regulation",
    ),
    # impulse_control
    ("barn", "Han har börjat tänka sig för innan han svarar på ett sms.", "impulse_control"),
    # school_success
    ("barn", "Det går jättebra i skolan för honom, särskilt i engelska.", "school_success"),
    # safe_neighbourhood
    ("vuxen", "Vi bor i ett tryggt radhusområde nära skogen.", "safe_neighbourhood"),
    ("barn", "Där vi bor kan barnen leka ute på gården hela kvällen.", "safe_neighbourhood"),
    # stable_economy
    ("vuxen", "Vi gör en budget varje månad och den håller.", "stable_economy"),
    ("vuxen", "Numera har jag full koll på ekonomin.", "stable_economy"),
    # positive_peers
    ("vuxen", "Jag umgås med schyssta kompisar från jobbet.", "positive_peers"),
    # positive_role_models
    ("barn", "Han vill bli som sin morbror, som är snickare.", "positive_role_models"),
    ("vuxen", "Min sponsor betyder mycket för mig.", "positive_role_models"),
    # ongoing_professional_support
    ("vuxen", "Jag går på AA-möten två gånger i veckan.", "ongoing_professional_support"),
    (
        "vuxen",
        "Jag träffar en sjukgymnast för knät varannan vecka.",
        "ongoing_professional_support",
    ),
    # physical_ill_health
    ("vuxen", "Jag har artros i båda höfterna.", "physical_ill_health"),
    # housing_instability
    ("vuxen", "Just nu bor jag på ett skyddat boende med barnen.", "housing_instability"),
    ("vuxen", "Vi har en hyresskuld på tre månader.", "housing_instability"),
    # motivation_for_change
    ("vuxen", "Jag vill gå en kurs i svenska och sedan söka jobb.", "motivation_for_change"),
    ("vuxen", "Jag vill aldrig hamna där igen.", "motivation_for_change"),
    # poor_supervision
    ("barn", "På helgerna vet jag inte vilka hon är med.", "poor_supervision"),
    # secure_attachment
    ("barn", "När han har ont kryper han upp i famnen på mig.", "secure_attachment"),
    # supportive_network
    ("vuxen", "Min väninna tittar till mig varje dag och handlar åt mig.", "supportive_network"),
    # social_isolation
    ("vuxen", "Jag sitter mest hemma framför datorn nuförtiden.", "social_isolation"),
    ("vuxen", "Jag har tappat kontakten med alla mina vänner.", "social_isolation"),
    # self_esteem, deviant_peers, unemployment_income, adult_mental_ill_health
    ("barn", "Hon säger att hon är nöjd med sig själv numera.", "self_esteem"),
    ("barn", "Han hänger med killar som är äldre och säljer hasch.", "deviant_peers"),
    ("vuxen", "Jag har aldrig haft något jobb i Sverige.", "unemployment_income"),
    ("vuxen", "På nätterna hör jag röster som säger åt mig saker.", "adult_mental_ill_health"),
    ("vuxen", "Sedan i somras sover jag dåligt nästan varje natt.", "adult_mental_ill_health"),
    # everyday wordings written for every factor before the cues were widened
    (
        "barn",
        "Redan i förskoleklass tog han saker från de andra barnen.",
        "early_onset_normbreaking",
    ),
    (
        "barn",
        "Hon var bara åtta när hon åkte fast för snatteri första gången.",
        "early_onset_normbreaking",
    ),
    ("barn", "Hon har jättesvårt att fokusera på läxorna.", "hyperactivity_impulsivity"),
    ("barn", "Han säger att det är lätta pengar att sälja gräs.", "procriminal_attitudes"),
    ("barn", "Vi hittade en påse med gräs i hennes jacka.", "early_substance_use"),
    ("barn", "Han blev rånad på väg hem från skolan i våras.", "prior_victimisation"),
    ("barn", "Han blir arg för ingenting och det svänger hela tiden.", "difficult_temperament"),
    ("vuxen", "Jag är stolt över det jag har klarat av.", "self_esteem"),
    (
        "barn",
        "När han blir ledsen går han och kramar sin nalle och sedan är det bra.",
        "emotion_regulation",
    ),
    ("barn", "Han är ute till sent på natten utan att vi vet var.", "poor_supervision"),
    ("vuxen", "Min bror kontrollerar vem jag träffar för familjens rykte.", "honour_oppression"),
    ("barn", "Vi har en väldigt nära relation, jag och min dotter.", "parental_support"),
    ("barn", "Jag vet direkt när något är fel med henne.", "parental_sensitivity"),
    ("barn", "Ingen vill sitta bredvid honom i matsalen.", "bullying_peer_rejection"),
    ("barn", "Hon har en trygg kompisgrupp i klassen.", "positive_peers"),
    ("barn", "Hon känner sig inte som en del av klassen.", "weak_school_bonding"),
    ("vuxen", "Det är lugnt där jag bor och grannarna är trevliga.", "safe_neighbourhood"),
    ("vuxen", "Jag flyttade från min man förra veckan.", "recent_separation"),
    # a second set of everyday wordings, some as a question and its answer (" / ")
    (
        "barn",
        "Hur ofta är han i skolan? / Kanske två dagar i veckan, resten stannar han hemma.",
        "truancy",
    ),
    (
        "barn",
        "Han säger att han inte ser någon poäng med att gå till skolan.",
        "weak_school_bonding",
    ),
    ("barn", "Hon är en av de bästa i klassen på matte.", "school_success"),
    (
        "barn",
        "Vi har koll på vilka kompisar han har och pratar med deras föräldrar.",
        "parental_monitoring",
    ),
    ("barn", "Hon måste höra av sig om hon ska vara hos någon.", "parental_monitoring"),
    (
        "barn",
        "Ibland får han stryk och ibland får han göra vad som helst.",
        "harsh_inconsistent_parenting",
    ),
    (
        "barn",
        "Jag tar hans telefon i en vecka så fort han gör fel.",
        "harsh_inconsistent_parenting",
    ),
    ("barn", "Hon går till skolan i för tunna kläder mitt i vintern.", "neglect"),
    ("barn", "Han har börjat hänga med några som har åkt fast för rån.", "deviant_peers"),
    (
        "barn",
        "Han vill alltid göra rätt och säger ifrån när någon blir illa behandlad.",
        "prosocial_values",
    ),
    ("barn", "Jag hjälper henne med läxorna varje kväll och vi pratar mycket.", "parental_support"),
    ("vuxen", "Han sa att han skulle skjuta mig om jag gick.", "threats_weapons"),
    # a third set, more of them an adult's own words
    ("vuxen", "Jag börjar dricka redan på förmiddagen.", "alcohol_problem"),
    ("vuxen", "Det är ett år sedan jag tog något.", "sobriety"),
    ("vuxen", "Jag bor i bilen sedan i somras.", "housing_instability"),
    ("vuxen", "Vi äger vårt hus.", "stable_housing"),
    ("vuxen", "Jag får panik när jag ska gå ut.", "adult_mental_ill_health"),
    ("vuxen", "Jag och min mamma pratar inte med varandra längre.", "family_conflict"),
    ("vuxen", "Jag blev mobbad hela högstadiet.", "prior_victimisation"),
    ("barn", "Barnen hörde när han skrek att han skulle döda mig.", "child_exposed_ipv"),
    ("barn", "Han har inte fått äta på hela helgen.", "neglect"),
    ("barn", "Jag har nog varit för hård mot honom.", "harsh_inconsistent_parenting"),
    (
        "barn",
        "Några i klassen har skrivit elaka saker om henne på Snapchat.",
        "bullying_peer_rejection",
    ),
    ("barn", "Hon tycker att skolan är värdelös.", "weak_school_bonding"),
    ("barn", "Hon är snäll och hjälper till hemma.", "prosocial_values"),
    ("barn", "Han har alltid haft ett väldigt humör.", "difficult_temperament"),
    # a parent who hit the adult client; nobody at all here
    ("vuxen", "Farsan slog både mig och mina syskon.", "prior_victimisation"),
    ("vuxen", "Hon har ingen här, hela familjen bor kvar i Syrien.", "social_isolation"),
    # a fourth set: answers to the caseworker's usual questions
    (
        "vuxen",
        "Hur går det ihop ekonomiskt? / Det gör det inte, vi ligger back varje månad.",
        "economic_hardship",
    ),
    ("vuxen", "Hur är hälsan? / Jag har dåliga knän och kan knappt gå.", "physical_ill_health"),
    ("vuxen", "Var bor du? / Lite här och där, hos olika bekanta.", "housing_instability"),
    ("vuxen", "Han har blivit mer och mer våldsam.", "escalating_ipv"),
    ("vuxen", "Min familj skulle aldrig acceptera att jag skiljer mig.", "honour_oppression"),
    ("barn", "Hur går det i skolan? / Inte bra, han har svårt med allt.", "school_failure"),
    ("barn", "Hur är närvaron? / Dålig, hon är borta mer än hon är där.", "truancy"),
    (
        "barn",
        "Hur är relationen mellan er? / Vi står varandra nära och pratar om allt.",
        "parental_support",
    ),
    # a fifth set: protective factors and the thinner ones
    ("barn", "Han är klipsk och löser uppgifter snabbt.", "good_cognitive_social_skills"),
    ("barn", "Hon är mån om att alla ska ha det bra.", "prosocial_values"),
    ("barn", "Hans fotbollstränare betyder jättemycket för honom.", "positive_role_models"),
    ("vuxen", "Jag har ingen egen ekonomi och kan inte språket.", "victim_vulnerability"),
    ("vuxen", "Vi har pengar över varje månad.", "stable_economy"),
    ("barn", "Jag följer med på alla hans matcher.", "parental_support"),
    ("barn", "Hon blir lugn så fort jag tar upp henne.", "secure_attachment"),
    ("vuxen", "Jag vill ha en ändring i mitt liv.", "motivation_for_change"),
    # a sixth set: a child's risks in a parent's or a teenager's words
    ("barn", "Han har skallat en kille på rasten.", "aggressive_behaviour"),
    ("barn", "Hon har tappat i vikt och äter nästan ingenting.", "youth_mental_ill_health"),
    ("barn", "Han ligger mest i sängen och vill inte prata med någon.", "youth_mental_ill_health"),
    ("barn", "Han har inte satt sin fot i skolan sedan jullovet.", "truancy"),
    ("barn", "Han säger att lärarna är idioter och att skolan suger.", "weak_school_bonding"),
    ("barn", "Det finns knarklangare utanför porten.", "deprived_neighbourhood"),
    ("barn", "Pappa säger att han är värdelös och borde aldrig ha fötts.", "child_maltreatment"),
    ("barn", "Pappa spelar bort alla pengar på nätet.", "parental_substance_abuse"),
    ("barn", "Hans storebror och pappa slåss ofta.", "family_conflict"),
    ("barn", "Han får smisk om han svarar emot.", "harsh_inconsistent_parenting"),
    # a seventh set: an adult's own words about drink, the law, money and housing
    ("vuxen", "Jag kan inte gå en dag utan att dricka.", "alcohol_problem"),
    ("vuxen", "Jag blir full nästan varje helg och minns inte vad som hänt.", "alcohol_problem"),
    ("vuxen", "Jag har hållit mig borta från spriten sedan i våras.", "sobriety"),
    ("vuxen", "Jag har ett pågående ärende hos åklagaren.", "legal_problems"),
    ("vuxen", "Jag har levt på min sambos lön sedan jag blev sjukskriven.", "unemployment_income"),
    ("vuxen", "Jag har inte betalat hyran på två månader.", "economic_hardship"),
    ("vuxen", "Jag hyr en lägenhet i första hand sedan åtta år.", "stable_housing"),
    # an eighth set
    ("barn", "Hon får ofta gå till skolan utan att ha ätit.", "neglect"),
    ("barn", "Lägenheten är full av sopor och det luktar.", "neglect"),
    ("barn", "Mamma har ätstörningar och mår väldigt dåligt.", "parental_mental_illness"),
    ("barn", "Hon har misshandlat en annan tjej.", "aggressive_behaviour"),
    ("vuxen", "Han har ett hagelgevär hemma.", "threats_weapons"),
    ("vuxen", "Jag har inte rört alkohol sedan jag blev gravid.", "sobriety"),
    # a ninth set (session 5), from the definitions of the factors held-out 5 missed
    ("barn", "Han har missat halva terminen.", "truancy"),
    ("barn", "Hon har varit borta halva tiden sedan jul.", "truancy"),
    ("barn", "Han har missat nästan hela höstterminen.", "truancy"),
    ("barn", "Några tjejer lägger ut saker om henne på Snapchat.", "bullying_peer_rejection"),
    ("barn", "Killarna i klassen skriver saker om honom i chatten.", "bullying_peer_rejection"),
    ("barn", "Ingen låter henne sitta med på lunchen.", "bullying_peer_rejection"),
    ("barn", "De låter honom inte sitta med vid bordet i matsalen.", "bullying_peer_rejection"),
    ("barn", "Hon rider på lördagarna.", "structured_leisure"),
    ("barn", "Han dansar varje söndag.", "structured_leisure"),
    ("barn", "Hon är i stallet varje helg och sköter hästarna.", "structured_leisure"),
    ("barn", "Jag ser det på honom direkt när något har hänt.", "parental_sensitivity"),
    (
        "barn",
        "När hon är ledsen sätter jag mig bredvid henne och vi pratar.",
        "parental_sensitivity",
    ),
    ("barn", "Han säger att hasch borde vara lagligt.", "procriminal_attitudes"),
    ("barn", "Hon tycker att det borde vara tillåtet att röka på.", "procriminal_attitudes"),
    ("barn", "Han säger alltid att man ska hjälpa varandra.", "prosocial_values"),
    (
        "barn",
        "Hon har några tjejer från kören som hon umgås med, de är jättesnälla.",
        "positive_peers",
    ),
    ("vuxen", "Sköterskan från hemsjukvården tittar in varje dag.", "ongoing_professional_support"),
    ("vuxen", "Läkaren kommer hem till oss varannan vecka.", "ongoing_professional_support"),
    ("vuxen", "Det vore bättre om jag inte fanns.", "self_harm_suicidality"),
    ("vuxen", "Ibland tänker jag att det vore skönt om jag bara dog.", "self_harm_suicidality"),
    ("vuxen", "Jag har inget att leva för längre.", "self_harm_suicidality"),
    ("vuxen", "Jag behöver henne för att komma till affären.", "victim_vulnerability"),
    ("vuxen", "Jag kan inte ta mig därifrån själv.", "victim_vulnerability"),
    ("vuxen", "Jag har inte träffat någon på flera månader.", "social_isolation"),
    # a nurse named by a compound ("diabetessköterska", "MS-sköterskan") is read exactly, not
    # as a word heard alike, so an illness said in the meeting does not outweigh it
    (
        "vuxen",
        "Jag träffar en diabetessköterska två gånger om året. / Jag har diabetes och ont i knäna.",
        "ongoing_professional_support",
    ),
    (
        "vuxen",
        "Jag har en astmasköterska som jag ringer. / Jag har astma.",
        "ongoing_professional_support",
    ),
    ("vuxen", "Han har inte pratat med familjen på länge.", "social_isolation"),
    # a tenth set (session 6), from the definitions of the factors held-out 6 missed
    (
        "barn",
        "Fröken säger att han är duktig på att leka med de andra barnen.",
        "good_cognitive_social_skills",
    ),
    ("barn", "Hon är bra på att reda ut bråk mellan kompisarna.", "good_cognitive_social_skills"),
    (
        "barn",
        "Läraren tycker att han är väldigt mogen för sin ålder.",
        "good_cognitive_social_skills",
    ),
    ("vuxen", "Vi har inte kunnat betala elräkningen på två månader.", "economic_hardship"),
    ("barn", "Mamma har inte klarat att betala telefonräkningarna i höst.", "economic_hardship"),
    ("barn", "Hennes pappa säger att hon skämmer ut hela familjen.", "honour_oppression"),
    ("barn", "Farbror sa att jag måste gifta mig efter sommaren.", "honour_oppression"),
    ("barn", "Min bror tar min mobil och läser allt jag skriver.", "honour_oppression"),
    ("barn", "Det finns planer på giftermål i släkten.", "honour_oppression"),
    (
        "barn",
        "Hon har bott hos sin moster i två år och det är hennes hem nu.",
        "stable_housing",
    ),
    ("vuxen", "Vi har ett tryggt boende nu i Växjö.", "stable_housing"),
    ("vuxen", "Exet skickade ett sms om att han vet var jag bor nu.", "threats_weapons"),
    ("vuxen", "Han sa att jag ska få ångra det här.", "threats_weapons"),
    ("vuxen", "Det säljs droger på gården varje kväll.", "deprived_neighbourhood"),
    ("vuxen", "Det säljs hasch öppet vid porten.", "deprived_neighbourhood"),
    ("vuxen", "Jag vill verkligen dra ner på spelandet.", "motivation_for_change"),
    ("vuxen", "Jag vill försöka dricka mindre på helgerna.", "motivation_for_change"),
    ("vuxen", "Jag har samtal på kvinnojouren varannan vecka.", "ongoing_professional_support"),
    ("vuxen", "Jag får stöd från brottsofferjouren.", "ongoing_professional_support"),
]

# Everyday talk near the new cues' words that states none of those factors.
NOT_STATED = [
    ("vuxen", "Vi har en försäkring på bilen.", "procriminal_attitudes"),
    ("barn", "Hon blir lite arg ibland när hon är trött.", "difficult_temperament"),
    ("barn", "Han skriker och straffar henne för minsta lilla sak.", "difficult_temperament"),
    ("barn", "Han har lärt sig simma i sommar.", "emotion_regulation"),
    ("barn", "Vi kallar honom Totte hemma.", "bullying_peer_rejection"),
    ("vuxen", "Jag jobbar som sjuksköterska på ett sjukhus.", "ongoing_professional_support"),
    ("vuxen", "Jag har pratat med dem om det.", "physical_ill_health"),
    ("vuxen", "Hon har bästa kompis i klassen.", "school_success"),
    ("vuxen", "Vi kan prata om skyddat boende om det behövs.", "housing_instability"),
    ("vuxen", "Jag har brutit med dem jag tog droger med.", "social_isolation"),
    ("vuxen", "Vi har aldrig kunnat spara pengar.", "stable_economy"),
    ("vuxen", "Barnen sover dåligt sedan flytten.", "adult_mental_ill_health"),
    ("barn", "Hennes äldre syster säljer kläder på nätet.", "deviant_peers"),
    ("vuxen", "Jag har inte missat en enda dag på jobbet.", "unemployment_income"),
    ("vuxen", "Jag flyttade från Göteborg förra veckan.", "recent_separation"),
    ("barn", "Han blev inte rånad, de tog bara hans mössa på skoj.", "prior_victimisation"),
    ("barn", "Tränaren har en nära relation med honom.", "parental_support"),
    ("barn", "Det är inte lugnt där vi bor, det är stökigt på kvällarna.", "safe_neighbourhood"),
    ("barn", "Han hittade sina vantar i jackan.", "early_substance_use"),
    ("barn", "Mormor hjälper honom med läxorna.", "parental_support"),
    (
        "barn",
        "Vi har koll på vilka kompisar han har och pratar med deras föräldrar.",
        "positive_peers",
    ),
    ("barn", "Han umgås med sin pappa som säljer knark.", "deviant_peers"),
    (
        "barn",
        "Ibland är han glad och ibland ledsen, då får han göra vad han vill.",
        "harsh_inconsistent_parenting",
    ),
    ("vuxen", "Jag dricker kaffe på morgonen innan jobbet.", "alcohol_problem"),
    ("vuxen", "Min ex äger huset.", "stable_housing"),
    ("barn", "Han har ett jämnt humör.", "difficult_temperament"),
    ("barn", "Hon skriver elaka saker om andra.", "bullying_peer_rejection"),
    ("vuxen", "Jag har ingen bil här.", "social_isolation"),
    ("vuxen", "Min styvfar slog mig när jag var liten.", "escalating_ipv"),
    ("barn", "Han har ont lite här och där.", "housing_instability"),
    ("barn", "Det går inte bra för laget i skolan.", "school_failure"),
    ("vuxen", "Han vill göra om sitt körkortsprov.", "motivation_for_change"),
    ("vuxen", "Vi har inga pengar över i slutet av månaden.", "stable_economy"),
    ("barn", "Lillebror och pappa brottas på skoj.", "parental_criminality"),
    ("barn", "Hon sa att hon var värdelös på matte, mamma.", "child_maltreatment"),
    ("barn", "Han skall gå på rasten.", "aggressive_behaviour"),
    ("barn", "Hon har gått ner i vikt sedan hon var magsjuk.", "youth_mental_ill_health"),
    ("vuxen", "Han blir full varje helg.", "alcohol_problem"),
    ("vuxen", "Vi har en vårdnadstvist och åklagaren är inte inblandad.", "legal_problems"),
    ("vuxen", "Jag söker en lägenhet i första hand.", "stable_housing"),
    ("vuxen", "Vi betalar hyran i första hand.", "stable_housing"),
    ("barn", "Pappa har varit borta halva terminen på jobbresor.", "truancy"),
    ("barn", "Hon har inte missat en dag den här terminen.", "truancy"),
    ("barn", "Han missade bussen i början av terminen.", "truancy"),
    ("barn", "Hon skriver saker om hästar på nätet.", "bullying_peer_rejection"),
    ("barn", "Mamma låter honom inte sitta med mobilen vid maten.", "bullying_peer_rejection"),
    ("barn", "Pappa spelar på travet varje lördag.", "structured_leisure"),
    ("barn", "Hon slutade rida förra året, nu sitter hon hemma på helgerna.", "structured_leisure"),
    ("barn", "Hon åker till mormor varje söndag.", "structured_leisure"),
    ("barn", "Jag ser det på henne, hon har blåmärken på armarna.", "parental_sensitivity"),
    ("barn", "Pappa tycker att det borde vara lagligt.", "procriminal_attitudes"),
    ("barn", "De hjälper inte varandra hemma.", "prosocial_values"),
    ("barn", "Killarna från laget är inte snälla mot honom.", "positive_peers"),
    ("barn", "Han hänger med några från klassen som röker och snattar.", "positive_peers"),
    (
        "vuxen",
        "Jag jobbar som sjuksköterska och går hem till patienter varje dag.",
        "ongoing_professional_support",
    ),
    ("vuxen", "Det vore bättre om jag fick ett jobb.", "self_harm_suicidality"),
    ("vuxen", "Om han slutar dricka vore det bättre.", "self_harm_suicidality"),
    ("vuxen", "Jag behöver honom för att betala hälften av hyran.", "victim_vulnerability"),
    ("vuxen", "Jag har inte träffat honom på länge.", "social_isolation"),
    ("vuxen", "Hon jobbar som undersköterska på ett äldreboende.", "ongoing_professional_support"),
    ("vuxen", "Nej, jag har ingen skuld.", "social_isolation"),
    ("barn", "Hon har svårt att leka med andra barn.", "good_cognitive_social_skills"),
    ("barn", "Han är inte så mogen för sin ålder.", "good_cognitive_social_skills"),
    ("vuxen", "Vi har alltid kunnat betala räkningarna.", "economic_hardship"),
    ("barn", "Han skämmer ut sig på fotbollen.", "honour_oppression"),
    (
        "barn",
        "Hon säger att hon ska gifta sig när hon vill, med vem hon vill.",
        "honour_oppression",
    ),
    ("barn", "Min bror lånar min telefon ibland.", "honour_oppression"),
    ("vuxen", "Det är inte mitt hem, bara ett tillfälligt ställe.", "stable_housing"),
    ("vuxen", "Min mamma vet var jag bor och hälsar på ibland.", "threats_weapons"),
    ("vuxen", "Han säljer kläder på torget.", "deprived_neighbourhood"),
    (
        "vuxen",
        "Hon ringde kvinnojouren en gång men fick inget svar.",
        "ongoing_professional_support",
    ),
    ("vuxen", "Jag vill inte dricka mindre, jag dricker inte mycket.", "motivation_for_change"),
]


class TestStatedAsPeopleSayIt:
    @pytest.mark.parametrize(("case_type", "text", "factor"), STATED)
    def test_paraphrase_is_found(
        self, tagger: Tagger, case_type: str, text: str, factor: str
    ) -> None:
        """A factor said in everyday words (not the catalogue's own) is found."""
        found = factors_found(tagger, case_type, *text.split(" / "))
        assert factor in found, found

    @pytest.mark.parametrize(("case_type", "text", "factor"), NOT_STATED)
    def test_near_words_are_not_the_factor(
        self, tagger: Tagger, case_type: str, text: str, factor: str
    ) -> None:
        """Everyday talk with the new cues' words but not their meaning gives no finding."""
        assert factor not in factors_found(tagger, case_type, text)


class TestWhoItIs:
    """ "Finns det någon …?" asks who, not whether: an answer that names someone says yes,
    and what the question says of that someone is the answer's topic."""

    def test_a_named_person_answers_a_question_for_someone(self, tagger: Tagger) -> None:
        """A relative named as the one to talk to is the client's network; a friend named as
        the one trusted is a good friend; a leader named as the one listened to is a role
        model."""
        cases = [
            (
                "vuxen",
                "Har du någon som du kan prata med?",
                "Min moster i Gävle.",
                "supportive_network",
            ),
            ("barn", "Finns det någon du kan lita på?", "Min bästis Sam.", "positive_peers"),
            (
                "barn",
                "Finns det någon vuxen som hon lyssnar på?",
                "Tränaren i basketlaget.",
                "positive_role_models",
            ),
        ]
        for case_type, question, answer, factor in cases:
            assert factor in factors_found(tagger, case_type, question, answer), answer

    def test_nobody_named_is_no_finding(self, tagger: Tagger) -> None:
        """ "Ingen", "Inte direkt" and "Nej" name nobody, and an answer that only goes on
        with something else is not read with the question."""
        for answer in ("Ingen egentligen.", "Inte direkt.", "Nej, inte här.", "Det vet jag inte."):
            assert "supportive_network" not in factors_found(
                tagger, "vuxen", "Har du någon som du kan prata med?", answer
            ), answer


class TestCatalogueFile:
    def test_no_cue_field_is_written_twice(self) -> None:
        """A field written twice in one cue ("window: 6" under "window: 8") silently keeps
        the last: the packaged catalogue has none, so what an admin reads is what is used."""
        import yaml

        from risk_factors.catalogue import default_catalogue_path

        twice: list[tuple[int, str]] = []

        class _Loader(yaml.SafeLoader):
            pass

        def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Any:
            keys = [loader.construct_object(k) for k, _v in node.value]
            twice.extend((node.start_mark.line + 1, k) for k in set(keys) if keys.count(k) > 1)
            return loader.construct_mapping(node)

        _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
        yaml.load(default_catalogue_path().read_text(encoding="utf-8"), Loader=_Loader)
        assert twice == []


class TestCueWordsInflect:
    """A plain cue word matches the heard word when both have the same lemma and stem; a cue
    word whose lemma is another word's (the lemmatizer reads "vuxen" as a form of "växa",
    "råna" as "rå") is written so that its own forms match and nothing else does. Found by
    reading each cue word's forms in the Hunspell dictionary."""

    def test_an_adult_is_not_growing(self, tagger: Tagger) -> None:
        """ "Han växer" is no adult hitting him; "En vuxen har slagit honom" still is."""
        assert "child_maltreatment" not in factors_found(
            tagger, "barn", "Han växer snabbt och slår alla rekord i simning."
        )
        assert "child_maltreatment" in factors_found(tagger, "barn", "En vuxen har slagit honom.")

    @pytest.mark.parametrize(
        ("case_type", "said", "slug"),
        [
            ("vuxen", "Det är jobbigt hemma.", "employment_education"),
            ("vuxen", "Det har varit jobbigt på sistone.", "employment_education"),
            ("vuxen", "Det är jobbiga tider nu.", "employment_education"),
            ("barn", "Han har en vänlig lärare.", "positive_peers"),
            ("barn", "Han har en bråkig kompis.", "aggressive_behaviour"),
        ],
    )
    def test_a_word_derived_from_a_cue_word_is_another_word(
        self, tagger: Tagger, case_type: str, said: str, slug: str
    ) -> None:
        """An adjective derived from a cue word ("jobbig" of "jobba", "vänlig" of "vän",
        "bråkig" of "bråka") shares its Snowball stem but is another word: no finding."""
        assert slug not in factors_found(tagger, case_type, said)

    @pytest.mark.parametrize(
        ("case_type", "said", "slug"),
        [
            ("vuxen", "Jag jobbar heltid.", "employment_education"),
            ("vuxen", "Hon jobbade natt.", "employment_education"),
            ("vuxen", "Jag har jobbat där i tre år.", "employment_education"),
            ("vuxen", "Pengarna från jobbet räcker till hyran.", "employment_education"),
            ("barn", "Han har många vänner.", "positive_peers"),
            ("barn", "Han bråkar med kompisar på rasten.", "aggressive_behaviour"),
            ("barn", "Han är lättretlig.", "difficult_temperament"),
        ],
    )
    def test_the_cue_words_own_forms_still_match(
        self, tagger: Tagger, case_type: str, said: str, slug: str
    ) -> None:
        """The cue word's own inflections (and a cue word that is itself derived, "lättretlig")
        still match."""
        assert slug in factors_found(tagger, case_type, said)

    def test_every_form_of_a_robbery_verb(self, tagger: Tagger) -> None:
        """ "rånar" is a form of the cue word "råna", whose lemma reads as "rå"."""
        assert "procriminal_attitudes" in factors_found(
            tagger, "barn", "Hon tycker att det är okej att de rånar folk."
        )


class TestWhereAndWhen:
    def test_where_question_lends_its_topic(self, tagger: Tagger) -> None:
        """ "Var sover du?" asks where: the answer "Här och där, hos bekanta." is about where
        the client sleeps."""
        assert "housing_instability" in factors_found(
            tagger, "vuxen", "Var sover du?", "Här och där, hos bekanta."
        )

    def test_past_of_vara_still_asks_yes_or_no(self, tagger: Tagger) -> None:
        """ "Var du hemma?" is the past of "vara" before its subject: no open question, so a
        bare "Ja." to it is no statement about where anyone sleeps."""
        assert "housing_instability" not in factors_found(
            tagger, "vuxen", "Var du hemma när det hände?", "Ja, jag bor där."
        )


class TestHurtingOneself:
    def test_slaa_sig_is_no_violence(self, tagger: Tagger) -> None:
        """ "slå sig" is to hurt oneself or to sit down ("slog sig ner"): no adult hitting a
        child and no child seeing violence; "Pappa slog honom" still is."""
        for text in (
            "Han springer alltid till mamma när han har slagit sig.",
            "Pappa slog sig ner i soffan.",
            "Mamma slår sig alltid i dörrkarmen.",
        ):
            found = factors_found(tagger, "barn", text)
            assert not found & {"child_maltreatment", "child_exposed_ipv"}, text
        assert "child_maltreatment" in factors_found(
            tagger, "barn", "Pappa slog honom med ett bälte."
        )


class TestCopingIsNoSchoolFailure:
    def test_klarar_inte_needs_school_as_its_object(self, tagger: Tagger) -> None:
        """ "klarar inte" / "inte klarat" is school failure only with school, subjects, grades
        or tasks as its object: not coping with going in, sleeping alone or the breaks is not."""
        for text in (
            "Han klarar inte att gå in i klassrummet.",
            "Hon klarar inte att sova ensam.",
            "Han har inte klarat att vara med på rasterna.",
        ):
            assert "school_failure" not in factors_found(tagger, "barn", text), text
        for text in (
            "Han har inte klarat matten i år.",
            "Hon klarar inte av skolarbetet längre.",
            "Han klarar inte att göra läxorna.",
        ):
            assert "school_failure" in factors_found(tagger, "barn", text), text


class TestTheChildrensGrandparent:
    """In a child's case the speaker's own parent in words about the speaker's children is the
    children's grandparent, not the child's parent."""

    def test_a_parents_own_parent_is_the_network(self, tagger: Tagger) -> None:
        """In a child's case, a speaker's own parent ("min mamma", "mina föräldrar") in words
        about the speaker's children is the children's grandparent: a network outside the
        home, not parental support, and not a parent's problem."""
        for said in (
            ("Min pappa hämtar barnen från förskolan på tisdagar.",),
            ("Mina föräldrar tar barnen varannan helg så att jag får vila.",),
            ("Min mamma hjälper mig med barnen när jag jobbar.",),
            ("Finns det någon som kan avlasta er?", "Ja, min pappa passar barnen ibland."),
        ):
            found = factors_found(tagger, "barn", *said)
            assert "supportive_network" in found and "parental_support" not in found, said
        found = factors_found(tagger, "barn", "Min mamma dricker, så hon får inte passa barnen.")
        assert "parental_substance_abuse" not in found

    def test_the_childs_own_parent_is_still_the_parent(self, tagger: Tagger) -> None:
        """Without the speaker's children named, "min mamma" is the child's parent, and a
        parent who hits the children is maltreatment whoever's parent it is."""
        found = factors_found(tagger, "barn", "Min mamma hjälper mig alltid med läxorna.")
        assert "parental_support" in found and "supportive_network" not in found
        found = factors_found(tagger, "barn", "Mamma hämtar barnen på förskolan varje dag.")
        assert "supportive_network" not in found
        found = factors_found(tagger, "barn", "Min pappa slog barnen när de var hos honom.")
        assert "child_maltreatment" in found
        found = factors_found(tagger, "barn", "Min mamma dricker varje dag och är ofta full.")
        assert "parental_substance_abuse" in found


class TestTheChildrenByOneTable:
    """Which words are the speaker's children comes from one table of child words
    (`context.CHILD_WORDS`): several named together ("sönerna", "döttrarna") are the
    speaker's children as "barnen" is."""

    def test_the_sons_and_the_daughters(self, tagger: Tagger) -> None:
        """ "Min mamma är ett stort stöd för sönerna." is the children's grandmother, as
        with "barnen": no parental support."""
        for text in (
            "Min mamma är ett stort stöd för sönerna.",
            "Min mamma är ett stort stöd för döttrarna.",
        ):
            assert "parental_support" not in factors_found(tagger, "barn", text), text

    def test_the_childs_own_mother_is_still_support(self, tagger: Tagger) -> None:
        """Near: "Min mamma är ett stort stöd för mig." is the child's parent."""
        found = factors_found(tagger, "barn", "Min mamma är ett stort stöd för mig.")
        assert "parental_support" in found


class TestFightingIsNotBeingHit:
    def test_fighting_is_no_bullying_nor_maltreatment(self, tagger: Tagger) -> None:
        """ "slåss" (to fight) shares its normal form with "slagits" (been hit, or fought):
        a child who fights at break or children who fight each other are aggressive, not
        bullied nor maltreated."""
        for text in (
            "Han slåss ibland på rasten när han blir arg.",
            "Hon har slagits med några i klassen två gånger i höstas.",
            "Barnen slåss om datorn varje kväll.",
        ):
            found = factors_found(tagger, "barn", text)
            assert not found & {"bullying_peer_rejection", "child_maltreatment"}, (text, found)

    def test_being_hit_is_found(self, tagger: Tagger) -> None:
        """Being hit by other children, or the children hit at home, stays found."""
        found = factors_found(tagger, "barn", "Han blev slagen av några på rasten.")
        assert "bullying_peer_rejection" in found
        found = factors_found(tagger, "barn", "Barnen har blivit slagna av hans pappa.")
        assert "child_maltreatment" in found


class TestTheLenderIsNotInHardship:
    def test_lent_to_someone_else(self, tagger: Tagger) -> None:
        """Someone who borrows money from the client ("Min son lånar pengar av mig") is the
        borrower's hardship, not the client's."""
        for text in (
            "Min son har lånat pengar av mig flera gånger i år.",
            "Dottern lånar pengar från oss nästan varje månad.",
        ):
            assert "economic_hardship" not in factors_found(tagger, "vuxen", text), text

    def test_the_client_borrows(self, tagger: Tagger) -> None:
        """The client who borrows is still found ("Jag lånade pengar av min bror")."""
        for text in ("Jag lånade pengar av min bror till hyran.", "Vi har fått låna av mamma."):
            assert "economic_hardship" in factors_found(tagger, "vuxen", text), text


# Words alike a cue word, or another person's doing: no finding of the factor.
LOOKALIKES = [
    # "första" has the normal form "en": "en gång" was "första gången"
    ("barn", "Vi såg polisen en gång när vi var ute och gick.", "early_onset_normbreaking"),
    # "skärp" (a belt) shares its normal form with "skärpt" (sharp)
    ("barn", "Han har ett skärp med ett stort spänne.", "good_cognitive_social_skills"),
    # "skjuta" (shoot someone, a gun) shares its normal form with "skjuts" (shootings)
    ("vuxen", "Han lärde sig skjuta i armén.", "deprived_neighbourhood"),
    # a way of speaking, not a value
    ("barn", "Ärligt talat, han ljuger ibland.", "prosocial_values"),
    # someone kind to the speaker is that person's kindness
    ("barn", "Läraren är snäll mot mig.", "prosocial_values"),
    # yelling at each other is a quarrel (family_conflict), not a parent's harshness
    ("barn", "Mamma och jag skriker på varandra ibland.", "harsh_inconsistent_parenting"),
    # the neighbours' quarrels are not the family's
    ("barn", "Grannarna bråkar ofta sent på kvällen.", "family_conflict"),
    # a child living with a parent, or a parent sleeping on the sofa, is no housing problem
    (
        "barn",
        "Han bor hos mamma på vardagarna och hos pappa på helgerna.",
        "housing_instability",
    ),
    ("barn", "Pappa sover på soffan hela dagarna.", "housing_instability"),
    # a child left alone in the flat was left unsupervised, not lonely
    ("barn", "Hon var ensam i huset hela natten när hon var fyra.", "social_isolation"),
    ("barn", "Hon lämnades ensam med sin lillebror en hel helg.", "social_isolation"),
    # the professional who reported, or one only proposed, is no ongoing contact
    ("barn", "Kuratorn ringde oss och berättade om blåmärkena.", "ongoing_professional_support"),
    ("barn", "Jag tänker föreslå BUP för henne.", "ongoing_professional_support"),
]

# The same words said of the person the factor is about: still found.
SAID_OF_THE_PERSON = [
    (
        "barn",
        "Hon var åtta år när polisen tog henne första gången för snatteri.",
        "early_onset_normbreaking",
    ),
    ("barn", "Hon är skärpt och lär sig fort.", "good_cognitive_social_skills"),
    ("vuxen", "Det skjuts nästan varje vecka här.", "deprived_neighbourhood"),
    ("barn", "Han är ärlig och säger alltid som det är.", "prosocial_values"),
    ("barn", "Hon är snäll mot sina småsyskon.", "prosocial_values"),
    ("barn", "Pappa skriker på honom när han kommer hem sent.", "harsh_inconsistent_parenting"),
    ("barn", "Mamma och jag skriker på varandra ibland.", "family_conflict"),
    ("barn", "Föräldrarna bråkar ofta sent på kvällen.", "family_conflict"),
    ("vuxen", "Jag bor hos min syster just nu, jag har inget eget.", "housing_instability"),
    ("barn", "Jag sover på soffan hos en kompis.", "housing_instability"),
    ("vuxen", "Jag sover på soffan just nu.", "housing_instability"),
    ("vuxen", "Jag är ensam i lägenheten hela dagarna.", "social_isolation"),
    ("barn", "Han känner sig ensam i skolan.", "social_isolation"),
    ("barn", "Hon går hos kuratorn varje vecka.", "ongoing_professional_support"),
]


class TestLookalikesAndOtherPeople:
    """A cue word that only shares a normal form with another word, or that tells of someone
    other than the person the factor is about, gives no finding; the factor said of the
    person stays found."""

    @pytest.mark.parametrize(("case_type", "text", "factor"), LOOKALIKES)
    def test_lookalike_or_someone_else_is_not_found(
        self, tagger: Tagger, case_type: str, text: str, factor: str
    ) -> None:
        """A lookalike word or another person's doing gives no finding of the factor."""
        assert factor not in factors_found(tagger, case_type, text)

    @pytest.mark.parametrize(("case_type", "text", "factor"), SAID_OF_THE_PERSON)
    def test_the_factor_said_of_the_person_is_found(
        self, tagger: Tagger, case_type: str, text: str, factor: str
    ) -> None:
        """The same words said of the person the factor is about are still found."""
        assert factor in factors_found(tagger, case_type, text)


class TestAPaidResource:
    """A protective factor's cue that names a completion ("räkningarna är betalda", "huset
    är betalt") states the resource; the same word after a risk's cue still ends the risk."""

    def test_paid_bills_and_a_paid_house_are_found(self, tagger: Tagger) -> None:
        """Paid bills are a stable economy and a paid-off flat is a stable home."""
        found = factors_found(tagger, "vuxen", "Räkningarna är alltid betalda i tid hos oss.")
        assert "stable_economy" in found, found
        found = factors_found(tagger, "vuxen", "Lägenheten är avbetald sedan i våras.")
        assert "stable_housing" in found, found

    def test_a_paid_debt_is_over_and_an_unpaid_one_is_not(self, tagger: Tagger) -> None:
        """A debt told as paid is over, one not paid is a debt, an ended treatment is over,
        and a flat not yet paid is no stable home."""
        found = factors_found(tagger, "vuxen", "Jag hade skulder förut men de är betalda nu.")
        assert "economic_hardship" not in found, found
        found = factors_found(tagger, "vuxen", "Skulden till Kronofogden är inte betald.")
        assert "economic_hardship" in found, found
        found = factors_found(tagger, "vuxen", "Behandlingen på mottagningen är avslutad.")
        assert "ongoing_professional_support" not in found, found
        found = factors_found(tagger, "vuxen", "Lägenheten är inte betald än.")
        assert "stable_housing" not in found, found


class TestFillersInsideAPhrase:
    """A sentence adverb or filler ("ärligt talat", "faktiskt", "ju", "typ") inside a cue's
    phrase does not count as one of the words a phrase may have between its words
    (`cues.FILLERS`): "vet ärligt talat inte var hon är" says "vet inte var hon är"."""

    @pytest.mark.parametrize(
        "said",
        [
            "Jag vet ärligt talat inte var hon är på nätterna.",
            "Vi vet faktiskt ju inte var han är efter skolan.",
        ],
    )
    def test_a_filler_keeps_the_phrase(self, tagger: Tagger, said: str) -> None:
        """A parent who does not know where the child is, said with two fillers inside the
        phrase, is poor supervision; before, the phrase broke."""
        assert "poor_supervision" in factors_found(tagger, "barn", said)

    def test_other_words_still_break_it(self, tagger: Tagger) -> None:
        """Near: three words that are no fillers between "vet" and "inte" still break the
        phrase ("Jag vet att mormor inte var hemma." says nothing of where the child is)."""
        found = factors_found(tagger, "barn", "Jag vet att mormor inte var hemma igår.")
        assert "poor_supervision" not in found


class TestATopicQuestionLendsItsTopic:
    """A question of one topic word without a verb ("Och boendet?", "Skolan då?") is an open
    question: its answer is read with its topic, as "Hur går det i skolan?" is
    (`Tagger._topic`, `context.elliptic_topic`)."""

    @pytest.mark.parametrize(
        ("case_type", "question", "answer", "slug"),
        [
            ("vuxen", "Och ekonomin?", "Den fungerar bra just nu.", "stable_economy"),
            ("barn", "Skolan då?", "Han har varit borta i tre veckor nu.", "truancy"),
        ],
    )
    def test_the_answer_speaks_of_the_topic(
        self, tagger: Tagger, case_type: str, question: str, answer: str, slug: str
    ) -> None:
        """The answer names its topic only as "den"/nothing: the topic word comes from the
        question."""
        assert slug in factors_found(tagger, case_type, question, answer)

    def test_a_negated_answer_finds_nothing(self, tagger: Tagger) -> None:
        """Near: "Och ekonomin?" / "Den fungerar inte alls." is no stable economy."""
        found = factors_found(tagger, "vuxen", "Och ekonomin?", "Den fungerar inte alls.")
        assert "stable_economy" not in found


class TestANoToAResourceIsItsLack:
    """A no to a question whether the client has a resource finds the risk that is its lack
    (`tagger.LACKED_AS`, by the definitions): no work or income, no home of one's own, money
    that does not suffice."""

    @pytest.mark.parametrize(
        ("question", "slug"),
        [
            ("Har du något arbete just nu?", "unemployment_income"),
            ("Har du en egen lägenhet?", "housing_instability"),
        ],
    )
    def test_a_bare_no(self, tagger: Tagger, question: str, slug: str) -> None:
        """ "Har du något arbete just nu?" / "Nej." lacks work; "Har du en egen lägenhet?" /
        "Nej." lacks a home of one's own."""
        assert slug in factors_found(tagger, "vuxen", question, "Nej.")

    def test_near_answers_find_no_lack(self, tagger: Tagger) -> None:
        """Near: a yes, an answer that says what the client does instead ("Nej, jag studerar
        på komvux."), and a hypothetical question find no lack of work."""
        for question, answer in (
            ("Har du något arbete just nu?", "Ja, på ett lager."),
            ("Har du något arbete just nu?", "Nej, jag studerar på komvux."),
            ("Om du fick ett arbete, skulle du ta det?", "Nej."),
        ):
            found = factors_found(tagger, "vuxen", question, answer)
            assert "unemployment_income" not in found, (question, answer)


class TestCuesFromTheDefinitionsOf48:
    """Catalogue 2026.11-48: cue families written from the factors' definitions (a parent's
    psychiatric illness by its name, being excluded by peers, chronic pain said as "har ont
    hela tiden", a tenancy of one's own, having friends, wanting rid of pills or debts, a
    foster family or contact person who supports an adult)."""

    @pytest.mark.parametrize(
        ("case_type", "said", "slug"),
        [
            ("barn", "Mamma har PTSD sedan olyckan.", "parental_mental_illness"),
            (
                "barn",
                "Pappa har ett tvångssyndrom och tvättar händerna hela dagarna.",
                "parental_mental_illness",
            ),
            ("barn", "Killarna i laget utesluter honom från allt.", "bullying_peer_rejection"),
            ("barn", "Hon blev utesluten ur tjejgänget i höstas.", "bullying_peer_rejection"),
            ("vuxen", "Jag har ont jämt numera.", "physical_ill_health"),
            ("vuxen", "Sedan olyckan har jag ont dygnet runt.", "physical_ill_health"),
            ("vuxen", "Vi har hyreskontrakt sedan tio år tillbaka.", "stable_housing"),
            ("barn", "Hon har kompisar i klassen.", "positive_peers"),
            ("vuxen", "Jag har massor av kompisar på jobbet.", "positive_peers"),
            ("vuxen", "Jag vill bli av med skulderna och börja om.", "motivation_for_change"),
            (
                "vuxen",
                "Min kontaktperson ringer varje vecka och stöttar mig.",
                "supportive_network",
            ),
        ],
    )
    def test_found(self, tagger: Tagger, case_type: str, said: str, slug: str) -> None:
        """Each sentence (not from any meeting) says what the definition names."""
        assert slug in factors_found(tagger, case_type, said)

    @pytest.mark.parametrize(
        ("case_type", "said", "slug"),
        [
            ("barn", "Vi kan inte utesluta att han blir sjuk.", "bullying_peer_rejection"),
            ("vuxen", "Jag har ont om tid hela tiden.", "physical_ill_health"),
            ("vuxen", "Vi söker ett hyreskontrakt sedan två år.", "stable_housing"),
            ("barn", "Hon hade kompisar i tvåan.", "positive_peers"),
            ("vuxen", "Jag har inga vänner kvar.", "positive_peers"),
            ("vuxen", "Han har en dotter sedan tidigare.", "positive_peers"),
            ("vuxen", "Jag vill inte bli av med tabletterna.", "motivation_for_change"),
        ],
    )
    def test_near_sentences_stay(
        self, tagger: Tagger, case_type: str, said: str, slug: str
    ) -> None:
        """Near sentences: another sense of the word, a search, the past, none, no wish."""
        assert slug not in factors_found(tagger, case_type, said)
