"""The labels job boards put before an advert's facts, in the main European languages.

``Arbeitgeber: …``, ``<dt>Lieu de travail</dt><dd>…</dd>``, ``<th>Místo pracoviště</th>``,
``<span class="label">Standplaats</span>``: :data:`LABELS` maps each fact (``organization``,
``location``, ``date``, ``valid``, ``salary``, ``employment``) to the words boards use for it;
:func:`label_key` tells which fact a label names and :func:`split_inline` reads
``"Label: value"`` written in one element. Pure data and regular expressions.
"""

from __future__ import annotations

import re

__all__ = [
    "CHROME_TEXT_RE",
    "INLINE_RES",
    "LABELS",
    "LABEL_START_RE",
    "LEADING_DATE_RE",
    "PLACEHOLDER_RE",
    "VISITOR_PLACE_RE",
    "label_key",
    "split_inline",
]

LABELS: dict[str, str] = {
    "organization": (
        r"company|company name|employer|hiring organi[sz]ation|organi[sz]ation|recruiter|"
        r"advertiser|hiring company|arbeitgeber|unternehmen|firma|betrieb|institution|träger|"
        r"entreprise|employeur|société|structure|organisme|recruteur|empresa|empleador|entidad|"
        r"azienda|ente|datore di lavoro|società|pracodawca|werkgever|organisatie|bedrijf|"
        r"zaměstnavatel|společnost|zamestnávateľ|arbetsgivare|företag|arbejdsgiver|virksomhed|"
        r"arbeidsgiver|työnantaja|munkáltató|cég|angajator|companie|empregador|entidade|"
        r"εργοδότης|εταιρεία"
    ),
    "location": (
        r"location|job location|work location|location of work|place of work|workplace|"
        r"based in|arbeitsort|einsatzort|dienstort|standort|ort|lieu|lieu de travail|"
        r"localisation|ville|ubicación|ubicacion|localidad|localización|sede|sede di lavoro|"
        r"luogo di lavoro|località|lokalizacja|miejsce pracy|locatie|standplaats|werklocatie|"
        r"plaats|werkplek|místo|místo výkonu práce|místo práce|místo pracoviště|pracoviště|"
        r"miesto výkonu práce|miesto práce|placering|arbetsort|kommun|ort|tjenestested|"
        r"arbejdssted|arbeidssted|sted|munkavégzés helye|helyszín|locație|localitate|"
        r"τοποθεσία|local de trabalho|localização|localidade|local|sijainti|paikkakunta|"
        r"työpaikan sijainti"
    ),
    "date": (
        r"posted|posted on|published|published on|date posted|date of publication|"
        r"publication date|listed|veröffentlicht|veröffentlicht am|erstellt|erstellt am|"
        r"online seit|erschienen|erschienen am|publié|publiée|publié le|publiée le|"
        r"date de publication|mis en ligne|"
        r"mise en ligne|publicado|publicada|publicado el|fecha de publicación|pubblicato|"
        r"pubblicato il|data di pubblicazione|opublikowano|data publikacji|data dodania|"
        r"geplaatst|geplaatst op|publicatiedatum|zveřejněno|datum zveřejnění|vloženo|"
        r"inzerát zveřejněn|zverejnené|dátum zverejnenia|publicerad|publiceringsdatum|"
        r"publiceret|julkaistu|közzétéve|feladás dátuma|feladva|megjelenés|publicat|"
        r"data publicării|data de publicação|data|δημοσιεύθηκε|ημερομηνία δημοσίευσης"
    ),
    "valid": (
        r"closing date|closes|closing|deadline|application deadline|apply by|apply before|"
        r"last date for application|expires|expiry date|valid until|valid through|"
        r"bewerbungsfrist|bewerbungsschluss|bewerbung bis|einsendeschluss|date limite|"
        r"date limite de candidature|fecha límite|fecha de cierre|plazo|scadenza|"
        r"data di scadenza|termin|termin składania|ważna do|sluitingsdatum|reageren vóór|"
        r"reageren voor|solliciteren tot|uiterste reactiedatum|sista ansökningsdag|"
        r"ansök senast|ansøgningsfrist|søknadsfrist|hakuaika päättyy|haku päättyy|"
        r"viimeinen hakupäivä|jelentkezési határidő|"
        r"termen limită|uzávěrka|datum ukončení|prazo|data limite|προθεσμία"
    ),
    "salary": (
        r"salary|salary range|pay|pay range|wage|compensation|gehalt|jahresgehalt|"
        r"bruttogehalt|lohn|vergütung|entgelt|salaire|rémunération|salario|sueldo|retribución|"
        r"retribuzione|ral|compenso|stipendio|wynagrodzenie|pensja|salaris|loon|mzda|plat|"
        r"platové podmínky|mzdové podmínky|lön|løn|lønn|palkka|fizetés|bérezés|salariu|"
        r"μισθός|salário|remuneração"
    ),
    "employment": (
        r"employment type|employment|job type|type of employment|contract|contract type|"
        r"type of contract|hours|working hours|working time|working pattern|schedule|"
        r"anstellungsart|beschäftigungsart|arbeitszeit|vertragsart|art der anstellung|"
        r"anstellung|befristung|pensum|arbeitspensum|beschäftigungsumfang|type de contrat|"
        r"contrat|type d'emploi|temps de travail|durée du travail|tipo de contrato|contrato|"
        r"tipo de jornada|jornada|tipo di contratto|contratto|orario|orario di lavoro|"
        r"tipologia contrattuale|rodzaj umowy|typ umowy|rodzaj zatrudnienia|wymiar pracy|"
        r"wymiar etatu|dienstverband|type dienstverband|contractvorm|typ úvazku|úvazek|"
        r"druh pracovního poměru|typ pracovního poměru|pracovní poměr|typ smluvního vztahu|"
        r"typ pracovného pomeru|anställningsform|anställningstyp|omfattning|varaktighet|"
        r"arbetstid|ansættelsesform|arbejdstid|stillingstype|työsuhde|työaika|munkarend|"
        r"foglalkoztatás jellege|munkaidő|tip contract|program de lucru|tipo|"
        r"tipo de emprego|regime|horário|τύπος απασχόλησης"
    ),
}
#: Any label word at the start of a text: a cheap test before an element is read closely.
LABEL_START_RE = re.compile(
    r"^\s*(?:" + "|".join(LABELS.values()) + r")(?:\s|[:：]|$)", re.IGNORECASE
)
_LABEL_RES = {
    key: re.compile(rf"^\s*(?:{words})\s*[:：]?\s*$", re.IGNORECASE)
    for key, words in LABELS.items()
}
#: "Label: value" in one element (a colon is then required).
INLINE_RES = {
    key: re.compile(rf"^\s*(?:{words})\s*[:：]\s*(?P<value>.{{1,160}})$", re.IGNORECASE)
    for key, words in LABELS.items()
}
#: "Publié le 11 mars 2024 - offre n° …", "Inzerát zveřejněn 12. 3. 2024": a date label
#: leading a short line without a colon.
LEADING_DATE_RE = re.compile(
    rf"^\s*(?P<key>{LABELS['date']}|{LABELS['valid']})\s+(?P<value>\S.{{3,60}})$", re.IGNORECASE
)

#: Template placeholders a page forgot to fill (``{{company}}``, ``${employer}``, ``%COMPANY%``).
PLACEHOLDER_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\$\{.*?\}|\[\[.*?\]\]|%[A-Z_]{3,}%|<%.*?%>")
#: Page chrome that sits where an employer's name would: apply buttons, "about the company".
CHROME_TEXT_RE = re.compile(
    r"^\W*(?:apply|bewerben|postuler|aplikuj|inscr[ií]b|candidat|solliciteer|odpov[ěe]d|ansök)|"
    r"(?:company|employer|firm)(?:'s)?\s+(?:website|site|page|profile)|"
    r"\b(?:about|view|see|more)\s+(?:the\s+)?(?:company|employer)\b|"
    r"über\s+(?:das\s+)?unternehmen|zum\s+unternehmensprofil|arbeitgeberprofil|"
    r"voir\s+l['’]entreprise|site\s+(?:de\s+l['’]entreprise|du\s+recruteur)|"
    r"ver\s+(?:la\s+)?empresa|sobre\s+la\s+empresa|o\s+firmie|profil\s+firmy|"
    r"over\s+(?:het\s+)?bedrijf|o\s+společnosti|om\s+företaget|"
    r"\b(?:more|all|other)\s+jobs\b|weitere\s+(?:stellen|jobs)|autres\s+offres",
    re.IGNORECASE,
)
#: A board's widget for the visitor's own place ("Your location: Bristol", "Ihr Standort").
VISITOR_PLACE_RE = re.compile(
    r"^\W*(?:your\s+(?:location|area)|near\s+you|ihr\s+standort|dein\s+standort|"
    r"votre\s+(?:position|localisation)|tu\s+ubicación|la\s+tua\s+posizione|"
    r"twoja\s+lokalizacja|uw\s+locatie|jouw\s+locatie|vaše\s+poloha|din\s+plats)",
    re.IGNORECASE,
)


def label_key(text: str) -> str | None:
    """Which fact a label names (``"Arbeitsort:"`` -> ``"location"``), or None."""
    if not text or len(text) > 60:
        return None
    for key, rx in _LABEL_RES.items():
        if rx.match(text):
            return key
    return None


def split_inline(text: str) -> tuple[str, str] | None:
    """``(fact, value)`` of ``"Label: value"`` written in one element, or None."""
    if not text or len(text) > 220 or (":" not in text and "：" not in text):
        return None
    for key, rx in INLINE_RES.items():
        m = rx.match(text)
        if m:
            return key, m.group("value").strip()
    return None
