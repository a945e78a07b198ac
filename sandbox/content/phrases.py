"""Hand-written phrase banks for job adverts, one per language (templated generation).

Each bank gives section headings, job titles (DSI and ordinary), duty, requirement and offer
phrases. Adverts pick from them deterministically (see :mod:`sandbox.generator`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Bank:
    lang: str
    about: str
    tasks: str
    profile: str
    offer: str
    apply: str  # template with {email} and {date}
    titles_dsi: tuple[str, ...]
    titles_ord: tuple[str, ...]
    tasks_dsi: tuple[str, ...]
    tasks_ord: tuple[str, ...]
    profiles: tuple[str, ...]
    offers: tuple[str, ...]
    intro: tuple[str, ...]  # templates with {name} and {city}
    posted: str  # "Posted on" label
    remote: str  # "Remote" label
    closing: str = ""  # diversity and process paragraph


BANKS: dict[str, Bank] = {
    "en": Bank(
        lang="en",
        about="About us",
        tasks="What you will do",
        profile="What we are looking for",
        offer="What we offer",
        apply="Send your CV and a short note to {email} by {date}. We read every application.",
        titles_dsi=(
            "Civic Tech Developer",
            "Open Data Engineer",
            "Digital Inclusion Coordinator",
            "Community Manager, Citizen Science",
            "Product Designer (Public Services)",
            "Data Journalist",
            "Volunteer Programme Lead",
        ),
        titles_ord=(
            "Senior Accountant",
            "Warehouse Shift Supervisor",
            "Store Manager",
            "Java Backend Developer",
            "IT Service Desk Analyst",
            "Sales Executive",
            "Payroll Administrator",
            "Marketing Coordinator",
            "Maintenance Technician",
            "Business Analyst",
        ),
        tasks_dsi=(
            "Build and maintain the open-source tools residents use to report local issues",
            "Publish council datasets as clean, documented open data with stable APIs",
            "Run workshops that help older people get online safely",
            "Work with volunteers and community groups to co-design new features",
            "Measure the social impact of our programmes and share what we learn",
            "Keep our platform accessible (WCAG 2.2 AA) and usable on cheap phones",
            "Write clear documentation so other cities can reuse our code",
        ),
        tasks_ord=(
            "Prepare monthly management accounts and reconcile ledgers",
            "Plan shifts and make sure orders leave the warehouse on time",
            "Handle first-line support tickets and escalate incidents",
            "Develop and test REST services for our core banking platform",
            "Grow relationships with key accounts in the region",
            "Coordinate campaigns with our external agencies",
            "Carry out preventive maintenance on production lines",
            "Report weekly figures to the leadership team",
        ),
        profiles=(
            "Two or more years of relevant experience",
            "A degree in a related field or equivalent practical experience",
            "Good written and spoken English; a second European language is a plus",
            "You enjoy working in a small team and take ownership",
            "Experience with Python, SQL or a similar toolset",
            "A structured, calm way of working under deadlines",
            "A valid driving licence (category B)",
        ),
        offers=(
            "A permanent contract and 28 days of annual leave",
            "Flexible hours and up to three days of remote work a week",
            "A training budget of £1,500 a year",
            "Pension contributions of 6% and a cycle-to-work scheme",
            "A friendly team that cares about doing things well",
        ),
        intro=("{name} is based in {city}.", "Our team in {city} is growing and we need help."),
        posted="Posted on",
        remote="Remote",
    ),
    "de": Bank(
        lang="de",
        about="Über uns",
        tasks="Ihre Aufgaben",
        profile="Ihr Profil",
        offer="Wir bieten",
        apply="Bitte senden Sie Ihre Unterlagen bis zum {date} an {email}. Wir freuen uns auf "
        "Ihre Bewerbung!",
        titles_dsi=(
            "Softwareentwickler:in Civic Tech",
            "Referent:in Open Data",
            "Projektleitung Digitale Teilhabe",
            "Koordinator:in Bürgerwissenschaft",
            "UX-Designer:in für Beteiligungsplattformen",
            "Datenjournalist:in",
        ),
        titles_ord=(
            "Buchhalter (m/w/d)",
            "Fachkraft für Lagerlogistik (m/w/d)",
            "Filialleitung Einzelhandel (m/w/d)",
            "Java-Entwickler (m/w/d)",
            "IT-Systemadministrator (m/w/d) im Krankenhaus",
            "Vertriebsmitarbeiter Innendienst",
            "Lohnbuchhalter (m/w/d)",
            "Industriemechaniker (m/w/d)",
            "Sachbearbeiter Kreditorenbuchhaltung",
        ),
        tasks_dsi=(
            "Sie entwickeln offene Software, mit der Bürgerinnen und Bürger Anliegen an "
            "die Verwaltung melden",
            "Sie bereiten kommunale Daten als Open Data auf und dokumentieren Schnittstellen",
            "Sie organisieren Digitalsprechstunden für Seniorinnen und Senioren",
            "Sie begleiten Ehrenamtliche und Initiativen bei der Mitgestaltung neuer Funktionen",
            "Sie messen die gesellschaftliche Wirkung unserer Projekte",
            "Sie sorgen für barrierefreie Oberflächen nach BITV 2.0",
        ),
        tasks_ord=(
            "Sie erstellen Monatsabschlüsse und führen Kontenabstimmungen durch",
            "Sie planen Schichten und überwachen den Warenein- und -ausgang",
            "Sie betreuen unsere Anwenderinnen und Anwender im 1st- und 2nd-Level-Support",
            "Sie entwickeln Microservices für unsere Kernbankenplattform",
            "Sie betreuen Bestandskunden und gewinnen Neukunden",
            "Sie warten Produktionsanlagen und beheben Störungen",
            "Sie berichten wöchentlich an die Geschäftsleitung",
        ),
        profiles=(
            "Abgeschlossene Ausbildung oder Studium in einem passenden Bereich",
            "Mindestens zwei Jahre Berufserfahrung",
            "Sehr gute Deutschkenntnisse, gute Englischkenntnisse",
            "Selbstständige und strukturierte Arbeitsweise",
            "Erfahrung mit Python, SQL oder vergleichbaren Werkzeugen",
            "Freude an der Arbeit im Team",
            "Führerschein Klasse B",
        ),
        offers=(
            "Unbefristeter Arbeitsvertrag und 30 Tage Urlaub",
            "Flexible Arbeitszeiten und bis zu drei Tage mobiles Arbeiten pro Woche",
            "Jobticket und Zuschuss zur betrieblichen Altersvorsorge",
            "Weiterbildungsbudget von 1.500 € im Jahr",
            "Ein offenes, hilfsbereites Team",
        ),
        intro=(
            "{name} hat seinen Sitz in {city}.",
            "Für unser Team in {city} suchen wir ab sofort Verstärkung.",
        ),
        posted="Veröffentlicht am",
        remote="Homeoffice möglich",
    ),
    "fr": Bank(
        lang="fr",
        about="Qui sommes-nous ?",
        tasks="Vos missions",
        profile="Votre profil",
        offer="Ce que nous offrons",
        apply="Envoyez votre CV et une lettre de motivation à {email} avant le {date}.",
        titles_dsi=(
            "Développeur·se civic tech",
            "Chargé·e de projet données ouvertes",
            "Médiateur·rice numérique",
            "Animateur·rice de communauté sciences participatives",
            "Designer de services publics numériques",
        ),
        titles_ord=(
            "Comptable confirmé (H/F)",
            "Chef d'équipe logistique (H/F)",
            "Responsable de magasin (H/F)",
            "Développeur Java (H/F)",
            "Technicien support informatique (H/F)",
            "Commercial sédentaire (H/F)",
            "Gestionnaire de paie (H/F)",
            "Technicien de maintenance industrielle (H/F)",
        ),
        tasks_dsi=(
            "Développer les outils libres qui permettent aux habitants de signaler des "
            "problèmes dans leur quartier",
            "Publier les données de la métropole en open data avec une documentation claire",
            "Accompagner les personnes éloignées du numérique dans leurs démarches en ligne",
            "Co-construire les nouvelles fonctionnalités avec les associations locales",
            "Évaluer l'impact social de nos programmes",
            "Garantir l'accessibilité de la plateforme (RGAA)",
        ),
        tasks_ord=(
            "Établir les clôtures mensuelles et les rapprochements bancaires",
            "Organiser les équipes et garantir le respect des délais d'expédition",
            "Traiter les demandes d'assistance de niveau 1 et 2",
            "Développer des services REST pour notre plateforme bancaire",
            "Développer un portefeuille de clients professionnels",
            "Assurer la maintenance préventive des lignes de production",
        ),
        profiles=(
            "Bac+3 minimum ou expérience équivalente",
            "Au moins deux ans d'expérience sur un poste similaire",
            "Excellente maîtrise du français, anglais courant apprécié",
            "Rigueur, autonomie et sens du travail en équipe",
            "Connaissance de Python, SQL ou d'outils équivalents",
            "Permis B",
        ),
        offers=(
            "CDI à temps plein, 25 jours de congés et RTT",
            "Télétravail jusqu'à deux jours par semaine",
            "Tickets restaurant et mutuelle prise en charge à 60 %",
            "Un budget formation annuel",
            "Une équipe bienveillante et engagée",
        ),
        intro=("{name} est implantée à {city}.", "Notre équipe de {city} s'agrandit."),
        posted="Publiée le",
        remote="Télétravail possible",
    ),
    "es": Bank(
        lang="es",
        about="Quiénes somos",
        tasks="Tus funciones",
        profile="Qué buscamos",
        offer="Qué ofrecemos",
        apply="Envía tu CV a {email} antes del {date}. Respondemos a todas las candidaturas.",
        titles_dsi=(
            "Desarrollador/a de tecnología cívica",
            "Técnico/a de datos abiertos",
            "Dinamizador/a de inclusión digital",
            "Coordinador/a de participación ciudadana",
        ),
        titles_ord=(
            "Contable sénior",
            "Responsable de almacén",
            "Encargado/a de tienda",
            "Desarrollador/a Java",
            "Técnico/a de soporte informático",
            "Comercial de zona",
            "Administrativo/a de nóminas",
            "Técnico/a de mantenimiento",
        ),
        tasks_dsi=(
            "Desarrollar herramientas de código abierto para que la ciudadanía participe "
            "en los presupuestos municipales",
            "Publicar los datos del ayuntamiento como datos abiertos reutilizables",
            "Impartir talleres de competencias digitales para personas mayores",
            "Diseñar nuevas funciones junto con asociaciones vecinales",
            "Medir el impacto social de nuestros proyectos",
            "Asegurar la accesibilidad de la plataforma",
        ),
        tasks_ord=(
            "Preparar los cierres contables mensuales",
            "Organizar turnos y supervisar las expediciones",
            "Resolver incidencias de primer nivel",
            "Desarrollar servicios REST para nuestra plataforma de pagos",
            "Gestionar una cartera de clientes en la zona",
            "Realizar el mantenimiento preventivo de las líneas de producción",
        ),
        profiles=(
            "Grado universitario o formación profesional relacionada",
            "Experiencia mínima de dos años",
            "Nivel alto de español; se valorará el inglés",
            "Capacidad de organización y trabajo en equipo",
            "Conocimientos de Python, SQL o herramientas similares",
            "Carné de conducir B",
        ),
        offers=(
            "Contrato indefinido y jornada completa",
            "Horario flexible y teletrabajo parcial",
            "Plan de formación continua",
            "Seguro médico privado",
            "Un equipo cercano y comprometido",
        ),
        intro=("{name} tiene su sede en {city}.", "Nuestro equipo de {city} está creciendo."),
        posted="Publicado el",
        remote="Teletrabajo",
    ),
    "it": Bank(
        lang="it",
        about="Chi siamo",
        tasks="Cosa farai",
        profile="Requisiti",
        offer="Cosa offriamo",
        apply="Invia il tuo curriculum a {email} entro il {date}.",
        titles_dsi=(
            "Sviluppatore/trice civic tech",
            "Data manager open data",
            "Facilitatore/trice di inclusione digitale",
            "Coordinatore/trice citizen science",
        ),
        titles_ord=(
            "Contabile senior",
            "Responsabile di magazzino",
            "Store manager",
            "Sviluppatore Java",
            "Tecnico help desk",
            "Agente di commercio",
            "Addetto/a paghe e contributi",
            "Manutentore meccanico",
        ),
        tasks_dsi=(
            "Sviluppare strumenti open source per la partecipazione dei cittadini",
            "Pubblicare i dati del comune in formato aperto e documentato",
            "Organizzare corsi di alfabetizzazione digitale per anziani",
            "Progettare nuove funzionalità insieme alle associazioni del territorio",
            "Misurare l'impatto sociale dei progetti",
        ),
        tasks_ord=(
            "Gestire la contabilità generale e le chiusure mensili",
            "Organizzare i turni e controllare le spedizioni",
            "Fornire assistenza tecnica di primo livello",
            "Sviluppare servizi REST per la piattaforma di pagamento",
            "Seguire i clienti della zona assegnata",
            "Eseguire la manutenzione preventiva degli impianti",
        ),
        profiles=(
            "Laurea o diploma in ambito affine",
            "Almeno due anni di esperienza nel ruolo",
            "Ottima conoscenza dell'italiano e buona dell'inglese",
            "Precisione, autonomia e spirito di squadra",
            "Conoscenza di Python, SQL o strumenti simili",
        ),
        offers=(
            "Contratto a tempo indeterminato CCNL Commercio",
            "Smart working due giorni a settimana",
            "Buoni pasto e welfare aziendale",
            "Formazione continua",
            "Un ambiente di lavoro giovane e dinamico",
        ),
        intro=("{name} ha sede a {city}.", "Il nostro team di {city} è in crescita."),
        posted="Pubblicato il",
        remote="Lavoro da remoto",
    ),
    "nl": Bank(
        lang="nl",
        about="Over ons",
        tasks="Wat ga je doen?",
        profile="Wie zoeken wij?",
        offer="Wat bieden wij?",
        apply="Stuur je cv en motivatie vóór {date} naar {email}.",
        titles_dsi=(
            "Developer civic tech",
            "Open data specialist",
            "Projectleider digitale inclusie",
            "Communitymanager burgerwetenschap",
        ),
        titles_ord=(
            "Financieel administratief medewerker",
            "Teamleider logistiek",
            "Filiaalmanager",
            "Java developer",
            "Servicedesk medewerker",
            "Accountmanager buitendienst",
            "Salarisadministrateur",
            "Monteur technische dienst",
        ),
        tasks_dsi=(
            "Je bouwt open-source tools waarmee bewoners meldingen doen in hun buurt",
            "Je publiceert gemeentelijke data als open data met goede documentatie",
            "Je organiseert digitale spreekuren in de bibliotheek",
            "Je ontwerpt nieuwe functies samen met bewonersinitiatieven",
            "Je meet de maatschappelijke impact van onze projecten",
        ),
        tasks_ord=(
            "Je verzorgt de maandafsluiting en de grootboekadministratie",
            "Je plant de diensten en bewaakt de uitlevering",
            "Je lost storingen op in de eerste lijn",
            "Je ontwikkelt REST-services voor ons betaalplatform",
            "Je onderhoudt contacten met zakelijke klanten",
            "Je voert preventief onderhoud uit aan productielijnen",
        ),
        profiles=(
            "Hbo-werk- en denkniveau",
            "Minimaal twee jaar relevante werkervaring",
            "Goede beheersing van Nederlands en Engels",
            "Je werkt zelfstandig en nauwkeurig",
            "Ervaring met Python, SQL of vergelijkbare tools",
        ),
        offers=(
            "Een vast contract na een jaar",
            "Hybride werken en flexibele werktijden",
            "Een goede pensioenregeling",
            "Opleidingsbudget",
            "Een informele werksfeer",
        ),
        intro=("{name} is gevestigd in {city}.", "Ons team in {city} groeit."),
        posted="Geplaatst op",
        remote="Thuiswerken mogelijk",
    ),
    "pl": Bank(
        lang="pl",
        about="O nas",
        tasks="Twoje zadania",
        profile="Nasze wymagania",
        offer="Oferujemy",
        apply="CV prosimy przesyłać na adres {email} do dnia {date}.",
        titles_dsi=(
            "Programista/ka civic tech",
            "Specjalista/ka ds. otwartych danych",
            "Koordynator/ka ds. włączenia cyfrowego",
            "Animator/ka nauki obywatelskiej",
        ),
        titles_ord=(
            "Główna księgowa",
            "Kierownik zmiany w magazynie",
            "Kierownik sklepu",
            "Programista Java",
            "Specjalista ds. wsparcia IT",
            "Przedstawiciel handlowy",
            "Specjalista ds. kadr i płac",
            "Mechanik utrzymania ruchu",
        ),
        tasks_dsi=(
            "Rozwijanie otwartych narzędzi do konsultacji społecznych",
            "Udostępnianie danych miejskich w formie otwartych danych",
            "Prowadzenie warsztatów cyfrowych dla seniorów",
            "Współpraca z organizacjami pozarządowymi przy projektowaniu usług",
            "Badanie społecznego wpływu naszych działań",
        ),
        tasks_ord=(
            "Prowadzenie ksiąg rachunkowych i zamknięć miesięcznych",
            "Planowanie pracy zmiany i kontrola wysyłek",
            "Obsługa zgłoszeń w pierwszej linii wsparcia",
            "Tworzenie usług REST dla systemu bankowego",
            "Pozyskiwanie nowych klientów w regionie",
            "Konserwacja maszyn i urządzeń produkcyjnych",
        ),
        profiles=(
            "Wykształcenie wyższe lub średnie techniczne",
            "Minimum dwa lata doświadczenia",
            "Dobra znajomość języka angielskiego",
            "Samodzielność i dobra organizacja pracy",
            "Znajomość Pythona, SQL lub podobnych narzędzi",
        ),
        offers=(
            "Umowę o pracę na czas nieokreślony",
            "Pracę hybrydową",
            "Prywatną opiekę medyczną i kartę sportową",
            "Budżet szkoleniowy",
            "Przyjazną atmosferę w zespole",
        ),
        intro=("{name} ma siedzibę w mieście {city}.", "Nasz zespół w mieście {city} się rozwija."),
        posted="Opublikowano",
        remote="Praca zdalna",
    ),
    "pt": Bank(
        lang="pt",
        about="Quem somos",
        tasks="Responsabilidades",
        profile="Perfil",
        offer="Oferecemos",
        apply="Envie o seu CV para {email} até {date}.",
        titles_dsi=(
            "Programador/a de tecnologia cívica",
            "Gestor/a de dados abertos",
            "Formador/a de inclusão digital",
            "Coordenador/a de ciência cidadã",
        ),
        titles_ord=(
            "Técnico/a de contabilidade",
            "Chefe de armazém",
            "Gerente de loja",
            "Programador Java",
            "Técnico/a de helpdesk",
            "Comercial",
            "Técnico/a de recursos humanos",
            "Técnico/a de manutenção",
        ),
        tasks_dsi=(
            "Desenvolver ferramentas abertas para o orçamento participativo",
            "Publicar dados municipais em formato aberto",
            "Dinamizar sessões de literacia digital para seniores",
            "Co-criar novas funcionalidades com associações locais",
            "Avaliar o impacto social dos nossos projetos",
        ),
        tasks_ord=(
            "Assegurar a contabilidade geral e os fechos mensais",
            "Organizar turnos e acompanhar as expedições",
            "Prestar apoio técnico de primeira linha",
            "Desenvolver serviços REST para a plataforma de pagamentos",
            "Angariar e acompanhar clientes empresariais",
            "Realizar a manutenção preventiva dos equipamentos",
        ),
        profiles=(
            "Licenciatura em área relevante",
            "Pelo menos dois anos de experiência",
            "Bom domínio de inglês",
            "Autonomia e espírito de equipa",
            "Conhecimentos de Python, SQL ou ferramentas semelhantes",
        ),
        offers=(
            "Contrato sem termo",
            "Regime híbrido",
            "Seguro de saúde",
            "Plano de formação",
            "Um ambiente próximo e informal",
        ),
        intro=("A {name} está sediada em {city}.", "A nossa equipa em {city} está a crescer."),
        posted="Publicado em",
        remote="Trabalho remoto",
    ),
    "sv": Bank(
        lang="sv",
        about="Om oss",
        tasks="Arbetsuppgifter",
        profile="Vem är du?",
        offer="Vi erbjuder",
        apply="Skicka ditt CV till {email} senast {date}. Urval sker löpande.",
        titles_dsi=(
            "Utvecklare inom civic tech",
            "Öppna data-specialist",
            "Projektledare digital delaktighet",
            "Samordnare medborgarforskning",
        ),
        titles_ord=(
            "Redovisningsekonom",
            "Lagerchef",
            "Butikschef",
            "Javautvecklare",
            "IT-supporttekniker",
            "Säljare",
            "Lönespecialist",
            "Underhållstekniker",
        ),
        tasks_dsi=(
            "Utveckla öppna verktyg där invånare kan lämna synpunkter till kommunen",
            "Publicera kommunens data som öppna data",
            "Hålla kurser i digitala tjänster för äldre",
            "Utforma nya funktioner tillsammans med föreningar",
            "Följa upp den sociala nyttan av våra projekt",
        ),
        tasks_ord=(
            "Ansvara för månadsbokslut och avstämningar",
            "Planera bemanning och följa upp leveranser",
            "Hantera supportärenden i första linjen",
            "Utveckla REST-tjänster för vår betalplattform",
            "Bearbeta nya kunder i regionen",
            "Utföra förebyggande underhåll",
        ),
        profiles=(
            "Relevant högskoleutbildning",
            "Minst två års erfarenhet",
            "Goda kunskaper i svenska och engelska",
            "Du är strukturerad och lösningsorienterad",
            "Erfarenhet av Python, SQL eller liknande",
        ),
        offers=(
            "Tillsvidareanställning med sex månaders provanställning",
            "Flexibel arbetstid",
            "Friskvårdsbidrag på 5 000 kr",
            "Kollektivavtal och tjänstepension",
            "Ett trevligt gäng kollegor",
        ),
        intro=("{name} finns i {city}.", "Vårt team i {city} växer."),
        posted="Publicerad",
        remote="Distansarbete",
    ),
    "cs": Bank(
        lang="cs",
        about="O nás",
        tasks="Náplň práce",
        profile="Požadujeme",
        offer="Nabízíme",
        apply="Životopis zasílejte na {email} do {date}.",
        titles_dsi=(
            "Vývojář/ka občanských technologií",
            "Specialista/ka otevřených dat",
            "Koordinátor/ka digitální inkluze",
            "Koordinátor/ka občanské vědy",
        ),
        titles_ord=(
            "Účetní",
            "Vedoucí skladu",
            "Vedoucí prodejny",
            "Java vývojář",
            "Technik IT podpory",
            "Obchodní zástupce",
            "Mzdová účetní",
            "Údržbář strojů",
        ),
        tasks_dsi=(
            "Vývoj otevřených nástrojů pro participativní rozpočty",
            "Zveřejňování dat města jako otevřených dat",
            "Vedení kurzů digitálních dovedností pro seniory",
            "Spolupráce s neziskovými organizacemi na nových funkcích",
            "Vyhodnocování společenského dopadu projektů",
        ),
        tasks_ord=(
            "Vedení účetnictví a měsíční uzávěrky",
            "Plánování směn a kontrola expedice",
            "Řešení požadavků uživatelů na první úrovni podpory",
            "Vývoj REST služeb pro platební systém",
            "Získávání nových zákazníků v regionu",
            "Preventivní údržba výrobních linek",
        ),
        profiles=(
            "VŠ nebo SŠ vzdělání s maturitou",
            "Alespoň dva roky praxe",
            "Znalost angličtiny",
            "Samostatnost a spolehlivost",
            "Znalost Pythonu, SQL nebo podobných nástrojů",
        ),
        offers=(
            "Smlouvu na dobu neurčitou",
            "Pět týdnů dovolené",
            "Stravenky a Multisport kartu",
            "Možnost práce z domova",
            "Přátelský kolektiv",
        ),
        intro=("{name} sídlí v {city}.", "Náš tým v {city} roste."),
        posted="Zveřejněno",
        remote="Práce z domova",
    ),
}

#: Month names for plain-HTML dates ("12. März 2025"), per language.
MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "it": (
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ),
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "pl": (
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ),
    "pt": (
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ),
    "sv": (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "cs": (
        "ledna",
        "února",
        "března",
        "dubna",
        "května",
        "června",
        "července",
        "srpna",
        "září",
        "října",
        "listopadu",
        "prosince",
    ),
}

#: "N days ago" in each language (plain-HTML adverts show relative dates).
DAYS_AGO: dict[str, str] = {
    "en": "{n} days ago",
    "de": "vor {n} Tagen",
    "fr": "il y a {n} jours",
    "es": "hace {n} días",
    "it": "{n} giorni fa",
    "nl": "{n} dagen geleden",
    "pl": "{n} dni temu",
    "pt": "há {n} dias",
    "sv": "för {n} dagar sedan",
    "cs": "před {n} dny",
}


def long_date(lang: str, year: int, month: int, day: int) -> str:
    """A human date as a local page would print it, e.g. ``12. März 2025``."""
    name = MONTHS[lang][month - 1]
    if lang in ("de", "pl", "cs"):
        return f"{day}. {name} {year}"
    if lang == "en":
        return f"{day} {name} {year}"
    if lang in ("es", "pt"):
        return f"{day} de {name} de {year}"
    return f"{day} {name} {year}"


#: Closing paragraph (diversity statement and selection process) per language.
CLOSINGS: dict[str, str] = {
    "en": (
        "We welcome applications from people of every background, age and ability, and we are"
        " happy to talk about part-time or job-share arrangements. The process has two short "
        "steps: a video call with two future colleagues and a practical task of no more than "
        "two hours, which we pay for. If you need any adjustments during the process, just "
        "tell us."
    ),
    "de": (
        "Wir freuen uns über Bewerbungen von Menschen jeden Alters, jeder Herkunft und mit "
        "oder ohne Behinderung; Teilzeit ist nach Absprache möglich. Das Auswahlverfahren "
        "besteht aus einem Kennenlerngespräch per Video und einem Gespräch vor Ort mit dem "
        "künftigen Team. Bei Fragen zur Stelle erreichen Sie uns gern auch telefonisch."
    ),
    "fr": (
        "Nous encourageons les candidatures de toutes et tous, quels que soient l'âge, "
        "l'origine ou la situation de handicap ; un temps partiel peut être discuté. Le "
        "recrutement se déroule en deux étapes : un premier échange en visioconférence, puis "
        "un entretien avec l'équipe. Pour toute question sur le poste, n'hésitez pas à nous "
        "écrire."
    ),
    "es": (
        "Valoramos la diversidad y animamos a presentar su candidatura a personas de "
        "cualquier edad, origen o capacidad; la jornada parcial es negociable. El proceso "
        "tiene dos fases: una videollamada inicial y una entrevista con el equipo. Si tienes "
        "dudas sobre la oferta, escríbenos sin compromiso."
    ),
    "it": (
        "Accogliamo candidature di persone di ogni età, provenienza e abilità; il part-time è"
        " negoziabile. La selezione prevede un primo colloquio in videochiamata e un incontro"
        " con il team. Per qualsiasi domanda sulla posizione puoi scriverci in qualunque "
        "momento."
    ),
    "nl": (
        "We moedigen iedereen aan om te solliciteren, ongeacht leeftijd, achtergrond of "
        "beperking; parttime werken is bespreekbaar. De procedure bestaat uit een "
        "kennismakingsgesprek via video en een gesprek met het team. Heb je vragen over de "
        "functie? Neem dan gerust contact met ons op."
    ),
    "pl": (
        "Zachęcamy do aplikowania osoby w każdym wieku, o różnym pochodzeniu i z "
        "niepełnosprawnościami; możliwa jest praca w niepełnym wymiarze. Rekrutacja składa "
        "się z rozmowy online oraz spotkania z zespołem. W razie pytań dotyczących oferty "
        "prosimy o kontakt."
    ),
    "pt": (
        "Valorizamos a diversidade e incentivamos candidaturas de pessoas de todas as idades,"
        " origens e capacidades; o regime a tempo parcial é negociável. O processo tem duas "
        "fases: uma conversa por videochamada e uma entrevista com a equipa. Se tiver dúvidas"
        " sobre a oferta, contacte-nos."
    ),
    "sv": (
        "Vi välkomnar sökande oavsett ålder, bakgrund eller funktionsvariation, och deltid "
        "går att diskutera. Rekryteringen består av en första intervju via video och ett möte"
        " med teamet. Har du frågor om tjänsten är du välkommen att höra av dig."
    ),
    "cs": (
        "Vítáme uchazeče jakéhokoli věku, původu i se zdravotním postižením; částečný úvazek "
        "je možné domluvit. Výběrové řízení má dvě kola: úvodní videohovor a osobní setkání s"
        " týmem. S dotazy k pozici se na nás neváhejte obrátit."
    ),
}
for _lang, _text in CLOSINGS.items():
    BANKS[_lang] = replace(BANKS[_lang], closing=_text)
