"""Compact, hand-written function-word lists for the languages the crawler meets.

Written for dsi-crawler (not copied from a stop-word package). Only function words: articles,
pronouns, prepositions, conjunctions, auxiliaries, very common adverbs -- never content words such
as "social", "data" or "community" (those must be *learned* to be weak, from hard negatives).
Words are stored accent-folded and lower-case, the way the vectorizers see them
(``strip_accents="unicode"``), so "für" is "fur" and "być" is "byc".

Used three ways: removed by the word vectorizers (so function words cannot drive a score), removed
from the text before the character n-grams of the relevance model, and never shown in an
explanation.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crawler.text import fold_accents

_RAW: dict[str, str] = {
    "en": """a an the and or but nor if then than so as at by for from in into of off on onto
        out over to up with within without about above after again against all am are be been
        being before below between both can could did do does doing down during each few further
        had has have having he her here hers him his how i is it its itself just me more most my
        no not now once only other our ours own same she should some such that their theirs them
        there these they this those through too under until very was we were what when where
        which while who whom why will would you your yours also us via per any every may must
        shall within across upon etc""",
    "de": """der die das den dem des ein eine einer eines einem einen und oder aber auch als an am
        auf aus bei bis durch fur gegen hinter in im ins mit nach neben ohne seit uber um unter
        von vom vor wahrend wegen zu zum zur ich du er sie es wir ihr ihre ihren ihrem ihrer sein
        seine seinen seinem seiner unser unsere unseren unserem unserer euer mein meine dein
        deine ist sind war waren bin bist wird werden wurde wurden hat haben hatte hatten kann
        konnen muss mussen soll sollen will wollen darf nicht kein keine keinen noch schon sehr
        nur wie was wer wo wenn dass ob weil denn doch so dann da hier dort sich man dieser diese
        dieses diesen diesem jeder jede jedes alle allen mehr bzw sowie uns""",
    "fr": """le la les l un une des du de d et ou mais donc or ni car a au aux avec chez dans en
        entre par pour sans sous sur vers je tu il elle on nous vous ils elles me te se lui leur
        leurs mon ma mes ton ta tes son sa ses notre nos votre vos ce cet cette ces qui que quoi
        dont ou est sont etre ete avoir a ont avait etait sera seront fait faire peut peuvent
        doit ne pas plus moins tres aussi comme si tout tous toute toutes y qu c s n j m""",
    "es": """el la los las lo un una unos unas y e o u pero ni que de del a al con sin en entre
        para por sobre hacia hasta desde tras ante bajo contra segun yo tu el ella nosotros
        vosotros ellos ellas me te se nos os le les mi mis tu tus su sus nuestro nuestra
        nuestros nuestras este esta estos estas ese esa esos esas aquel es son ser fue era
        estar esta estan ha han haber hay como mas muy tambien ya si no cuando donde quien
        cual cuales todo todos toda todas otro otra otros otras""",
    "it": """il lo la i gli le un uno una e ed o ma che di del dello della dei degli delle a al
        allo alla ai agli alle da dal dalla dai dagli dalle in nel nello nella nei negli nelle
        con su sul sullo sulla sui sugli sulle per tra fra io tu lui lei noi voi loro mi ti si
        ci vi ne mio mia miei mie tuo suo sua suoi sue nostro nostra nostri nostre vostro
        questo questa questi queste quello quella quelli quelle e sono essere era stato stata
        ha hanno avere come piu molto anche non se quando dove chi cui tutto tutti tutte ogni
        l un d c""",
    "nl": """de het een en of maar dat die dit deze der des van in op aan met voor door naar
        bij uit over onder tussen tot om zonder tegen ik jij je u hij zij ze wij we jullie
        hun hen mijn jouw uw zijn haar ons onze is was waren ben bent wordt worden werd heeft
        hebben had kan kunnen moet moeten zal zullen wil niet geen ook nog al wel er hier daar
        als dan zo wat wie waar wanneer hoe omdat want alle meer zeer te""",
    "pl": """i w we z ze na do o od po przez przy za pod nad dla bez u oraz lub albo czy ale a
        ze iz jak to ten ta te tego tej tych tym tymi jest sa byc byl byla bylo beda bedzie
        jestesmy nie tak juz tez takze jego jej ich nasz nasza nasze naszych naszym nam nas
        my wy oni one on ona ono sie co kto ktory ktora ktore ktorych ktorym gdzie kiedy
        jako bardzo tylko wszystkie wszystkich kazdy kazda mozna""",
    "pt": """o a os as um uma uns umas e ou mas nem que de do da dos das em no na nos nas por
        pelo pela pelos pelas para com sem sob sobre entre ate desde ao aos a as eu tu ele
        ela nos vos eles elas me te se lhe lhes meu minha meus minhas seu sua seus suas nosso
        nossa nossos nossas este esta estes estas esse essa esses essas aquele isto isso e sao
        ser foi era estar esta estao ha tem ter como mais muito tambem ja nao quando onde quem
        qual todo todos toda todas outro outra outros outras""",
    "sv": """och i att det som en ett den de pa av for med till har var ar om fran men eller
        sa vi du han hon ni dem oss er jag mig sig sin sitt sina min mitt mina var vart vara
        denna detta dessa vid under efter utan mot genom over ur hos nar dar hur vad vem vilken
        vilka kan ska skulle kommer blir blev varit vara inte ocksa sa mycket mer alla""",
    "cs": """a i v ve na z ze s se do od o k ke u po pro pri za pod nad pred mezi bez pres jak
        ze ale nebo ani aby kdyz kde co kdo ktery ktera ktere kterych jsem jsi je jsme jste
        jsou byl byla bylo byt bude budou nas nase naseho nasi vas vase jeho jeji jejich ten ta
        to ty tento tato toto tyto tak take jiz uz jen velmi vsechny vsech kazdy muze""",
    "da": """og i at det som en et den de pa af for med til har var er om fra men eller sa vi
        du han hun i dem os jeg mig sig sin sit sine min mit mine vores denne dette disse ved
        under efter uden mod gennem over hos nar hvor hvordan hvad hvem kan skal vil bliver
        blev vaere ikke ogsa meget mere alle""",
    "ro": """si sau dar in din de la pe cu pentru prin despre fara dupa sub intre un o unui unei
        niste al ai ale a este sunt era fi fost are au avea eu tu el ea noi voi ei ele ma te se
        ne va il le lui lor meu mea nostru noastra acest aceasta aceste acesti care ce cine
        cand unde cum mai foarte nu si tot toti toate""",
}


LANGUAGES: tuple[str, ...] = tuple(_RAW)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The union of all lists, folded (a function word of one language is rarely content in
    another; the few clashes, such as Polish "ten", cost nothing)."""
    return frozenset(fold_accents(w) for words in _RAW.values() for w in words.split())


def stop_word_list() -> list[str]:
    """Sorted list for ``TfidfVectorizer(stop_words=...)``."""
    return sorted(stop_words())


_WORD_RE = re.compile(r"(?u)\b\w[\w'’-]*\w\b|\b\w\b")


def strip_stop_words(text: str) -> str:
    """``text`` with function words and numbers blanked (for the relevance char n-grams)."""
    sw = stop_words()

    def repl(m: re.Match[str]) -> str:
        w = m.group(0)
        return " " if fold_accents(w) in sw or w.isdigit() else w

    return _WORD_RE.sub(repl, text)


def is_uninformative(term: str) -> bool:
    """True for a term a curator should not be shown: a stop word, a number, a token with
    fewer than three letters, or a phrase made only of such tokens or starting/ending in one."""
    words = term.split()
    if not words:
        return True
    return _bad_word(words[0]) or _bad_word(words[-1])


@lru_cache(maxsize=65_536)
def _bad_word(word: str) -> bool:
    letters = sum(c.isalpha() for c in word)
    return letters < 3 or fold_accents(word) in stop_words() or any(c.isdigit() for c in word)
