"""Every word the handheld's screen shows, Swedish first with English beside it (the same
wording as the review web view where both say the same thing). The language is Swedish
unless English was chosen with the switch (cookie ``fredag_ui_lang``)."""

from __future__ import annotations

from typing import Final

from device.views.messages import MESSAGES, Code, failure_code
from fredag.errors import (
    CaptureError,
    ExtraMissing,
    FredagError,
    ModelError,
    StoreError,
    UsageError,
)
from fredag.journal import label

LANG_COOKIE = "fredag_ui_lang"

DEFAULT_CONSENT = (
    "Jag skulle vilja spela in vårt samtal på den här enheten. Inspelningen skrivs ut till "
    "text här på enheten och hjälper mig att skriva journalanteckningen. Ljudet lämnar aldrig "
    "enheten och sparas inte efter mötet. Jag läser igenom och godkänner texten innan den "
    "blir en del av journalen. Du kan säga nej, och du kan be mig stoppa när som helst under "
    "samtalet. Går det bra att jag spelar in?"
)

STRINGS: Final[dict[str, tuple[str, str]]] = {
    "app_name": ("Fredag", "Fredag"),
    "language": ("In English", "På svenska"),
    "skip": ("Hoppa till innehållet", "Skip to content"),
    # Start
    "start_title": ("Start", "Start"),
    "enrolled_to": ("Enheten tillhör", "Device belongs to"),
    "syncs_to": ("Synkar till", "Syncs to"),
    "not_enrolled": (
        "Enheten är inte registrerad hos någon server (fredag device enroll).",
        "The device is not enrolled with a server (fredag device enroll).",
    ),
    "waiting": ("Utkast som väntar på att skickas", "Drafts waiting to be sent"),
    "last_sync": ("Senaste synk", "Last sync"),
    "never": ("aldrig", "never"),
    "last_error": ("Senaste fel", "Last error"),
    "free_disk": ("Ledigt utrymme", "Free space"),
    "microphone": ("Ljudkälla", "Audio input"),
    "mic_check": ("Testa mikrofonen", "Test the microphone"),
    "mic_check_help": (
        "Mikrofonen lyssnar i några sekunder och stängs sedan. Säg något och se att nivån rör sig.",
        "The microphone listens for a few seconds, then closes. Say something and watch the "
        "level move.",
    ),
    "mic_listening": ("Lyssnar … säg något.", "Listening … say something."),
    "mic_ok": ("Mikrofonen fungerar.", "The microphone works."),
    "mic_silent": (
        "Mikrofonen ger inget ljud. Den kan vara avstängd, ljudlös eller urkopplad: kontrollera "
        "den och testa igen.",
        "The microphone gives no sound. It may be switched off, muted or unplugged: check it "
        "and test again.",
    ),
    "mic_failed": (
        "Ingen mikrofon fungerar. Anslut en mikrofon eller kontrollera att den är påslagen, och "
        "testa igen. Utan mikrofon går det inte att spela in ett samtal.",
        "No microphone works. Connect a microphone or check that it is switched on, and test "
        "again. Without a microphone no meeting can be recorded.",
    ),
    "mic_detail": ("Tekniskt fel", "Technical error"),
    "new_meeting": ("Nytt samtal", "New meeting"),
    "sync_now": ("Synka nu", "Sync now"),
    "interrupted": ("Avbrutna samtal", "Interrupted meetings"),
    "interrupted_help": (
        "Samtal som inte avslutades (enheten stängdes av eller programmet avbröts). "
        "Avsluta ett för att göra ett signerat utkast av det som spelades in.",
        "Meetings that were not finished (the device was switched off or the program stopped). "
        "Finish one to make a signed draft of what was recorded.",
    ),
    "finish": ("Avsluta och signera", "Finish and sign"),
    "segments": ("segment", "segments"),
    "synced": ("Synk klar", "Sync done"),
    "sync_failed": ("Synken misslyckades", "Sync failed"),
    # New meeting
    "new_title": ("Nytt samtal", "New meeting"),
    "case_ref": ("Ärendenummer", "Case reference"),
    "case_ref_help": (
        "Bokstäver, siffror och . / : - _ (senaste ärenden föreslås).",
        "Letters, digits and . / : - _ (recent cases are offered).",
    ),
    "case_type": ("Typ av ärende", "Case type"),
    "barn": ("Barn", "Child"),
    "vuxen": ("Vuxen", "Adult"),
    "contact_type": ("Typ av kontakt", "Kind of contact"),
    "present": ("Närvarande", "Present"),
    "present_other": (
        "Andra närvarande (skriv, skilj med komma)",
        "Others present (comma separated)",
    ),
    "next": ("Vidare till samtycke", "On to consent"),
    "cancel": ("Avbryt", "Cancel"),
    "invalid_case": (
        "Ange ett giltigt ärendenummer (bokstäver, siffror och . / : - _, högst 64 tecken).",
        "Give a valid case reference (letters, digits and . / : - _, at most 64 characters).",
    ),
    # Consent
    "consent_title": ("Samtycke", "Consent"),
    "consent_read": ("Läs upp för klienten:", "Read to the client:"),
    "consent_given": ("Samtycke givet – starta inspelningen", "Consent given – start recording"),
    "consent_refused": ("Samtycke nekat – spela inte in", "Consent refused – do not record"),
    "refused_title": ("Ingen inspelning", "No recording"),
    "refused_text": (
        "Klienten sa nej till inspelning. Det är antecknat på enheten att samtalet hölls utan "
        "inspelning; inget ljud och ingen text har sparats och inget skickas.",
        "The client declined the recording. The device notes that the meeting took place "
        "without a recording; no audio and no text were kept and nothing is sent.",
    ),
    "to_start": ("Till startsidan", "To the start screen"),
    "opening": ("Startar inspelningen …", "Starting the recording …"),
    # During
    "meeting_title": ("Samtal pågår", "Meeting in progress"),
    "state_recording": ("Spelar in", "Recording"),
    "state_paused": ("Pausad", "Paused"),
    "state_stopping": ("Avslutar …", "Finishing …"),
    "state_stopped": ("Stoppad", "Stopped"),
    "elapsed": ("Tid", "Time"),
    "level": ("Ljudnivå", "Input level"),
    "transcript": ("Det som sagts", "What was said"),
    "tentative": ("Hörs just nu (preliminärt)", "Being heard (tentative)"),
    "factors_noted": ("Faktorer som nämnts", "Factors mentioned"),
    "no_factors": ("Inga faktorer ännu.", "No factors yet."),
    "risk": ("Risk", "Risk"),
    "protective": ("Skydd", "Protective"),
    "pause": ("Pausa", "Pause"),
    "resume": ("Fortsätt", "Resume"),
    "mark": ("Markera", "Mark"),
    "marked": ("Markerat", "Marked"),
    "marks": ("Markeringar", "Marks"),
    "stop": ("Avsluta samtalet", "End the meeting"),
    "stop_confirm": (
        "Avsluta samtalet? Inspelningen stoppas och utkastet visas.",
        "End the meeting? The recording stops and the draft is shown.",
    ),
    "stop_yes": ("Ja, avsluta", "Yes, end it"),
    "stop_no": ("Nej, fortsätt samtalet", "No, continue"),
    "controls": ("Styrning", "Controls"),
    # After
    "after_title": ("Utkastet", "The draft"),
    "after_help": (
        "Så här blir utkastet när du signerar. Ingenting redigeras på enheten: du granskar och "
        "ändrar utkastet i webbgranskningen.",
        "This is the draft as it will be signed. Nothing is edited on the device: you review "
        "and change the draft in the review web view.",
    ),
    "sign_send": ("Signera och skicka", "Sign and send"),
    "sign_later": ("Signera, skicka senare", "Sign, send later"),
    "signed": ("Utkastet är signerat och sparat på enheten.", "The draft is signed and stored."),
    "sync_sent": ("Skickat till servern.", "Sent to the server."),
    "sync_queued": ("I kö – skickas vid nästa synk.", "Queued – sent on the next sync."),
    "sync_refused": ("Avvisat av servern.", "Refused by the server."),
    "retry": ("Försök skicka igen", "Try sending again"),
    "meeting_failed": ("Samtalet kunde inte avslutas", "The meeting could not be finished"),
    "continue_meeting": ("Fortsätt samtalet", "Continue the meeting"),
    "to_draft": ("Visa utkastet", "Show the draft"),
    "failed_title": ("Samtalet stoppades", "The meeting stopped"),
    "kept": ("Sparat från samtalet", "Kept from the meeting"),
    "details": ("Mötet", "The meeting"),
    "case": ("Ärende", "Case"),
    "caseworker": ("Handläggare", "Caseworker"),
    "duration": ("Längd", "Duration"),
    "rendered": ("Utkastets text", "The draft's text"),
    "denied": ("Nämnda men förnekade", "Mentioned but denied"),
    "assessment": ("Bedömning", "Assessment"),
    "planning": ("Planering", "Planning"),
    "empty_human_note": (
        "Bedömning och Planering är tomma: dem skriver handläggaren i webbgranskningen.",
        "Bedömning (assessment) and Planering (planning) are empty: the caseworker writes them "
        "in the review web view.",
    ),
    "empty_human": (
        "Tom – skrivs av handläggaren i webbgranskningen.",
        "Empty – written by the caseworker in the review web view.",
    ),
    "finished_title": ("Signerat utkast", "Signed draft"),
    # Min röst: the caseworker's voice
    "my_voice": ("Min röst", "My voice"),
    "voice_intro": (
        "Läs in din röst en gång, så märks det du själv säger som ”handläggare” i utkastet; "
        "andra röster märks person 1, person 2 … Din röstprofil sparas krypterad på enheten och "
        "lämnar den aldrig. Klienternas röster sparas aldrig.",
        "Enrol your voice once and what you say is labelled ”handläggare” (caseworker) in the "
        "draft; other voices are labelled person 1, person 2 … Your voice profile is stored "
        "encrypted on the device and never leaves it. Clients' voices are never stored.",
    ),
    "voice_enrolled": ("Din röst är inläst", "Your voice is enrolled"),
    "voice_enrolled_short": ("inläst", "enrolled"),
    "voice_none": (
        "Ingen röst är inläst: alla röster märks person 1, person 2 …",
        "No voice is enrolled: every voice is labelled person 1, person 2 …",
    ),
    "voice_none_short": ("inte inläst", "not enrolled"),
    "speech_seconds": ("s tal", "s of speech"),
    "voice_read": (
        "Läs texten högt, i lugn takt (ungefär 20 sekunder):",
        "Read the text aloud in Swedish, at a calm pace (about 20 seconds):",
    ),
    "voice_record": ("Spela in min röst", "Record my voice"),
    "voice_replace": ("Spela in på nytt (ersätter den gamla)", "Record again (replaces it)"),
    "voice_recording": ("Spelar in – läs texten nu", "Recording – read the text now"),
    "voice_checking": ("Kontrollerar inspelningen …", "Checking the recording …"),
    "voice_stop": ("Klar – jag har läst texten", "Done – I have read the text"),
    "voice_left": ("sekunder kvar", "seconds left"),
    "voice_ok": (
        "Klart! Din röst är inläst ({s} sekunder tal) och sparad krypterad på enheten.",
        "Done! Your voice is enrolled ({s} seconds of speech), stored encrypted on the device.",
    ),
    "voice_too_short": (
        "För kort: bara {s} sekunder tal hördes. Läs hela texten högt och försök igen.",
        "Too short: only {s} seconds of speech were heard. Read the whole text aloud and try "
        "again.",
    ),
    "voice_too_quiet": (
        "För tyst: mikrofonen hörde dig knappt. Håll enheten närmare, läs lite högre och försök "
        "igen.",
        "Too quiet: the microphone hardly heard you. Hold the device closer, read a little "
        "louder and try again.",
    ),
    "voice_locked": (
        "Enheten låstes under inspelningen, så ingenting sparades. Försök igen.",
        "The device locked during the recording, so nothing was stored. Try again.",
    ),
    "voice_failed": ("Inspelningen misslyckades:", "The recording failed:"),
    "voice_kept": ("Den tidigare rösten finns kvar.", "The earlier voice is kept."),
    "voice_forget": ("Ta bort min röst", "Delete my voice"),
    "voice_forget_confirm": (
        "Ta bort din inlästa röst från enheten? Därefter märks alla röster person 1, person 2 … "
        "tills du läser in den igen.",
        "Delete your enrolled voice from the device? After that every voice is labelled person "
        "1, person 2 … until you enrol again.",
    ),
    "voice_forget_yes": ("Ja, ta bort", "Yes, delete it"),
    "voice_forget_no": ("Nej, behåll den", "No, keep it"),
    "voice_forgotten": ("Din röst är borttagen från enheten.", "Your voice is deleted."),
    # Who said it (correcting a line's speaker)
    "who_title": ("Vem sa det?", "Who said it?"),
    "who_help": (
        "Välj vem som sa raden. Ditt val ersätter enhetens gissning, på skärmen och i utkastet.",
        "Choose who said the line. Your choice replaces the device's guess, on the screen and "
        "in the draft.",
    ),
    "who_new": ("Ny person", "New person"),
    "who_now": ("nu vald", "chosen now"),
    "who_correct": ("rätta vem som sa det", "correct who said it"),
    "who_unknown": ("talare?", "speaker?"),
    # the entry's own words for a label the device changed with hindsight (fredag.journal)
    "who_revised": (label("speaker_revised", "sv")[1:-1], label("speaker_revised", "en")[1:-1]),
    "who_uncertain": ("osäker", "uncertain"),
    "back_to_meeting": ("Tillbaka till samtalet", "Back to the meeting"),
    # Locked
    "locked_title": ("Enheten är låst", "The device is locked"),
    "locked_recording": ("Samtalet spelas in", "The meeting is being recorded"),
    "passphrase": ("Lösenfras", "Passphrase"),
    "unlock": ("Lås upp", "Unlock"),
    "lock": ("Lås", "Lock"),
    # Errors
    "error_title": ("Något gick inte", "Something went wrong"),
    "error_disk_full": (
        "Enhetens lagringsutrymme är fullt, så det gick inte att spara. Frigör utrymme och "
        "försök igen.",
        "The device's storage is full, so nothing could be stored. Free some space and try again.",
    ),
    "error_store": (
        "Enheten kunde inte läsa eller spara. Försök igen; om felet finns kvar, kontakta "
        "IT-supporten.",
        "The device could not read or store. Try again; if it persists, contact IT support.",
    ),
    "error_model": (
        "Transkriberingen kunde inte startas. Kontakta IT-supporten.",
        "The transcription could not be started. Contact IT support.",
    ),
    "error_extra": (
        "En del av programmet saknas på enheten (t.ex. den svenska ordlistan hunspell-sv), så "
        "samtalet kan inte starta. Kontakta IT-supporten.",
        "A part of the program is missing on the device (e.g. the Swedish dictionary "
        "hunspell-sv), so the meeting cannot start. Contact IT support.",
    ),
    "error_usage": ("Det går inte att göra just nu.", "That cannot be done right now."),
    "error_other": (
        "Något gick fel, och åtgärden gjordes inte.",
        "Something went wrong and the action was not done.",
    ),
    "csrf": (
        "Åtgärden kom inte från enhetens egen skärm och gjordes inte.",
        "The action did not come from the device's own screen and was not done.",
    ),
}


# The meeting's notices, warnings and errors, by their code (`device.views.messages.Code`):
# the banners of the meeting screen and of the screens after a meeting stopped.
STRINGS.update({str(code): pair for code, pair in MESSAGES.items()})


def text(lang: str, key: str) -> str:
    sv, en = STRINGS[key]
    return en if lang == "en" else sv


def error_text(lang: str, exc: FredagError) -> str:
    """What the error page says about `exc`, in plain words (its own text is shown apart, as
    the technical reason): a full disk, a key error (locked, wrong passphrase …), no
    microphone, the model, the store, an action that cannot be done now, anything else."""
    from device.keys.banners import BANNERS_SV

    if failure_code(exc) is Code.DISK_FULL:
        return text(lang, "error_disk_full")
    for kind, sv in BANNERS_SV.items():
        if isinstance(exc, kind):
            return sv if lang != "en" else str(exc)
    for kind, key in (
        (CaptureError, "mic_failed"),
        (ModelError, "error_model"),
        (ExtraMissing, "error_extra"),
        (StoreError, "error_store"),
        (UsageError, "error_usage"),
    ):
        if isinstance(exc, kind):
            return text(lang, key)
    return text(lang, "error_other")
