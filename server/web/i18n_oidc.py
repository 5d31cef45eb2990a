"""The web view's strings for signing in with the municipality's identity provider.

Kept beside i18n.py (which merges them into STRINGS) so the sign-in texts stay together:
one `oidc_fail_<reason>` per `server.oidc.OidcFailure` reason, saying what happened.
"""

from __future__ import annotations

from typing import Final

OIDC_STRINGS: Final[dict[str, tuple[str, str]]] = {
    "oidc_button": ("Logga in med {name}", "Sign in with {name}"),
    "oidc_button_default": (
        "Logga in med kommunens inloggning",
        "Sign in with the municipality's sign-in",
    ),
    "oidc_or_password": (
        "Eller logga in med användarnamn och lösenord:",
        "Or log in with user name and password:",
    ),
    "local_passwords_off": (
        "Inloggning med lösenord är avstängd. Använd kommunens inloggning.",
        "Password login is switched off. Use the municipality's sign-in.",
    ),
    "via_oidc": ("kommunens inloggning", "municipality sign-in"),
    "oidc_failed_title": ("Inloggningen misslyckades", "Sign-in failed"),
    "oidc_failed_logged": (
        "Du är inte inloggad. Försöket är sparat i granskningsloggen.",
        "You are not signed in. The attempt is recorded in the audit log.",
    ),
    "oidc_try_again": ("Till inloggningssidan", "Back to the sign-in page"),
    "oidc_fail_unreachable": (
        "Kommunens inloggningstjänst går inte att nå just nu. Försök igen om en stund, "
        "eller kontakta IT-supporten om felet består.",
        "The municipality's sign-in service cannot be reached right now. Try again in a "
        "while, or contact IT support if it persists.",
    ),
    "oidc_fail_provider_error": (
        "Kommunens inloggningstjänst svarade med ett fel eller ett svar som Fredag inte "
        "kan använda. Kontakta IT-supporten.",
        "The municipality's sign-in service answered with an error or an answer Fredag "
        "cannot use. Contact IT support.",
    ),
    "oidc_fail_state": (
        "Inloggningen hörde inte till den här webbläsaren, var redan använd eller tog för "
        "lång tid. Börja om från inloggningssidan.",
        "The sign-in did not belong to this browser, was already used or took too long. "
        "Start again from the sign-in page.",
    ),
    "oidc_fail_denied": (
        "Inloggningen avbröts eller nekades hos kommunens inloggningstjänst.",
        "The sign-in was cancelled or refused at the municipality's sign-in service.",
    ),
    "oidc_fail_code_rejected": (
        "Inloggningstjänsten godkände inte inloggningskoden: den var ogiltig eller redan "
        "använd. Börja om från inloggningssidan.",
        "The sign-in service did not accept the sign-in code: it was invalid or already "
        "used. Start again from the sign-in page.",
    ),
    "oidc_fail_invalid_token": (
        "Inloggningsbeviset (ID-token) från inloggningstjänsten var inte giltigt: "
        "signaturen eller innehållet stämde inte.",
        "The ID token from the sign-in service was not valid: its signature or content "
        "did not check out.",
    ),
    "oidc_fail_issuer": (
        "Inloggningsbeviset var utfärdat av en annan inloggningstjänst än den Fredag "
        "är inställd på.",
        "The ID token was issued by another sign-in service than the one Fredag uses.",
    ),
    "oidc_fail_audience": (
        "Inloggningsbeviset var utfärdat för en annan tjänst än Fredag.",
        "The ID token was issued for another service than Fredag.",
    ),
    "oidc_fail_expired": (
        "Inloggningsbeviset hade gått ut. Börja om från inloggningssidan.",
        "The ID token had expired. Start again from the sign-in page.",
    ),
    "oidc_fail_nonce": (
        "Inloggningsbeviset hörde inte till den här inloggningen (fel engångsvärde, "
        "nonce). Börja om från inloggningssidan.",
        "The ID token did not belong to this sign-in (wrong nonce). Start again from "
        "the sign-in page.",
    ),
    "oidc_fail_no_subject": (
        "Inloggningsbeviset saknade den identitet som Fredag känner igen användare på. "
        "Kontakta IT-supporten.",
        "The ID token lacked the identifier Fredag recognises users by. Contact IT support.",
    ),
    "oidc_fail_not_in_group": (
        "Du tillhör ingen grupp som ger tillgång till Fredag. Kontakta den som "
        "administrerar behörigheter i kommunen.",
        "You are not in any group that gives access to Fredag. Contact whoever manages "
        "access rights in the municipality.",
    ),
    "oidc_fail_acr": (
        "Handläggare måste logga in med en starkare inloggningsmetod (till exempel "
        "SITHS eller BankID). Logga in igen med en sådan.",
        "Caseworkers must sign in with a stronger method (for example SITHS or BankID). "
        "Sign in again with one.",
    ),
    "oidc_fail_inactive": (
        "Ditt konto i Fredag är avstängt. Kontakta en administratör.",
        "Your Fredag account is deactivated. Contact an administrator.",
    ),
    "logged_out_title": ("Du är utloggad från Fredag", "You are logged out of Fredag"),
    "logged_out_provider": (
        "Du skickas vidare för att logga ut från kommunens inloggning också.",
        "You are being sent on to log out of the municipality's sign-in too.",
    ),
    "logged_out_continue": ("Fortsätt", "Continue"),
}

OIDC_AUDIT_ACTIONS: Final[dict[str, tuple[str, str]]] = {
    "user.deactivate": ("avaktiverade användare", "deactivated user"),
    "user.reactivate": ("återaktiverade användare", "reactivated user"),
}
