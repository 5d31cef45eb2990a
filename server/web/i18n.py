"""Every user-visible string of the web view, Swedish first with English beside it.

Templates call `t("key")`; Python code calls `text(lang, "key", **values)`. The language is
Swedish unless the user chose English (cookie `fredag_lang`, set by /sprak/en and /sprak/sv).
"""

from __future__ import annotations

from typing import Final, Literal

from server.web.i18n_oidc import OIDC_AUDIT_ACTIONS, OIDC_STRINGS

Lang = Literal["sv", "en"]
LANGS: Final[tuple[Lang, ...]] = ("sv", "en")

STRINGS: Final[dict[str, tuple[str, str]]] = {
    # Frame
    "app_name": ("Fredag", "Fredag"),
    "skip_to_content": ("Hoppa till innehållet", "Skip to content"),
    "nav_label": ("Huvudmeny", "Main menu"),
    "nav_inbox": ("Inkorg", "Inbox"),
    "nav_admin_people": ("Användare och enheter", "Users and devices"),
    "nav_admin_catalogue": ("Faktorkatalog", "Factor catalogue"),
    "nav_admin_audit": ("Granskningslogg", "Audit log"),
    "logged_in_as": ("Inloggad som", "Logged in as"),
    "logout": ("Logga ut", "Log out"),
    "language": ("In English", "På svenska"),
    "role_caseworker": ("handläggare", "caseworker"),
    "role_admin": ("administratör", "administrator"),
    "footer": (
        "Fredag – utkast blir journaltext först när handläggaren godkänt dem.",
        "Fredag – a draft becomes journal text only when the caseworker approves it.",
    ),
    # Login
    "login_title": ("Logga in", "Log in"),
    "username": ("Användarnamn", "User name"),
    "password": ("Lösenord", "Password"),
    "login_button": ("Logga in", "Log in"),
    "login_failed": ("Fel användarnamn eller lösenord.", "Wrong user name or password."),
    "login_throttled": (
        "För många misslyckade inloggningar. Vänta en stund eller kontakta en administratör.",
        "Too many failed logins. Wait a while or contact an administrator.",
    ),
    # Inbox
    "inbox_title": ("Inkorg", "Inbox"),
    "inbox_intro": (
        "Dina utkast, nyaste först, ordnade efter ärende.",
        "Your drafts, newest first, by case.",
    ),
    "filter_case": ("Visa ärende", "Show case"),
    "filter_button": ("Visa", "Show"),
    "filter_clear": ("Visa alla", "Show all"),
    "case": ("Ärende", "Case"),
    "case_type": ("Ärendetyp", "Case type"),
    "meeting": ("Möte", "Meeting"),
    "received": ("Mottaget", "Received"),
    "status": ("Status", "Status"),
    "open": ("Öppna", "Open"),
    "no_drafts": ("Inga utkast.", "No drafts."),
    "page_prev": ("Nyare", "Newer"),
    "page_next": ("Äldre", "Older"),
    "page_n": ("Sida", "Page"),
    "status_draft": ("Utkast", "Draft"),
    "status_approved": ("Godkänd", "Approved"),
    "status_discarded": ("Kasserad", "Discarded"),
    "case_type_barn": ("barn och unga", "children and young people"),
    "case_type_vuxen": ("vuxen", "adult"),
    # Draft page
    "draft_title": ("Utkast", "Draft"),
    "meeting_details": ("Mötet", "The meeting"),
    "contact_type": ("Kontakttyp", "Kind of contact"),
    "present": ("Närvarande", "Present"),
    "caseworker": ("Handläggare", "Caseworker"),
    "when": ("Tid", "Time"),
    "model": ("Transkriberat med", "Transcribed with"),
    "catalogue_version": ("Faktorkatalog", "Factor catalogue"),
    "transcript": ("Bilaga: transkription", "Attachment: transcript"),
    "transcript_note": (
        "Hela samtalet, inte journaltext. Följer med exporten bara om du ber om det.",
        "The whole conversation, not journal text. Exported only when you ask for it.",
    ),
    "search_transcript": ("Sök i transkriptionen", "Search the transcript"),
    "pull_to": ("Till journalen, under", "Into the journal, under"),
    "pull_help": (
        "Välj område och tryck + vid en rad i transkriptionen för att ta med den ordagrant.",
        "Choose an area and press + beside a transcript line to take it in verbatim.",
    ),
    "transcript_help": (
        "Välj en faktor för att markera dess citat.",
        "Choose a factor to light up its quotes.",
    ),
    "transcript_help_add": (
        "Markera ord i texten för att lägga till en faktor.",
        "Select words in the text to add a factor.",
    ),
    "no_speech": ("Inget tal uppfattades.", "No speech was heard."),
    "factors": ("Faktorer", "Factors"),
    "on_this_page": ("På sidan", "On this page"),
    "jump_transcript": ("Transkription", "Transcript"),
    "jump_text": ("Redigera utkastet", "Edit the draft"),
    "risk_factors": ("Riskfaktorer", "Risk factors"),
    "protective_factors": ("Skyddsfaktorer", "Protective factors"),
    "denied_factors": ("Efterfrågat och förnekat", "Asked about and denied"),
    "none_noted": ("Inga noterade.", "None noted."),
    "show_quotes": ("Visa citat", "Show quotes"),
    "sources": ("Källor", "Sources"),
    "accept": ("Godta", "Accept"),
    "reject": ("Avvisa", "Reject"),
    "decision_unreviewed": ("ej granskad", "not reviewed"),
    "decision_accepted": ("godtagen", "accepted"),
    "decision_rejected": ("avvisad", "rejected"),
    "decision_added": ("tillagd av handläggaren", "added by the caseworker"),
    "quote_at": ("vid", "at"),
    "add_factor": ("Lägg till faktor", "Add a factor"),
    "add_factor_help": (
        "Markera citatet i transkriptionen (eller skriv det), välj faktor och spara.",
        "Select the quote in the transcript (or type it), choose the factor and save.",
    ),
    "quote": ("Citat", "Quote"),
    "segment": ("Stycke", "Passage"),
    "factor": ("Faktor", "Factor"),
    "choose_factor": ("Välj faktor …", "Choose a factor …"),
    "save": ("Spara", "Save"),
    "text_title": ("Vad som framkom – utkast du redigerar", "What was said – the draft you edit"),
    "text_help": (
        "Bara citat ur samtalet, ordnade efter livsområde. Ändra, ta bort eller flytta en rad; "
        "varje ändring sparas som en ny version och originalet kan alltid återställas.",
        "Only quotes from the conversation, by life area. Edit, drop or move a line; every "
        "change is saved as a new version and the original can always be restored.",
    ),
    "text_help_locked": (
        "Faktorerna granskar du under Faktorer; de följer med utkastet som taggar men skrivs "
        "inte in i anteckningen. Bedömning och planering skriver du i rutorna nedanför.",
        "You review the factors under Factors; they stay with the draft as tags but are not "
        "written into the entry. Write the assessment and plan in the boxes below.",
    ),
    "line_text": ("Raden", "The line"),
    "speaker_rename": ("Byt namn på talare", "Rename a speaker"),
    "filter_speaker": ("Visa talare", "Show speaker"),
    "all_speakers": ("alla", "all"),
    "speaker_new": ("till", "to"),
    "speaker_apply": ("Byt i hela anteckningen", "Rename in the whole entry"),
    "speaker_help": (
        "Namnet gäller hela anteckningen, transkriptionen, exporten och rader du hämtar senare, "
        "också om du tar bort alla talarens rader. Skriv enhetens etikett (t.ex. person 1) för "
        "att ta tillbaka den.",
        "The name applies to the whole entry, the transcript, the export and lines you pull in "
        "later, also when you drop all the speaker's lines. Type the device's label (e.g. "
        "person 1) to give it back.",
    ),
    "speaker_names_now": ("Namn i anteckningen", "Names in the entry"),
    "speaker_unknown": (
        "Talaren finns inte i utkastet. Ladda om sidan och försök igen.",
        "There is no such speaker in the draft. Reload the page and try again.",
    ),
    "speaker_caseworker_own": (
        "”handläggare” är din egen röst och byter inte namn; anteckningen anger dig som "
        "handläggare.",
        "”handläggare” is your own voice and is not renamed; the entry names you as the "
        "caseworker.",
    ),
    "speaker_name_empty": (
        "Skriv ett namn. Vill du ta tillbaka enhetens etikett, skriv den (t.ex. person 1).",
        "Type a name. To give back the device's label, type it (e.g. person 1).",
    ),
    "speaker_name_long": (
        "Namnet är för långt (högst 200 tecken).",
        "The name is too long (at most 200 characters).",
    ),
    "speaker_name_caseworker": (
        "En annan talare kan inte heta ”handläggare”: det är din egen röst, och klientens ord "
        "skulle läsas som dina.",
        "Another speaker cannot be called ”handläggare”: that is your own voice, and the "
        "client's words would read as yours.",
    ),
    "speaker_name_label": (
        "Namnet är enhetens etikett för en annan röst i samtalet. Välj ett annat namn.",
        "That name is the device's label of another voice in the meeting. Choose another name.",
    ),
    "line_save": ("Spara raden", "Save the line"),
    "line_drop": ("Ta bort raden", "Drop the line"),
    "line_move": ("Flytta", "Move"),
    "move_to": ("Flytta till område", "Move to area"),
    "line_edited": ("ändrad av handläggaren", "edited by the caseworker"),
    "legacy_text_help": (
        "Den här versionen sparades som fri text innan journalen fick livsområden. Återställ "
        "originalet för att redigera rad för rad.",
        "This version was saved as free text before entries had life areas. Restore the "
        "original to edit line by line.",
    ),
    "export_with_attachment": ("med bilaga: transkription", "with the transcript attached"),
    "stale_version": (
        "Utkastet har ändrats sedan sidan laddades. Ladda om och försök igen.",
        "The draft changed since the page was loaded. Reload and try again.",
    ),
    "legacy_text": (
        "Versionen är fri text; återställ originalet för att redigera rader.",
        "This version is free text; restore the original to edit lines.",
    ),
    "line_not_found": ("Raden finns inte längre.", "The line no longer exists."),
    "line_already_there": (
        "Raden finns redan ordagrant i det området.",
        "That area already has the line, word for word.",
    ),
    "line_empty": (
        "En rad kan inte sparas tom. Vill du ta bort raden, tryck ”Ta bort raden”.",
        "A line cannot be saved empty. To remove the line, press ”Drop the line”.",
    ),
    "unknown_area": ("Okänt livsområde.", "Unknown life area."),
    "area_barn": ("Livsområde i barnärenden (BBIC)", "Life area in child cases (BBIC)"),
    "area_vuxen": ("Livsområde i vuxenärenden (ASI m.fl.)", "Life area in adult cases (ASI etc.)"),
    "save_text": ("Spara ny version", "Save new version"),
    "versions": ("Versioner och skillnader", "Versions and differences"),
    "version": ("Version", "Version"),
    "original": ("original från enheten", "original from the device"),
    "restore_original": ("Återställ originalet", "Restore the original"),
    "compare": ("Jämför", "Compare"),
    "diff_from": ("Från", "From"),
    "diff_to": ("Till", "To"),
    "no_diff": ("Inga skillnader.", "No differences."),
    "assessment": ("Bedömning", "Assessment"),
    "planning": ("Planering", "Planning"),
    "assessment_help": (
        "Skrivs bara av dig. Verktyget föreslår aldrig bedömning eller planering.",
        "Written by you only. The tool never proposes an assessment or a plan.",
    ),
    "save_assessment": ("Spara bedömning och planering", "Save assessment and planning"),
    "preview": ("Journaltext att godkänna", "Journal text to approve"),
    "preview_help": (
        "Så blir journalanteckningen om du godkänner nu: utkastet ovan med dina faktorbeslut, "
        "din bedömning och planering. Den redigeras inte här.",
        "What the journal entry will be if you approve now: the draft above with your factor "
        "decisions, assessment and plan. It is not edited here.",
    ),
    "approve_title": ("Godkänn", "Approve"),
    "approve_help": (
        "När du godkänner blir texten journaltext och kan inte ändras. Senare ändringar "
        "görs som daterade tillägg.",
        "Once approved the text is journal text and cannot change. Later changes are dated "
        "addenda.",
    ),
    "approve_confirm": (
        "Jag har läst texten och godkänner den som journalanteckning.",
        "I have read the text and approve it as a journal entry.",
    ),
    "approve_button": ("Godkänn journalanteckning", "Approve journal entry"),
    "approve_needs_review": (
        "Godta eller avvisa varje faktor innan du godkänner: faktorerna sparas med "
        "anteckningen som granskade av dig.",
        "Accept or reject every factor before approving: the factors are kept with the entry "
        "as reviewed by you.",
    ),
    "approve_unreviewed": ("Ej granskade faktorer:", "Factors not reviewed:"),
    "approve_all_reviewed": ("Alla faktorer är granskade.", "Every factor is reviewed."),
    "approve_needs_confirm": (
        "Kryssa i rutan för att bekräfta att du läst texten.",
        "Tick the box to confirm you have read the text.",
    ),
    "discard_title": ("Kassera utkastet", "Discard the draft"),
    "discard_reason": ("Skäl", "Reason"),
    "discard_button": ("Kassera", "Discard"),
    "discard_needs_reason": ("Ange ett skäl för att kassera.", "Give a reason to discard."),
    "approved_by": ("Godkänd av", "Approved by"),
    "discarded_because": ("Kasserad. Skäl:", "Discarded. Reason:"),
    "approved_text": ("Godkänd journaltext", "Approved journal text"),
    "addenda": ("Tillägg", "Addenda"),
    "addendum_add": ("Skriv ett daterat tillägg", "Write a dated addendum"),
    "addendum_button": ("Spara tillägg", "Save addendum"),
    "addendum_needs_text": ("Tillägget är tomt.", "The addendum is empty."),
    "export": ("Exportera", "Export"),
    "export_text": ("Som text (för Treserva, Lifecare, Procapita, Viva, Combine)", "As text"),
    "export_pdf": ("Som PDF", "As PDF"),
    "saved": ("Sparat.", "Saved."),
    "immutable": (
        "Anteckningen är godkänd och kan inte ändras. Skriv ett tillägg i stället.",
        "The entry is approved and cannot change. Write an addendum instead.",
    ),
    "not_a_draft": (
        "Utkastet är godkänt eller kasserat och kan inte ändras.",
        "The draft is approved or discarded and cannot change.",
    ),
    "not_approved": (
        "Bara en godkänd journalanteckning kan exporteras. Granska och godkänn utkastet först.",
        "Only an approved journal entry can be exported. Review and approve the draft first.",
    ),
    "error_title_not_approved": ("Inte godkänd", "Not approved"),
    "quote_not_found": (
        "Citatet finns inte i det valda stycket av transkriptionen.",
        "The quote is not in the chosen passage of the transcript.",
    ),
    "unknown_factor": ("Okänd faktor i katalogen.", "Unknown factor in the catalogue."),
    "text_empty": ("Texten får inte vara tom.", "The text must not be empty."),
    # Errors
    "error_title": ("Något gick fel", "Something went wrong"),
    "error_title_400": ("Det gick inte att göra", "That could not be done"),
    "error_title_403": ("Ingen behörighet", "No access"),
    "error_title_404": ("Finns inte", "Not found"),
    "error_title_405": ("Det går inte att göra så", "That cannot be done this way"),
    "error_title_409": ("Kan inte ändras", "Cannot be changed"),
    "error_title_413": ("För stort", "Too large"),
    "error_title_422": ("Något behöver rättas", "Something needs correcting"),
    "error_title_429": ("Vänta en stund", "Wait a while"),
    "error_title_500": ("Ett oväntat fel", "An unexpected error"),
    "error_code": ("Felkod för support:", "Error code for support:"),
    "error_400": ("Begäran kunde inte behandlas.", "The request could not be handled."),
    "error_401": ("Du behöver logga in.", "You need to log in."),
    "error_403": ("Du har inte behörighet till sidan.", "You do not have access to this page."),
    "error_404": ("Sidan eller utkastet finns inte.", "The page or draft does not exist."),
    "error_405": ("Det går inte att göra så här.", "That cannot be done this way."),
    "error_409": ("Ändringen krockar med en annan.", "The change conflicts with another."),
    "error_413": ("Det du skickade är för stort.", "What you sent is too large."),
    "error_422": ("Uppgifterna är inte giltiga.", "The data is not valid."),
    "error_429": ("För många försök. Vänta en stund.", "Too many attempts. Wait a while."),
    "error_500": (
        "Ett oväntat fel uppstod. Det har loggats. Försök igen eller kontakta en administratör.",
        "An unexpected error occurred. It has been logged. Try again or contact an admin.",
    ),
    "error_csrf": (
        "Formuläret saknade säkerhetstoken eller den var fel. Ladda om sidan och försök igen.",
        "The form's security token was missing or wrong. Reload the page and try again.",
    ),
    "back_home": ("Till startsidan", "To the start page"),
    # Admin
    "people_title": ("Användare och enheter", "Users and devices"),
    "users": ("Användare", "Users"),
    "full_name": ("Namn", "Name"),
    "role": ("Roll", "Role"),
    "active": ("Aktiv", "Active"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "create_user": ("Skapa användare", "Create user"),
    "create_button": ("Skapa", "Create"),
    "user_created": ("Användaren skapades.", "The user was created."),
    "password_help": ("Minst 10 tecken.", "At least 10 characters."),
    "enrollment": ("Registreringskod för enhet", "Device enrollment code"),
    "issue_code": ("Skapa kod", "Issue code"),
    "code_issued": (
        "Engångskod (visas bara nu, giltig till {expires}): {code}",
        "One-time code (shown only now, valid until {expires}): {code}",
    ),
    "devices": ("Enheter", "Devices"),
    "device_name": ("Enhet", "Device"),
    "owner": ("Handläggare", "Caseworker"),
    "enrolled": ("Registrerad", "Enrolled"),
    "revoked": ("Spärrad", "Revoked"),
    "device_active": ("aktiv", "active"),
    "device_revoked_state": ("spärrad", "revoked"),
    "last_sync": ("Senast synkad (utkast mottaget)", "Last sync (draft received)"),
    "action": ("Åtgärd", "Action"),
    "never": ("aldrig", "never"),
    "revoke": ("Spärra", "Revoke"),
    "device_revoked": ("Enheten är spärrad.", "The device is revoked."),
    "no_devices": ("Inga enheter.", "No devices."),
    "catalogue_title": ("Faktorkatalog", "Factor catalogue"),
    "published_version": ("Publicerad version", "Published version"),
    "none_published": ("Ingen katalog publicerad ännu.", "No catalogue published yet."),
    "working_copy": ("Arbetskopia", "Working copy"),
    "kind": ("Typ", "Kind"),
    "kind_risk": ("risk", "risk"),
    "kind_protective": ("skydd", "protective"),
    "level": ("Nivå", "Level"),
    "applies_to": ("Gäller", "Applies to"),
    "edit": ("Redigera", "Edit"),
    "retire": ("Avveckla faktorn", "Retire"),
    "retired": ("avvecklad", "retired"),
    "retire_help": (
        "En avvecklad faktor ligger kvar i katalogen men taggas aldrig mer. Koden tas aldrig bort.",
        "A retired factor stays in the catalogue but is never tagged again. "
        "Its code is never removed.",
    ),
    "new_factor": ("Ny faktor", "New factor"),
    "slug": ("Kod (slug)", "Code (slug)"),
    "name_sv": ("Namn (svenska)", "Name (Swedish)"),
    "name_en": ("Namn (engelska)", "Name (English)"),
    "description": ("Beskrivning", "Description"),
    "sources_codes": ("Källor (en kod per rad)", "Sources (one code per line)"),
    "cues_yaml": ("Språkliga ledtrådar (YAML-lista)", "Cues (YAML list)"),
    "examples_positive": ("Exempel som visar faktorn (en per rad)", "Positive examples"),
    "examples_negative": ("Närliggande exempel som inte gör det (en per rad)", "Negative examples"),
    "past_counts": ("Räknas även när det hänt tidigare", "Counts when in the past"),
    "catalogue_invalid": (
        "Ändringen sparades inte: katalogen blir ogiltig.",
        "Not saved: the catalogue would be invalid.",
    ),
    "catalogue_not_published": (
        "Versionen publicerades inte. Arbetskopian är kvar som den var.",
        "The version was not published. The working copy is kept as it was.",
    ),
    "catalogue_saved": ("Arbetskopian sparades.", "The working copy was saved."),
    "diff_published": ("Skillnad mot publicerad version", "Difference from the published version"),
    "publish": ("Publicera ny version", "Publish a new version"),
    "new_version": ("Versionsnamn", "Version name"),
    "published": ("Version {version} är publicerad.", "Version {version} is published."),
    "publish_failed": ("Publiceringen misslyckades.", "Publishing failed."),
    "audit_title": ("Granskningslogg", "Audit log"),
    "audit_user": ("Användare", "User"),
    "audit_from": ("Från datum", "From date"),
    "audit_to": ("Till och med datum", "To date"),
    "audit_at": ("Tidpunkt (svensk tid)", "Time (Swedish time)"),
    "audit_action": ("Händelse", "Action"),
    "audit_object": ("Objekt", "Object"),
    "audit_ip": ("Från", "From"),
    "audit_detail": ("Detaljer", "Details"),
    "audit_none": ("Inga händelser.", "No events."),
    "filter": ("Filtrera", "Filter"),
    "bad_date": ("Datum skrivs ÅÅÅÅ-MM-DD.", "Dates are written YYYY-MM-DD."),
    "user_bad_username": (
        "Användarnamnet får bara innehålla bokstäverna a–z, siffror och . _ @ - (högst 64 tecken).",
        "The user name may only hold a–z, digits and . _ @ - (at most 64 characters).",
    ),
    "user_bad_password": (
        "Lösenordet måste ha minst 10 tecken.",
        "The password needs at least 10 characters.",
    ),
    "user_bad_role": ("Välj en roll.", "Choose a role."),
    "user_exists": ("Det finns redan en användare med det namnet.", "That user name is taken."),
    "no_caseworker": (
        "Ingen aktiv handläggare med det namnet.",
        "No active caseworker by that name.",
    ),
    **OIDC_STRINGS,
}


AUDIT_ACTIONS: Final[dict[str, tuple[str, str]]] = {
    "login.success": ("inloggning", "login"),
    "login.failure": ("misslyckad inloggning", "failed login"),
    "login.throttled": ("inloggning spärrad", "login throttled"),
    "logout": ("utloggning", "logout"),
    "user.create": ("skapade användare", "created user"),
    "user.update": ("ändrade användare", "changed user"),
    "enrollment.issue": ("skapade registreringskod", "issued enrollment code"),
    "device.enroll": ("enhet registrerad", "device enrolled"),
    "device.revoke": ("spärrade enhet", "revoked device"),
    "device.security": ("säkerhetshändelse på enheten", "security event on the device"),
    "draft.upload": ("utkast mottaget", "draft received"),
    "draft.list": ("läste inkorgen", "read the inbox"),
    "draft.read": ("läste utkast", "read a draft"),
    "access.refused": ("nekad åtkomst till utkast", "access to a draft refused"),
    "draft.edit": ("ändrade utkast", "edited a draft"),
    "draft.approve": ("godkände", "approved"),
    "draft.discard": ("kasserade", "discarded"),
    "draft.export": ("exporterade", "exported"),
    "catalogue.edit": ("ändrade katalogens arbetskopia", "edited the catalogue"),
    "catalogue.publish": ("publicerade katalog", "published the catalogue"),
    "audit.read": ("läste granskningsloggen", "read the audit log"),
    **OIDC_AUDIT_ACTIONS,
}


# What an audit row is about, and the words of its details, for people (codes stay in the
# JSON API for tools). Unknown keys and values are shown as they are.
AUDIT_OBJECTS: Final[dict[str, tuple[str, str]]] = {
    "draft": ("utkast", "draft"),
    "user": ("användare", "user"),
    "device": ("enhet", "device"),
    "enrollment_code": ("registreringskod", "enrollment code"),
    "device_security_event": ("enhetens säkerhetshändelse", "device security event"),
    "catalogue": ("faktorkatalog", "factor catalogue"),
    "audit": ("granskningslogg", "audit log"),
}
AUDIT_DETAIL_KEYS: Final[dict[str, tuple[str, str]]] = {
    "event": ("händelse", "event"),
    "device_at": ("tid på enheten", "time on the device"),
    "values": ("uppgifter", "details"),
    "what": ("ändrat", "changed"),
    "factor": ("faktor", "factor"),
    "decision": ("beslut", "decision"),
    "version": ("version", "version"),
    "note": ("anteckning", "note"),
    "format": ("format", "format"),
    "reason": ("skäl", "reason"),
    "count": ("antal", "count"),
    "page": ("sida", "page"),
    "offset": ("från rad", "offset"),
    "case_filter": ("ärendefilter", "case filter"),
    "actor_filter": ("användarfilter", "user filter"),
    "since": ("från", "from"),
    "until": ("till", "until"),
    "change": ("ändring", "change"),
    "status": ("svarskod", "status"),
    "method": ("metod", "method"),
    "path": ("adress", "address"),
    "caseworker": ("handläggare", "caseworker"),
    "caseworker_id": ("handläggare (id)", "caseworker (id)"),
    "expires_at": ("giltig till", "valid until"),
    "expires": ("giltig till", "valid until"),
    "username": ("användarnamn", "user name"),
    "role": ("roll", "role"),
    "name": ("namn", "name"),
    "key_id": ("nyckel", "key"),
    "is_active": ("aktiv", "active"),
    "full_name": ("namn", "name"),
    "sha256": ("sha256", "sha256"),
}
AUDIT_DETAIL_VALUES: Final[dict[str, tuple[str, str]]] = {
    "tag": ("faktor", "factor tag"),
    "text": ("text", "text"),
    "assessment": ("bedömning och planering", "assessment and plan"),
    "addendum": ("tillägg", "addendum"),
    "accepted": ("godtagen", "accepted"),
    "rejected": ("avvisad", "rejected"),
    "added": ("tillagd", "added"),
    "caseworker": ("handläggare", "caseworker"),
    "admin": ("administratör", "administrator"),
    "not_found": ("finns inte eller inte din", "not found or not yours"),
    "forbidden": ("fel roll", "wrong role"),
    "error_403": ("fel roll", "wrong role"),
    "error_csrf": ("formulär utan säkerhetstoken", "form without its security token"),
    "True": ("ja", "yes"),
    "False": ("nej", "no"),
}


def _pick(pair: tuple[str, str] | None, lang: str, fallback: str) -> str:
    if pair is None:
        return fallback
    return pair[1] if lang == "en" else pair[0]


def object_label(lang: str, object_type: str) -> str:
    """An audit row's object type in words ("utkast", not "draft")."""
    return _pick(AUDIT_OBJECTS.get(object_type), lang, object_type)


def detail_label(lang: str, key: str) -> str:
    return _pick(AUDIT_DETAIL_KEYS.get(key), lang, key)


def detail_value(lang: str, value: str) -> str:
    return _pick(AUDIT_DETAIL_VALUES.get(value), lang, value)


def action_label(lang: str, action: str) -> str:
    pair = AUDIT_ACTIONS.get(action)
    if pair is None:
        return action
    return pair[1] if lang == "en" else pair[0]


def text(lang: str, key: str, **values: object) -> str:
    """The string `key` in `lang` (Swedish when unknown), with `{name}` values filled in."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    chosen = pair[1] if lang == "en" else pair[0]
    return chosen.format(**values) if values else chosen
